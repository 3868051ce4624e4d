import { LineIndex } from '../core/text';
import { validateMjml } from '../core/parse/mjml';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'mjml-invalid',
    description: 'mjml\'s own validation: unknown tags or attributes, wrong nesting, invalid attribute values.',
    appliesTo: ['mjml'],
    defaultSeverity: 'warning',
    group: 'correctness',
    fixable: false,
    messages: {
      invalid: 'MJML: {detail}',
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
      ctx.report({ messageId: 'invalid', start, end, data: { detail: p.message } });
    }
  },
};
