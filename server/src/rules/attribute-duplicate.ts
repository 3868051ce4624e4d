import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'attribute-duplicate',
    description: 'A start tag has the same attribute twice; clients keep the first and drop the other.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'error',
    group: 'rendering',
    fixable: false,
    messages: {
      duplicate: 'The attribute "{name}" is repeated on this tag: email clients keep the first one and drop this one.',
    },
  },
  check(ctx) {
    // Collected while parsing (TemplateParser, markupFacts.ts); tags written with template syntax are left out there.
    for (const d of ctx.model.markup.duplicateAttributes) {
      ctx.report({ messageId: 'duplicate', start: d.start, end: d.end, data: { name: d.name } });
    }
  },
};
