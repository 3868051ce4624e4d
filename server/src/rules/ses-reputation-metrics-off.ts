import { bool, get } from '../core/parse/infra/tree';
import { term } from '../core/messages';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'ses-reputation-metrics-off',
    description: 'An SES configuration set without reputation metrics: its bounce and complaint rates are not published to CloudWatch.',
    appliesTo: ['infra'],
    defaultSeverity: 'warning',
    group: 'infrastructure',
    fixable: true,
    messages: {
      off: 'Reputation metrics are off for the configuration set {set} (ReputationMetricsEnabled defaults to false), so its bounce and complaint rates are not published to CloudWatch and no alarm can watch them.',
    },
  },
  checkInfra(ctx) {
    const K = ctx.infra.keys;
    for (const set of ctx.infra.configurationSets) {
      const rep = set.reputation;
      const value = get(rep, K.ReputationMetricsEnabled);
      const enabled = bool(value);
      if (enabled === true || enabled === 'unknown' || (rep && rep.t !== 'map')) continue;
      const title = term('fix.enableReputationMetrics', 'Turn reputation metrics on', ctx.locale);
      const data = { set: set.name ?? set.res.id };
      if (value) {
        const e = ctx.edits.replaceScalar(value, true);
        ctx.report({ messageId: 'off', start: value.start, end: value.end, data, fixes: e ? [{ title, safe: true, edits: [e] }] : [] });
        continue;
      }
      const e = rep?.t === 'map'
        ? ctx.edits.addEntries(rep, [...set.res.path, K.ReputationOptions], [[K.ReputationMetricsEnabled, true]])
        : set.res.props
          ? ctx.edits.addEntries(set.res.props, set.res.path, [[K.ReputationOptions, { [K.ReputationMetricsEnabled]: true }]])
          : undefined;
      ctx.report({ messageId: 'off', ...set.res.at, data, fixes: e ? [{ title, safe: true, edits: [e] }] : [] });
    }
  },
};
