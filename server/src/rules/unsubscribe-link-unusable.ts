import { declarationHides, hiddenChecker, type HiddenReason } from '../core/detect/hidden';
import { findAttribute, startTagEnd } from '../core/parse/markup';
import { unsubscribeSignal } from '../core/detect/unsubscribe';
import { escapeAttribute, unsubscribeTarget } from './shared/footer';
import { interpolate, term } from '../core/messages';
import { isPlaceholder } from '../core/placeholders';
import type { LinkInfo } from '../core/parse/template';
import type { Report, Rule } from '../core/rule';
import type { Fix, TextEdit } from '../core/types';
import { GMAIL_CLIP_BYTES, mayClip as mayPassClip, Utf8Offsets } from '../core/detect/gmailClip';
import { httpsFix } from './shared/https';

export const rule: Rule = {
  meta: {
    id: 'unsubscribe-link-unusable',
    description: 'An unsubscribe link exists but will not work or will not be seen.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'error',
    group: 'unsubscribe',
    fixable: true,
    messages: {
      emptyHref: 'This unsubscribe link has no target (empty href): clicking it does nothing.',
      anchorHref: 'This unsubscribe link points to "{href}", an anchor in the message itself, not an unsubscribe page.',
      scriptHref: 'This unsubscribe link uses a javascript: URL, which email clients strip or block.',
      homePage: 'This link reads as an unsubscribe link but points at the home page "{href}": readers cannot unsubscribe there.',
      insecureHref: 'This unsubscribe link uses plain http:; mailbox providers and browsers warn on it. Use https:.',
      placeholder: 'This unsubscribe link still points at {href}, a placeholder a quick fix wrote: replace it with your unsubscribe URL or your ESP\'s unsubscribe tag (or set sender.unsubscribeUrl or deliverlint.esp and use the quick fix).',
      hidden: 'This unsubscribe link is hidden from readers by {declaration} on <{on}>.',
      hiddenInPart: 'The unsubscribe link this email gets from {part} is hidden from readers by {declaration} on <{on}>.',
      clipped:
        'This unsubscribe link sits {kb} KB into the HTML, past Gmail\'s clipping point (about 102 KB): readers only see it after "View entire message".',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const target = unsubscribeTarget(ctx.config);
    const bodyEl = model.body?.element;
    // Byte offsets matter for clipping (core/detect/gmailClip.ts).
    const mayClip = model.kind === 'html' && mayPassClip(model.text);
    const bytesBefore = new Utf8Offsets(model.text);
    // One cascade for all the links: each element's styles are read once (see hiddenChecker).
    const hiddenInBody = hiddenChecker(bodyEl, model.text);
    for (const link of model.links) {
      if (!unsubscribeSignal(link, model.text)) continue;
      const base = { start: link.tagStart, end: link.tagEnd };
      const problem = hrefProblem(link.href);
      if (problem) {
        const report: Report = { ...base, messageId: problem, data: { href: link.href ?? '' } };
        // A home page may lead to a preference page: a warning, not the error of a link that cannot work.
        if (problem === 'homePage') report.severity = 'warning';
        if (problem === 'insecureHref') {
          report.severity = 'warning';
          const https = httpsFix(model.text, link.hrefRange, ctx.locale);
          if (https) report.fixes = [https];
        }
        // A placeholder is only worth replacing with a real target, never with itself.
        if (problem !== 'placeholder' || target.configured) report.fixes = [...(report.fixes ?? []), replaceHrefFix(link, target.href, target.configured, ctx.locale)];
        ctx.report(report);
        continue;
      }
      const hidden = hiddenInBody(link.element);
      if (hidden) {
        const show = showFix(model.text, hidden, ctx.locale);
        ctx.report({ ...base, messageId: 'hidden', data: { declaration: hidden.declaration, on: hidden.on }, ...(show && { fixes: [show] }) });
        continue;
      }
      if (mayClip && link.tagStart > GMAIL_CLIP_BYTES / 4) {
        const bytes = bytesBefore.at(link.tagStart);
        if (bytes > GMAIL_CLIP_BYTES) {
          ctx.report({ ...base, messageId: 'clipped', severity: 'warning', data: { kb: Math.round(bytes / 1024) } });
        }
      }
    }
    // An email whose unsubscribe link comes from a layout or partial: a hidden one is shown on the
    // email too, with the place in the part (the part's own lint reports it there as well).
    const { composition } = ctx;
    if (composition.role.role !== 'email' || !ctx.included.links.length) return;
    const anchor = composition.references[0];
    const checkers = new Map<string, ReturnType<typeof hiddenChecker>>();
    for (const link of ctx.included.links) {
      if (!link.includedFrom || !unsubscribeSignal(link)) continue;
      let hiddenInPart = checkers.get(link.includedFrom);
      if (!hiddenInPart) checkers.set(link.includedFrom, (hiddenInPart = hiddenChecker(undefined, composition.sourceOf(link.includedFrom))));
      const hidden = hiddenInPart(link.element);
      if (!hidden) continue;
      const part = link.includedFrom.replace(/#.*$/, '').replace(/^.*[\\/]/, '');
      const related = composition.place(link.includedFrom, link.tagStart, link.tagEnd, term('related.hiddenLink', 'The hidden unsubscribe link', ctx.locale));
      ctx.report({
        start: anchor?.start ?? model.body?.tagStart ?? 0,
        end: anchor?.end ?? model.body?.tagEnd ?? 0,
        messageId: 'hiddenInPart',
        data: { part, declaration: hidden.declaration, on: hidden.on },
        ...(related && { related: [related] }),
      });
      return;
    }
  },
};

function hrefProblem(href: string | undefined): string | undefined {
  const h = (href ?? '').trim();
  if (h === '') return 'emptyHref';
  if (h.startsWith('#')) return 'anchorHref';
  if (/^javascript:/i.test(h)) return 'scriptHref';
  if (/^http:/i.test(h)) return 'insecureHref';
  if (isPlaceholder(h)) return 'placeholder';
  if (isHomePage(h)) return 'homePage';
  return undefined;
}

/** `https://example.com` or `https://example.com/`: a site's home page, no path, query or fragment. */
export function isHomePage(href: string): boolean {
  return /^https?:\/\/[^/?#\s{}%<>|*[\]]+\/?$/i.test(href);
}

function hrefEdit(link: LinkInfo, value: string): TextEdit {
  if (link.hrefRange) return { start: link.hrefRange.start, end: link.hrefRange.end, text: `href="${escapeAttribute(value)}"` };
  // No href attribute at all: add one right after the tag name.
  const nameEnd = link.tagStart + 1 + link.element.name.length;
  return { start: nameEnd, end: nameEnd, text: ` href="${escapeAttribute(value)}"` };
}

function replaceHrefFix(link: LinkInfo, href: string, configured: boolean, locale: 'en' | 'ja'): Fix {
  return {
    title: configured
      ? `${term('fix.setHref', 'Point the link at the unsubscribe URL', locale)} (${href})`
      : term('fix.setHrefPlaceholder', 'Point the link at a placeholder unsubscribe URL (set deliverlint.esp or sender.unsubscribeUrl)', locale),
    // It changes where the link goes (a preference centre becomes the unsubscribe URL): offered to a
    // person, never applied by fix-all. `configured` only decides the title.
    safe: false,
    edits: [hrefEdit(link, href)],
  };
}

/**
 * Shows a hidden unsubscribe link: drops the hiding declarations (display:none, visibility:hidden,
 * mso-hide:all, opacity:0, a zero height, a tiny font size) from the inline style of the element
 * that hides it, keeping every other declaration as written, or drops its `hidden` attribute. Not
 * safe: the author may have hidden it on purpose (a legacy footer kept for later), and showing it
 * changes what readers see. Undefined when the hiding does not come from that element's markup.
 */
function showFix(text: string, hidden: HiddenReason, locale: 'en' | 'ja'): Fix | undefined {
  const el = hidden.element;
  if (!el) return undefined;
  const tagEnd = startTagEnd(text, el.startIndex);
  const attr = findAttribute(text, el.startIndex, tagEnd, hidden.declaration === 'hidden' ? 'hidden' : 'style');
  if (!attr) return undefined;
  let edit: TextEdit;
  const removeAttribute = (): TextEdit => {
    let from = attr.start;
    while (from > el.startIndex && /[ \t]/.test(text[from - 1]!)) from--;
    return { start: from, end: attr.end, text: '' };
  };
  if (hidden.declaration === 'hidden') {
    edit = removeAttribute();
  } else {
    const value = text.slice(attr.valueStart, attr.valueEnd);
    const kept = value.match(/[^;]*(?:;|$)/g)!.filter((d) => d !== '' && !declarationHides(d.replace(/;$/, '')));
    const next = kept.join('').replace(/^\s+/, '');
    if (next === value) return undefined;
    edit = next.trim() === '' ? removeAttribute() : { start: attr.valueStart, end: attr.valueEnd, text: next };
  }
  return {
    title: interpolate(term('fix.showHiddenLink', 'Show the link: remove {declaration} from <{on}>', locale), { declaration: hidden.declaration, on: hidden.on }),
    safe: false,
    edits: [edit],
  };
}
