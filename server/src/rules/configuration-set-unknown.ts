import { closestName } from '../core/suggest';
import { interpolate, term } from '../core/messages';
import type { Rule } from '../core/rule';

/** A name with template syntax or an expression in it is filled in at send time: not judged. */
const COMPUTED = /\{\{|\{%|\$\{|<%|\*\||\[\[|%%/;

export const rule: Rule = {
  meta: {
    id: 'configuration-set-unknown',
    description: 'A send payload or campaign file names an SES configuration set that the infrastructure files of the workspace do not define.',
    appliesTo: ['ses', 'campaign'],
    defaultSeverity: 'error',
    group: 'infrastructure',
    fixable: false,
    messages: {
      unknown: 'The configuration set {name} is not defined by the infrastructure in this workspace (it defines {defined}){suggestion}. SES rejects a send that names a configuration set the account does not have, and its bounces and complaints would not reach the event destinations defined there.',
    },
  },
  checkSend(ctx) {
    const index = ctx.configurationSets;
    // No infrastructure that defines a set, or a set whose name is computed or generated at deploy time: nothing to compare with.
    if (!index || index.unknown || !index.names.length) return;
    const set = ctx.send.ses?.configurationSet;
    if (!set || !set.value.trim() || COMPUTED.test(set.value)) return;
    if (ctx.send.kind === 'campaign' && ctx.send.esp !== undefined && ctx.send.esp !== 'ses') return;
    if (index.names.includes(set.value)) return;
    const near = closestName(set.value, index.names);
    const suggestion = near ? interpolate(term('configurationSet.didYouMean', '; did you mean {near}?', ctx.locale), { near }) : '';
    const shown = index.names.slice(0, 5).join(', ') + (index.names.length > 5 ? ', ...' : '');
    ctx.report({ messageId: 'unknown', start: set.start, end: set.end, data: { name: set.value, defined: shown, suggestion } });
  },
};
