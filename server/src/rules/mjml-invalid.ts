import { LineIndex } from '../core/text';
import { findAttribute, startTagEnd } from '../core/parse/markup';
import { mjmlAttributeNames, validateMjml } from '../core/parse/mjml';
import { interpolate, term } from '../core/messages';
import { editDistance } from '../core/suggest';
import type { Rule } from '../core/rule';
import type { Fix } from '../core/types';

/** The known attributes of `tagName` nearest to `name` (at most 2 edits, a third of the name at most). */
export function nearestAttributes(tagName: string, name: string): string[] {
  const known = mjmlAttributeNames(tagName);
  if (!known) return [];
  const max = Math.min(2, Math.max(1, Math.floor(name.length / 3)));
  let best = max + 1;
  let out: string[] = [];
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k, max);
    if (d < best) {
      best = d;
      out = [k];
    } else if (d === best && d <= max) out.push(k);
  }
  return best <= max ? out : [];
}

export const rule: Rule = {
  meta: {
    id: 'mjml-invalid',
    description: 'mjml\'s own validation: unknown tags or attributes, wrong nesting, invalid attribute values.',
    appliesTo: ['mjml'],
    defaultSeverity: 'warning',
    group: 'correctness',
    fixable: true,
    messages: {
      invalid: 'MJML: {detail}',
      illegalAttribute: 'MJML: {detail}',
      parse: 'MJML could not parse this file: {detail}',
    },
  },
  check(ctx) {
    const { text } = ctx.model;
    let problems;
    try {
      problems = validateMjml(text);
    } catch (err) {
      ctx.report({ messageId: 'parse', start: 0, end: 0, data: { detail: err instanceof Error ? err.message : String(err) } });
      return;
    }
    if (!problems.length) return;
    const lines = new LineIndex(text);
    // Where each tag name next occurs, remembered: problems come in document order, so each name's
    // search only moves forward and the whole loop reads the text a bounded number of times (a
    // 100,000-deep mj-section on one line gives 100,000 problems).
    const seen = new Map<string, { from: number; at: number }>();
    const tagAtOrAfter = (tagName: string, from: number): number => {
      const c = seen.get(tagName);
      if (c && c.from <= from && (c.at === -1 || c.at >= from)) return c.at;
      const at = text.indexOf(`<${tagName}`, from);
      seen.set(tagName, { from, at });
      return at;
    };
    for (const p of problems) {
      // mjml reports lines only; underline the offending tag on that line, else the line's text.
      const lineStart = lines.startOf(p.line - 1);
      const nextStart = lines.startOf(p.line);
      const lineEnd = nextStart > lineStart ? nextStart - 1 : text.length;
      const tagAt = tagAtOrAfter(p.tagName, lineStart);
      let start = tagAt !== -1 && tagAt < lineEnd ? tagAt : lineStart;
      while (start < lineEnd && /\s/.test(text[start]!)) start++;
      const end = tagAt !== -1 && tagAt < lineEnd ? Math.min(lineEnd, tagAt + 1 + p.tagName.length) : lineEnd;
      // An attribute mjml does not know: the finding sits on its name, with the nearest known names as fixes.
      const illegal = /^Attribute (\S+) is illegal/.exec(p.message);
      const attr = illegal && tagAt !== -1 && tagAt < lineEnd ? findAttribute(text, tagAt, startTagEnd(text, tagAt), illegal[1]!) : undefined;
      if (attr) {
        const name = illegal![1]!;
        const nameEnd = attr.start + name.length;
        const candidates = nearestAttributes(p.tagName, name).filter((c) => !findAttribute(text, tagAt, startTagEnd(text, tagAt), c));
        const fixes: Fix[] = candidates.map((c) => ({
          title: interpolate(term('fix.renameMjmlAttribute', 'Rename the attribute to {name}', ctx.locale), { name: c }),
          // One near name, not already on the tag: the typo has one reading, so fix-all may apply it.
          safe: candidates.length === 1,
          edits: [{ start: attr.start, end: nameEnd, text: c }],
        }));
        ctx.report({ messageId: 'illegalAttribute', start: attr.start, end: nameEnd, data: { detail: p.message }, fixes });
        continue;
      }
      ctx.report({ messageId: 'invalid', start, end, data: { detail: p.message } });
    }
  },
};
