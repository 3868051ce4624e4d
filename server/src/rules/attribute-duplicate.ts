import { findAttribute, startTagEnd } from '../core/parse/markup';
import type { Rule } from '../core/rule';

/** Repeats looked at per file (see check). */
const MAX_CHECKED = 100;

export const rule: Rule = {
  meta: {
    id: 'attribute-duplicate',
    description: 'A start tag has the same attribute twice; clients keep the first and drop the other.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'error',
    group: 'rendering',
    fixable: false,
    messages: {
      duplicate: 'The attribute "{name}" is repeated on this tag with another value: email clients keep the first one and drop this one.',
    },
  },
  check(ctx) {
    const { text } = ctx.model;
    // Collected while parsing (TemplateParser, markupFacts.ts); tags written with template syntax are
    // left out there. Each repeat reads its tag again: a hostile tag of 100,000 repeated attributes
    // would make that quadratic, so at most MAX_CHECKED repeats are looked at.
    const repeats = ctx.model.markup.duplicateAttributes;
    for (let i = 0; i < repeats.length && i < MAX_CHECKED; i++) {
      const d = repeats[i]!;
      const first = findAttribute(text, d.tagStart, startTagEnd(text, d.tagStart), d.name);
      const firstValue = first ? text.slice(first.valueStart, first.valueEnd) : undefined;
      // The same value twice (an inliner's leftover, `xmlns` written again) changes nothing.
      if (firstValue !== undefined && firstValue === valueAfter(text, d.end)) continue;
      // A dropped class loses only what the style sheet says of it: a warning; other attributes are the rendering itself.
      ctx.report({ messageId: 'duplicate', start: d.start, end: d.end, data: { name: d.name }, ...(d.name === 'class' && { severity: 'warning' as const }) });
    }
  },
};

/** The value of the attribute whose name ends at `nameEnd`: quoted, unquoted, or '' for none. */
function valueAfter(text: string, nameEnd: number): string {
  let i = nameEnd;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  if (text[i] !== '=') return '';
  i++;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  const q = text[i];
  if (q === '"' || q === "'") {
    const end = text.indexOf(q, i + 1);
    return text.slice(i + 1, end === -1 ? text.length : end);
  }
  let end = i;
  while (end < text.length && !/[\s>]/.test(text[end]!)) end++;
  return text.slice(i, end);
}
