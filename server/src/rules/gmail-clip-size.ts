import { byteSize, clipOffset, GMAIL_CLIP_BYTES } from '../core/detect/gmailClip';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'gmail-clip-size',
    description: 'The message as sent (with its layouts and partials) is larger than Gmail\'s 102 KB clipping point.',
    appliesTo: ['html'],
    defaultSeverity: 'warning',
    group: 'rendering',
    fixable: false,
    wholeMessage: true,
    messages: {
      clipped: 'This message is {kb} KB of HTML, past Gmail\'s clipping point (about 102 KB): Gmail cuts it here and hides the rest, footer and unsubscribe link included, behind "View entire message".',
      clippedParts: 'This message is {kb} KB of HTML with its layouts and partials, past Gmail\'s clipping point (about 102 KB): Gmail hides its end, footer and unsubscribe link included, behind "View entire message".',
    },
  },
  check(ctx) {
    const { model, composition } = ctx;
    // What the parts add: each layout and partial once (a partial included twice is counted once).
    const parts: string[] = [];
    let bound = model.text.length * 3;
    for (const part of composition.parts) {
      if (part.kind === 'text' || !part.path) continue;
      const source = composition.sourceOf(part.path);
      if (source === undefined) continue;
      parts.push(source);
      bound += source.length * 3;
    }
    if (bound <= GMAIL_CLIP_BYTES) return;
    const partBytes = parts.reduce((sum, s) => sum + byteSize(s, 0), 0);
    const own = byteSize(model.text, 0);
    const total = own + partBytes;
    if (total <= GMAIL_CLIP_BYTES) return;
    const kb = Math.round(total / 1024);
    // Alone past the clip: the finding is where Gmail cuts (layouts count before it only when there is one around it).
    // A text of one byte a character (ASCII, most templates) is cut at the limit itself: nothing to count.
    const cut = parts.length > 0 ? undefined : own === model.text.length ? GMAIL_CLIP_BYTES : clipOffset(model.text, 0);
    if (cut !== undefined) {
      ctx.report({ messageId: 'clipped', start: cut, end: Math.min(model.text.length, cut + 1), data: { kb } });
      return;
    }
    const at = model.body ?? { tagStart: 0, tagEnd: Math.min(model.text.length, 1) };
    ctx.report({ messageId: 'clippedParts', start: at.tagStart, end: at.tagEnd, data: { kb } });
  },
};
