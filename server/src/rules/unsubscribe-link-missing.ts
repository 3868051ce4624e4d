import { describeJudgement } from '../core/classify';
import { findProbableUnsubscribeVariable, hasUnsubscribeToken, unsubscribeSignal } from '../core/detect/unsubscribe';
import { hasTemplateUnsubscribeLink } from '../core/detect/templateLinks';
import { footerInParts, footerLanguage, insertInFooter, partFooterFix, unsubscribeFooterLines, unsubscribeLinkHtml, unsubscribeTarget } from './shared/footer';
import { interpolate, term } from '../core/messages';
import { textHasUnsubscribe } from '../core/compose';
import * as path from 'node:path';
import type { Rule } from '../core/rule';
import type { Fix, Locale } from '../core/types';

function unresolvedReason(reason: 'dynamic' | 'missing' | 'unread', locale: Locale): string {
  if (reason === 'dynamic') return term('compose.dynamic', 'its name is computed at run time', locale);
  if (reason === 'missing') return term('compose.missing', 'no such file', locale);
  return term('compose.unread', 'the template was linted without its folder', locale);
}

export const rule: Rule = {
  meta: {
    id: 'unsubscribe-link-missing',
    description: 'Marketing mail must carry a visible, working unsubscribe link or ESP unsubscribe tag.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'error',
    group: 'unsubscribe',
    fixable: true,
    marketingOnly: true,
    wholeMessage: true,
    messages: {
      missing:
        'No unsubscribe link in this marketing email: Gmail and Yahoo require a visible unsubscribe link in bulk mail, and CAN-SPAM an opt-out. {category}',
      unverifiable: 'Could not follow {kind} {name} ({reason}): the unsubscribe link cannot be verified. Add the folder it lives in to templatePaths, or mark the file with deliverlint-kind.',
      outside: 'Did not read {kind} {name}: it is outside the workspace, so the unsubscribe link cannot be verified. List its folder in includeRoots in .deliverlintrc.json to read it.',
      onlyInText:
        'The unsubscribe link of this marketing email is only in its plain-text part ({file}): mail apps show the HTML part, so most recipients never see it. Add it to the HTML too. {category}',
      missingInText: 'The plain-text part of this email ({file}) has no unsubscribe link: recipients who read plain text cannot opt out.',
      probable:
        'The only unsubscribe in this marketing email is the variable {variable}, which no known ESP tag matches: check that your template engine renders it as a visible unsubscribe link or URL.',
    },
  },
  check(ctx) {
    const { model, composition } = ctx;
    const links = ctx.included.links.length ? [...model.links, ...ctx.included.links] : model.links;
    const alternative = composition.alternative;
    const htmlHasLink =
      links.some((l) => unsubscribeSignal(l, l.includedFrom === undefined ? model.text : undefined) !== undefined) ||
      hasUnsubscribeToken(model.text) ||
      !!(ctx.included.text && hasUnsubscribeToken(ctx.included.text)) ||
      // link_to "Unsubscribe", route('unsubscribe') ...: links the template engine writes.
      hasTemplateUnsubscribeLink(model.text) ||
      !!(ctx.included.text && hasTemplateUnsubscribeLink(ctx.included.text));
    if (htmlHasLink) {
      // The plain-text twin is the same message for those who read text: a note when it lacks the link.
      if (alternative && !textHasUnsubscribe(alternative.text)) {
        ctx.report({ messageId: 'missingInText', severity: 'info', start: model.body?.tagStart ?? 0, end: model.body?.tagEnd ?? 0, data: { file: path.basename(alternative.path) } });
      }
      return;
    }
    // Only the plain-text part has it: the message carries it, but the HTML most people read does not.
    if (alternative && textHasUnsubscribe(alternative.text)) {
      ctx.report({
        messageId: 'onlyInText',
        severity: 'warning',
        start: model.body?.tagStart ?? 0,
        end: model.body?.tagEnd ?? 0,
        data: { file: path.basename(alternative.path), category: describeJudgement(ctx.category, ctx.composition.role, ctx.locale) },
      });
      return;
    }

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

    // A layout or partial that could not be followed may hold the link: say so, never "missing".
    const unresolved = composition.unresolved[0];
    if (unresolved?.reason === 'outside') {
      ctx.report({ messageId: 'outside', start: unresolved.start, end: unresolved.end, severity: 'info', data: { kind: unresolved.kind, name: unresolved.name ?? '' } });
      return;
    }
    if (unresolved) {
      ctx.report({
        messageId: 'unverifiable',
        start: unresolved.start,
        end: unresolved.end,
        severity: 'info',
        data: { kind: unresolved.kind, name: unresolved.name ?? term('compose.computedName', '(a name computed at run time)', ctx.locale), reason: unresolvedReason(unresolved.reason, ctx.locale) },
      });
      return;
    }

    const target = unsubscribeTarget(ctx.config);
    const lang = footerLanguage(model, ctx.config, ctx.locale);
    const start = model.body?.tagStart ?? 0;
    const end = model.body?.tagEnd ?? 0;
    // The footer lives in a layout or partial: the link belongs there, for every email that uses it.
    const inPart = footerInParts(composition, model, ctx.config);
    const partFix: Fix[] = inPart
      ? [
          partFooterFix(
            inPart,
            unsubscribeLinkHtml(model, ctx.config, target.href, lang, inPart.block),
            interpolate(term('fix.insertFooterInPart', 'Insert an unsubscribe link in the footer of {file} (changes every email that uses it)', ctx.locale), { file: inPart.path.replace(/^.*[\\/]/, '') }),
          ),
        ]
      : [];
    const edit = insertInFooter(model, ctx.config, unsubscribeLinkHtml(model, ctx.config, target.href, lang), unsubscribeFooterLines(model, target.href, lang));
    ctx.report({
      messageId: 'missing',
      start,
      end,
      data: { category: describeJudgement(ctx.category, ctx.composition.role, ctx.locale) },
      fixes: [
        ...partFix,
        ...(!edit ? [] : [{
          title: target.configured
            ? interpolate(term('fix.insertFooter', 'Insert an unsubscribe footer link ({source})', ctx.locale), { source: target.source })
            : term('fix.insertFooterPlaceholder', 'Insert an unsubscribe footer link (placeholder URL: set deliverlint.esp or sender.unsubscribeUrl)', ctx.locale),
          // In a file whose layout holds the footer, where the link belongs is for a person to decide.
          // ... and where a layout or partial holds the footer, so is whether this email gets its own link.
          safe: target.configured && !model.fragment && !inPart,
          edits: [edit],
        }]),
      ],
    });
  },
};
