import type { Rule } from '../core/rule';
import { tagRange } from './shared/a11y';

export const rule: Rule = {
  meta: {
    id: 'heading-order',
    description: 'A heading skips a level (an <h3> right after an <h1>), breaking the outline screen reader users navigate by.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'accessibility',
    fixable: false,
    messages: {
      skipped: 'This <h{level}> follows an <h{previous}>, skipping a level: screen reader users who move by headings think a section is missing. Use <h{expected}>, and style it to the size you want.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    let previous = 0;
    for (const el of model.a11y.headings) {
      const level = el.name.charCodeAt(1) - 48;
      if (previous !== 0 && level > previous + 1) {
        ctx.report({ ...tagRange(model.text, el), messageId: 'skipped', data: { level, previous, expected: previous + 1 } });
      }
      previous = level;
    }
  },
};
