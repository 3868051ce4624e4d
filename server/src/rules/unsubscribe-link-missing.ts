import { describeCategory } from '../core/classify';
import { findProbableUnsubscribeVariable, hasUnsubscribeToken, unsubscribeSignal } from '../core/detect/unsubscribe';
import { footerLanguage, insertBeforeBodyClose, unsubscribeFooterLines, unsubscribeTarget } from './shared/footer';
import { interpolate, term } from '../core/messages';
import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'unsubscribe-link-missing',
    description: 'Marketing mail must carry a visible, working unsubscribe link or ESP unsubscribe tag.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'error',
    group: 'unsubscribe',
    fixable: true,
    marketingOnly: true,
    messages: {
      missing:
        'No unsubscribe link in this marketing email: Gmail and Yahoo require a visible unsubscribe link in bulk mail, and CAN-SPAM an opt-out. {category}',
      probable:
        'The only unsubscribe in this marketing email is the variable {variable}, which no known ESP tag matches: check that your template engine renders it as a visible unsubscribe link or URL.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    // A partial (footer include, handlebars partial) is not a whole message.
    if (model.fragment) return;
    const links = ctx.included.links.length ? [...model.links, ...ctx.included.links] : model.links;
    if (links.some((l) => unsubscribeSignal(l, l.includedFrom === undefined ? model.text : undefined) !== undefined)) return;
    if (hasUnsubscribeToken(model.text) || (ctx.included.text && hasUnsubscribeToken(ctx.included.text))) return;
    // `${unsubscribe_url}` in an engine we do not know: probably an unsubscribe, so a note, not an error.
    const hit = findProbableUnsubscribeVariable(model.text, model.comments);
    const variable = hit?.token ?? (ctx.included.text ? findProbableUnsubscribeVariable(ctx.included.text)?.token : undefined);
    if (variable !== undefined) {
      ctx.report({
        messageId: 'probable',
        severity: 'info',
        start: hit?.start ?? model.body?.tagStart ?? 0,
        end: hit?.end ?? model.body?.tagEnd ?? 0,
        data: { variable },
      });
      return;
    }

    const target = unsubscribeTarget(ctx.config);
    const lang = footerLanguage(model, ctx.config, ctx.locale);
    const start = model.body?.tagStart ?? 0;
    const end = model.body?.tagEnd ?? 0;
    ctx.report({
      messageId: 'missing',
      start,
      end,
      data: { category: describeCategory(ctx.category, ctx.locale) },
      fixes: [
        {
          title: target.configured
            ? interpolate(term('fix.insertFooter', 'Insert an unsubscribe footer link ({source})', ctx.locale), { source: target.source })
            : term('fix.insertFooterPlaceholder', 'Insert an unsubscribe footer link (placeholder URL: set deliverlint.esp or sender.unsubscribeUrl)', ctx.locale),
          safe: target.configured,
          edits: [insertBeforeBodyClose(model, unsubscribeFooterLines(model, target.href, lang))],
        },
      ],
    });
  },
};
