import type { Rule } from '../core/rule';

/** Preheader conventions in markup, CSS and ESP variables, and the spacer characters that pad one. */
const PREHEADER_SIGN = /pre-?header|preview[-_ ]?text|mc_preview|&zwnj;|&#8204;|&#x200c;|&#847;|\u200c/i;

export const rule: Rule = {
  meta: {
    id: 'preheader-missing',
    description: 'A marketing email has no preheader: inboxes show whatever text comes first as the preview.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'info',
    group: 'rendering',
    fixable: false,
    marketingOnly: true,
    wholeMessage: true,
    messages: {
      missing: 'This email has no preheader (hidden preview text): inboxes show the first text of the message beside the subject, often "View in browser" or an image\'s alt text.',
    },
  },
  check(ctx) {
    const { model, composition } = ctx;
    if (model.markup.preheader) return;
    // Only a whole designed document is judged: a body with no <head> is wrapped by the ESP's or the
    // mailer's layout when it is sent, and ESPs write their "preview text" field into that wrapper.
    // An MJML document is compiled whole, head included, with or without an <mj-head> of its own.
    let head = model.markup.hasHead || (model.kind === 'mjml' && !model.fragment);
    // A layout or partial may hold it.
    for (const part of composition.parts) {
      if (part.kind === 'text' || !part.path) continue;
      const source = composition.sourceOf(part.path);
      if (source === undefined) continue;
      if (PREHEADER_SIGN.test(source) || /mj-preview|display\s*:\s*none|mso-hide\s*:\s*all/i.test(source)) return;
      head ||= /<(?:mj-)?head[\s>]/i.test(source);
    }
    if (!head || PREHEADER_SIGN.test(model.text)) return;
    const at = model.body ?? { tagStart: 0, tagEnd: 0 };
    ctx.report({ messageId: 'missing', start: at.tagStart, end: at.tagEnd });
  },
};
