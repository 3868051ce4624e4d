import type { Rule } from '../core/rule';

// Template-language delimiters and their closers. `%%` (SFMC) is symmetric and not checked.
const PAIRS: ReadonlyArray<{ open: string; close: string }> = [
  { open: '{{', close: '}}' },
  { open: '{%', close: '%}' },
  { open: '*|', close: '|*' },
  { open: '<%', close: '%>' },
];

/** How far a tag may run before we call it unclosed: real tags are short, block bodies are not tags. */
const MAX_TAG_LENGTH = 2000;
const MAX_REPORTS = 50;

export const rule: Rule = {
  meta: {
    id: 'merge-tag-unclosed',
    description: 'A merge tag is opened but never closed, so the ESP sends it as literal text.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'correctness',
    fixable: false,
    messages: {
      unclosed: 'The merge tag "{open}" is not closed with "{close}": recipients would see the raw tag.',
    },
  },
  check(ctx) {
    const { text } = ctx.model;
    let reports = 0;
    for (const { open, close } of PAIRS) {
      let i = text.indexOf(open);
      while (i !== -1 && reports < MAX_REPORTS) {
        const closeAt = text.indexOf(close, i + open.length);
        // `{{{` is one tag; any other opener before the closer means this tag was never closed.
        let nextOpen = text.indexOf(open, i + 1);
        while (nextOpen !== -1 && nextOpen <= i + open.length) nextOpen = text.indexOf(open, nextOpen + 1);
        const unclosed = closeAt === -1 || closeAt - i > MAX_TAG_LENGTH || (nextOpen !== -1 && nextOpen < closeAt);
        if (unclosed) {
          const lineEnd = text.indexOf('\n', i);
          ctx.report({ messageId: 'unclosed', start: i, end: Math.min(lineEnd === -1 ? text.length : lineEnd, i + 80), data: { open, close } });
          reports++;
          i = nextOpen;
        } else {
          i = text.indexOf(open, closeAt + close.length);
        }
      }
    }
  },
};
