import type { Fix, TextEdit } from '../core/types';
import type { EventDestination } from '../core/infra/model';
import { bool, str } from '../core/parse/infra/tree';
import { setMatches } from '../core/parse/infra/cloudformation';
import { term } from '../core/messages';
import type { InfraContext, Rule } from '../core/rule';
import { eventTypesOf, missingFeedbackTypes } from './shared/infra';

// A configuration set is monitored when one of its event destinations is enabled and receives
// both BOUNCE and COMPLAINT. Values computed at deploy time count as monitored (never wrong).
export const rule: Rule = {
  meta: {
    id: 'ses-events-unmonitored',
    description: 'An SES configuration set with no enabled event destination for bounces and complaints, or identities with no configuration set at all.',
    appliesTo: ['infra'],
    defaultSeverity: 'error',
    group: 'infrastructure',
    fixable: true,
    messages: {
      noDestination:
        'The configuration set {set} has no event destination: bounces and complaints reach no one. SES reviews an account at a 5% bounce or 0.1% complaint rate and may pause it at 10% / 0.5%; publish BOUNCE and COMPLAINT events to an SNS topic, EventBridge, Firehose or CloudWatch.',
      incomplete: 'The enabled event destinations of the configuration set {set} do not receive both BOUNCE and COMPLAINT events, so nobody sees the bounce or complaint rate climb.',
      disabled: 'This event destination of {set} is not enabled ({enabled} is false or missing, and defaults to false), so its events go nowhere.',
      typesMissing: 'This event destination of {set} does not receive {missing} events: add them to {key}.',
      identityNoSet: 'This identity has no default configuration set, and this template defines none: sends that name no configuration set publish no bounce or complaint events.',
    },
  },
  checkInfra(ctx) {
    const { infra } = ctx;
    // A destination whose set is computed may belong to any set: say nothing.
    if (infra.eventDestinations.some((d) => d.set.unknown)) return;
    // Destinations by the resource id or the name they point at (one pass, not one per set).
    const byKey = new Map<string, EventDestination[]>();
    for (const d of infra.eventDestinations) {
      const key = d.set.resourceId !== undefined ? `id:${d.set.resourceId}` : `name:${d.set.name}`;
      const list = byKey.get(key);
      if (list) list.push(d);
      else byKey.set(key, [d]);
    }
    for (const set of infra.configurationSets) {
      const label = set.name ?? set.res.id;
      const dests = [...(byKey.get(`id:${set.res.id}`) ?? []), ...(set.name !== undefined ? (byKey.get(`name:${set.name}`) ?? []) : [])].filter((d) => setMatches(d.set, set));
      if (covered(dests)) continue;
      const at = set.res.at;
      if (!dests.length) {
        ctx.report({ messageId: 'noDestination', ...at, data: { set: label } });
        continue;
      }
      if (dests.length > 1) {
        ctx.report({ messageId: 'incomplete', ...at, data: { set: label } });
        continue;
      }
      reportDestination(ctx, dests[0]!, label);
    }
    if (!infra.configurationSets.length && !infra.eventDestinations.length) {
      for (const id of infra.identities) {
        if (!id.set) ctx.report({ messageId: 'identityNoSet', ...id.res.at, severity: 'warning' });
      }
    }
  },
};

/** Whether the enabled destinations together receive BOUNCE and COMPLAINT (one topic for each is a common shape). */
function covered(dests: EventDestination[]): boolean {
  const seen = new Set<string>();
  for (const d of dests) {
    if (!d.body) return true; // computed or absent: ses-event-destination-invalid says so
    const enabled = bool(d.enabled);
    if (enabled === false || enabled === undefined) continue;
    const types = eventTypesOf(d.types);
    if (types === 'unknown') return true;
    for (const t of types ?? []) seen.add(t);
  }
  return seen.has('BOUNCE') && seen.has('COMPLAINT');
}

/** The one destination of the set: what it lacks, with the fix that adds it. */
function reportDestination(ctx: InfraContext, d: EventDestination, set: string): void {
  const body = d.body!;
  const enabled = bool(d.enabled);
  const missing = missingFeedbackTypes(d.types);
  const edits: TextEdit[] = [];
  if (enabled !== true && enabled !== 'unknown') {
    const e = d.enabled ? ctx.edits.replaceScalar(d.enabled, true) : undefined;
    if (e) edits.push(e);
  }
  if (missing.length && d.types?.t === 'list') {
    const e = ctx.edits.appendToList(d.types, missing);
    if (e) edits.push(e);
  }
  // Keys missing from the map are added at its end, in one edit.
  const add: Array<[string, boolean | string[]]> = [];
  if (enabled === undefined) add.push([ctx.infra.keys.Enabled, true]);
  if (missing.length && !d.types) add.push([ctx.infra.keys.MatchingEventTypes, missing]);
  if (add.length) {
    const e = ctx.edits.addEntries(body, d.bodyPath, add);
    if (e) edits.push(e);
  }
  const fix: Fix[] = edits.length ? [{ title: term('fix.enableFeedbackEvents', 'Enable the destination for BOUNCE and COMPLAINT events', ctx.locale), safe: true, edits }] : [];
  if (enabled !== true && enabled !== 'unknown') {
    const key = d.res.props?.entries.find((e) => e.key === ctx.infra.keys.EventDestination);
    const at = d.enabled ?? (key ? { start: key.keyStart, end: key.keyEnd } : d.res.at);
    ctx.report({ messageId: 'disabled', start: at.start, end: at.end, data: { set, enabled: ctx.infra.keys.Enabled }, fixes: fix });
    return;
  }
  const at = d.types ?? d.res.at;
  ctx.report({ messageId: 'typesMissing', start: at.start, end: at.end, data: { set, missing: missing.join(', ') || str(d.types) || '', key: ctx.infra.keys.MatchingEventTypes }, fixes: fix });
}
