import { get, str } from '../core/parse/infra/tree';
import { term } from '../core/messages';
import type { Rule } from '../core/rule';
import type { TextEdit } from '../core/types';

// Without SuppressionOptions a configuration set uses the account's suppression list (BOUNCE and
// COMPLAINT by default): only an override that leaves one out is reported.
export const rule: Rule = {
  meta: {
    id: 'ses-suppression-off',
    description: 'An SES configuration set that overrides the suppression list without BOUNCE and COMPLAINT: SES keeps sending to addresses that bounced or complained.',
    appliesTo: ['infra'],
    defaultSeverity: 'warning',
    group: 'infrastructure',
    fixable: true,
    messages: {
      missingReasons:
        'The configuration set {set} overrides the account-level suppression list without {missing}: SES keeps sending to addresses that bounced or complained, and the bounce and complaint rates climb. Suppress both, unless your own list does the same.',
    },
  },
  checkInfra(ctx) {
    const K = ctx.infra.keys;
    for (const set of ctx.infra.configurationSets) {
      const sup = set.suppression;
      if (sup?.t !== 'map') continue;
      const reasons = get(sup, K.SuppressedReasons);
      if (reasons && reasons.t !== 'list') continue; // computed
      const have = new Set<string>();
      for (const r of reasons?.t === 'list' ? reasons.items : []) {
        const s = str(r);
        if (s === undefined) return;
        have.add(s.toUpperCase());
      }
      const missing = ['BOUNCE', 'COMPLAINT'].filter((r) => !have.has(r));
      if (!missing.length) continue;
      const edit = reasons
        ? ctx.edits.appendToList(reasons, missing)
        : sup.entries.length
          ? ctx.edits.addEntries(sup, [...set.res.path, K.SuppressionOptions], [[K.SuppressedReasons, missing]])
          : fillEmpty(ctx.text, ctx.infra.source === 'terraform' && !ctx.infra.json ? 'hcl' : ctx.infra.json ? 'json' : 'yaml', sup, K.SuppressedReasons, missing);
      const at = reasons ?? sup;
      ctx.report({
        messageId: 'missingReasons',
        start: at.start,
        end: at.end,
        data: { set: set.name ?? set.res.id, missing: missing.join(', ') },
        fixes: edit ? [{ title: term('fix.suppressFeedback', 'Suppress addresses that bounced or complained', ctx.locale), safe: true, edits: [edit] }] : [],
      });
    }
  },
};

/**
 * An empty override (`SuppressionOptions: {}`, `suppression_options {}`) filled in where it is: a
 * flow map (YAML) or an object (JSON) on its line, a block (HCL) opened over the lines below with
 * the line's indentation and line ending. Nothing around it moves.
 */
function fillEmpty(source: string, syntax: 'yaml' | 'json' | 'hcl', map: { start: number; end: number }, key: string, values: readonly string[]): TextEdit {
  const list = values.map((v) => (syntax === 'yaml' ? v : JSON.stringify(v))).join(', ');
  if (syntax !== 'hcl') return { start: map.start, end: map.end, text: syntax === 'json' ? `{ ${JSON.stringify(key)}: [${list}] }` : `{ ${key}: [${list}] }` };
  const lineStart = source.lastIndexOf('\n', map.start - 1) + 1;
  const indent = /^[ \t]*/.exec(source.slice(lineStart, map.start))![0];
  const unit = indent.startsWith('\t') ? '\t' : '  ';
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  return { start: map.start, end: map.end, text: `{${eol}${indent}${unit}${key} = [${list}]${eol}${indent}}` };
}
