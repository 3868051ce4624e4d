import { term } from '../core/messages';
import type { CommentInfo } from '../core/parse/template';
import type { Report, Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'mso-conditional-unbalanced',
    description: 'An Outlook conditional comment (<!--[if mso]>, <!--[if !mso]><!-->) is never closed with <![endif]-->.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'error',
    group: 'rendering',
    fixable: true,
    messages: {
      hidden: 'This conditional comment ({condition}) has no <![endif]: Outlook shows or hides the wrong part of the message, and other clients may show Outlook-only markup.',
      revealed: 'This conditional block ({condition}) for clients other than Outlook is never closed with <!--<![endif]-->: Outlook hides everything after it.',
    },
  },
  check(ctx) {
    const { comments, text } = ctx.model;
    /** The open `<!--[if !mso]><!-->` block, waiting for its `<!--<![endif]-->`. */
    let revealed: CommentInfo | undefined;
    const reportRevealed = (open: CommentInfo, before: number | undefined) => {
      const report: Report = { messageId: 'revealed', start: open.start, end: open.end, data: { condition: condition(open.data) } };
      // Where the block ends is a guess (before the next conditional, or before </body>): offered, not applied.
      const at = before ?? ctx.model.body?.closeStart;
      if (at !== undefined) report.fixes = [{ title: term('fix.closeConditional', 'Close the conditional comment here', ctx.locale), safe: false, edits: [{ start: at, end: at, text: '<!--<![endif]-->' }] }];
      ctx.report(report);
    };
    for (const c of comments) {
      const data = c.data;
      // Most comments are no conditional: neither `[if` nor `<![endif]` holds a bracket-free comment.
      if (data.indexOf('[') === -1) continue;
      const lead = data.trimStart();
      if (/^<!\[endif\]\s*$/i.test(lead)) {
        revealed = undefined;
        continue;
      }
      if (!/^\[if\b/i.test(lead)) continue;
      const endif = data.search(/<!\[endif\]/i);
      if (/\]>\s*<!(?:--)?\s*$/.test(data) && endif === -1) {
        // <!--[if !mso]><!--> opens a block shown outside Outlook, closed by a comment of its own.
        if (revealed) reportRevealed(revealed, c.start);
        revealed = c;
        continue;
      }
      const nested = data.indexOf('<!--');
      if (endif !== -1 && (nested === -1 || nested > endif)) continue;
      const report: Report = { messageId: 'hidden', start: c.start, end: Math.min(c.end, c.start + openerLength(data)), data: { condition: condition(data) } };
      // The comment ended at a `-->` of its own, with no other comment swallowed: <![endif] goes right before it.
      const closedHere = nested === -1 && text.startsWith('-->', c.end - 3);
      if (closedHere) {
        report.fixes = [{ title: term('fix.closeConditional', 'Close the conditional comment here', ctx.locale), safe: true, edits: [{ start: c.end - 3, end: c.end - 3, text: '<![endif]' }] }];
      } else if (nested !== -1) {
        // It ran on into the next conditional comment: closing it before that one is likely, not certain.
        const at = c.start + 4 + nested;
        report.fixes = [{ title: term('fix.closeConditional', 'Close the conditional comment here', ctx.locale), safe: false, edits: [{ start: at, end: at, text: '<![endif]-->' }] }];
      }
      ctx.report(report);
    }
    if (revealed) reportRevealed(revealed, undefined);
  },
};

/** `[if mso]`, `[if gte mso 9]` ...: the condition as written, at most 40 characters. */
function condition(data: string): string {
  const m = /\[if[^\]]{0,40}\]/i.exec(data);
  return m ? m[0] : '[if]';
}

/** The opener `<!--[if ...]>` (plus `<!-->` for a revealed one) as the finding's span. */
function openerLength(data: string): number {
  const close = data.indexOf(']>');
  return 4 + (close === -1 ? Math.min(data.length, 40) : close + 2);
}
