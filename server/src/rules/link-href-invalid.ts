import type { Rule } from '../core/rule';
import { hrefProblem, shorten } from './shared/urls';

export const rule: Rule = {
  meta: {
    id: 'link-href-invalid',
    description: 'A link goes nowhere: an empty or javascript: href, a malformed URL, or a relative URL nothing resolves in an email.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'rendering',
    fixable: false,
    messages: {
      empty: 'This link has an empty href: clicking it does nothing, or opens the message again.',
      script: 'This link uses a javascript: URL; email clients remove scripts, so it does nothing.',
      malformed: 'The link target "{href}" is not a well-formed web address; check the scheme and the host.',
      relative: 'The link target "{href}" is a relative URL: an email has no page address to resolve it against, so clients open nothing or a wrong page. Write the full https:// URL.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const role = ctx.composition.role.role;
    // Relative URLs are fine on a web page: only a file known to be (part of) an email, without a <base>, is judged on them.
    const judgeRelative = (role === 'email' || role === 'part') && !model.markup.hasBase;
    for (const link of model.links) {
      if (link.href === undefined) continue;
      const problem = hrefProblem(link.href);
      if (!problem || (problem === 'relative' && (!judgeRelative || link.element.name === 'mj-navbar-link'))) continue;
      // An unsubscribe link with no target is unsubscribe-link-unusable's finding.
      if ((problem === 'empty' || problem === 'script') && link.unsubscribe) continue;
      ctx.report({ messageId: problem, start: link.tagStart, end: link.tagEnd, data: { href: shorten(link.href.trim()) } });
    }
  },
};
