import { startTagEnd } from '../core/parse/markup';
import type { Rule } from '../core/rule';
import { ownRoot, tagRange } from './shared/a11y';

export const rule: Rule = {
  meta: {
    id: 'title-missing',
    description: 'The message has no <title> (mj-title in MJML), or an empty one.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'accessibility',
    fixable: false,
    messages: {
      missing: 'This message has no <title>. Screen readers announce the title first, and clients show it when the message is opened in a browser ("View online"): give it the subject line.',
      empty: 'The <title> of this message is empty. Screen readers announce the title first, and clients show it when the message is opened in a browser: give it the subject line.',
      mjmlMissing: 'This MJML has no <mj-title> in <mj-head>, so the HTML it makes has an empty <title>: give it the subject line.',
      mjmlEmpty: 'The <mj-title> is empty, so the HTML it makes has an empty <title>: give it the subject line.',
    },
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
