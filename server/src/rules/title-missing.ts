import * as path from 'node:path';
import { interpolate, term } from '../core/messages';
import type { CampaignModel } from '../core/parse/campaign';
import { startTagEnd } from '../core/parse/markup';
import type { Rule } from '../core/rule';
import type { Fix, Locale } from '../core/types';
import { ownRoot, tagRange } from './shared/a11y';
import { titleEdit } from './shared/titleFix';

/** Longest subject quoted in a message or a fix title; the fix writes it whole. */
const QUOTED = 80;

export const rule: Rule = {
  meta: {
    id: 'title-missing',
    description: 'The message has no <title> (mj-title in MJML), or an empty one.',
    appliesTo: ['html', 'mjml', 'campaign'],
    defaultSeverity: 'warning',
    group: 'accessibility',
    fixable: true,
    messages: {
      missing: 'This message has no <title>. Screen readers announce the title first, and clients show it when the message is opened in a browser ("View online"): give it the subject line.',
      empty: 'The <title> of this message is empty. Screen readers announce the title first, and clients show it when the message is opened in a browser: give it the subject line.',
      mjmlMissing: 'This MJML has no <mj-title> in <mj-head>, so the HTML it makes has an empty <title>: give it the subject line.',
      mjmlEmpty: 'The <mj-title> is empty, so the HTML it makes has an empty <title>: give it the subject line.',
      campaign: 'The template {template} has no title (or an empty one): screen readers announce the title first. This campaign\'s subject, "{subject}", can be its title.',
    },
  },
  // A campaign with a subject names the template: the title can be that subject. The fix edits the
  // template (another file, which other campaigns may send too), so it is only offered.
  checkSend(ctx) {
    const { send, template } = ctx;
    if (send.kind !== 'campaign' || !send.template || !template?.result) return;
    const subject = (send as CampaignModel).campaign.subject;
    if (!subject || subject.value.trim() === '') return;
    const own = template.result.findings.find((f) => f.ruleId === 'title-missing');
    const kind = template.result.kind;
    if (!own || (kind !== 'html' && kind !== 'mjml')) return;
    const quoted = subject.value.length > QUOTED ? `${subject.value.slice(0, QUOTED - 1)}…` : subject.value;
    const edit = titleEdit(template.text, kind, subject.value);
    const fixTitle = interpolate(term('fix.titleFromSubject', 'Write the subject "{subject}" as the title of {template}', ctx.locale), { subject: quoted, template: path.basename(template.path) });
    ctx.report({
      messageId: 'campaign',
      start: send.template.start,
      end: send.template.end,
      data: { template: path.basename(template.path), subject: quoted },
      fixes: edit ? [{ title: fixTitle, safe: false, edits: [edit], filePath: template.path }] : [],
    });
  },
  check(ctx) {
    const { model, composition } = ctx;
    const root = ownRoot(model);
    if (!root) return;
    // A head that comes from a partial or layout may hold the title.
    if (composition.references.length > 0 || composition.unresolved.length > 0 || model.includes.length > 0) return;
    const at = tagRange(model.text, root);
    if (model.kind === 'mjml') {
      const el = model.a11y.mjTitle;
      if (!el) return ctx.report({ ...at, messageId: 'mjmlMissing' });
      const from = startTagEnd(model.text, el.startIndex);
      const inner = el.endIndex === null || el.endIndex < from ? '' : model.text.slice(from, el.endIndex + 1).replace(/<\/mj-title\s*>$/i, '');
      if (inner.trim() === '') ctx.report({ ...tagRange(model.text, el), messageId: 'mjmlEmpty' });
      return;
    }
    if (model.title === undefined) return ctx.report({ ...at, messageId: 'missing' });
    if (model.title.trim() === '') ctx.report({ ...at, messageId: 'empty' });
  },
};

/** A campaign file that names a template with a subject (the language server's index). */
export interface NamingCampaign {
  readonly campaign: string;
  readonly subject: string;
}

/**
 * The fixes of a template's own title-missing finding, from the campaign files that name it: one per
 * distinct subject, each writing that subject as the title of `text`. Offered only: which subject
 * is the title is for a person to pick, and the file may be sent by other campaigns too.
 */
export function titleFixesFromCampaigns(text: string, kind: 'html' | 'mjml', campaigns: readonly NamingCampaign[], locale: Locale): Fix[] {
  const fixes: Fix[] = [];
  const seen = new Set<string>();
  for (const { campaign, subject } of campaigns) {
    if (subject.trim() === '' || seen.has(subject)) continue;
    seen.add(subject);
    const edit = titleEdit(text, kind, subject);
    if (!edit) return []; // The file's title cannot be written (an unclosed title ...): no subject can.
    const quoted = subject.length > QUOTED ? `${subject.slice(0, QUOTED - 1)}…` : subject;
    const title = interpolate(term('fix.titleFromCampaign', 'Write the subject "{subject}" of {campaign} as the title', locale), { subject: quoted, campaign: path.basename(campaign) });
    fixes.push({ title, safe: false, edits: [edit] });
  }
  return fixes;
}
