// Fix builders shared by rules: what an unsubscribe href should be for this team, and how to put
// a footer block before </body> or </mj-body> in the file's own indentation.

import { espTokens } from '../../core/esp';
import { PLACEHOLDERS } from '../../core/placeholders';
import { indentationAt, indentUnit, lineStartOf } from '../../core/parse/markup';
import { lineEnding } from '../../core/text';
import type { TemplateModel } from '../../core/parse/template';
import type { Locale, ResolvedConfig, TextEdit } from '../../core/types';

export interface UnsubscribeTarget {
  href: string;
  /** False when we had to invent a placeholder: the fix then needs a person to finish it. */
  configured: boolean;
  source: string;
}

export const PLACEHOLDER_UNSUBSCRIBE_URL = PLACEHOLDERS.unsubscribeUrl;

export function unsubscribeTarget(config: ResolvedConfig): UnsubscribeTarget {
  if (config.sender.unsubscribeUrl) return { href: config.sender.unsubscribeUrl, configured: true, source: 'sender.unsubscribeUrl' };
  const esp = espTokens(config.esp);
  if (esp) return { href: esp.insert, configured: true, source: esp.label };
  return { href: PLACEHOLDER_UNSUBSCRIBE_URL, configured: false, source: 'placeholder' };
}

/** Footer wording in the language of the mail: Japanese for a jp profile or a lang="ja" document. */
export function footerLanguage(model: TemplateModel, config: ResolvedConfig, locale: Locale): Locale {
  if (model.lang) return /^ja\b/i.test(model.lang) ? 'ja' : 'en';
  if (config.jurisdictions.includes('jp')) return 'ja';
  return locale;
}

export function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Inserts footer content (given as lines, relative indentation already applied) just before the
 * closing body tag. HTML gets the lines as they are; MJML wraps them in a section and column.
 */
export function insertBeforeBodyClose(model: TemplateModel, htmlLines: string[]): TextEdit {
  const { text } = model;
  const eol = lineEnding(text);
  const unit = indentUnit(text);
  const close = model.body?.closeStart ?? endOfBodyContent(model);
  const closeIndent = indentationAt(text, close);
  const lineStart = lineStartOf(text, close);
  const closeAloneOnLine = text.slice(lineStart, close).trim() === '';
  const inner = closeIndent + unit;
  let lines: string[];
  if (model.kind === 'mjml') {
    lines = [
      `${inner}<mj-section>`,
      `${inner}${unit}<mj-column>`,
      ...htmlLines.map((l) => `${inner}${unit}${unit}${l}`),
      `${inner}${unit}</mj-column>`,
      `${inner}</mj-section>`,
    ];
  } else {
    lines = htmlLines.map((l) => `${inner}${l}`);
  }
  if (closeAloneOnLine) return { start: lineStart, end: lineStart, text: lines.join(eol) + eol };
  return { start: close, end: close, text: eol + lines.join(eol) + eol + closeIndent };
}

function endOfBodyContent(model: TemplateModel): number {
  const el = model.body?.element;
  if (el && el.endIndex !== null && el.endIndex !== undefined) return el.endIndex + 1;
  return model.text.length;
}

/** The unsubscribe paragraph (HTML) or mj-text (MJML) for the footer. */
export function unsubscribeFooterLines(model: TemplateModel, href: string, lang: Locale): string[] {
  const label = lang === 'ja' ? '配信停止はこちら' : 'Unsubscribe';
  const link = `<a href="${escapeAttribute(href)}" style="color:#666666;text-decoration:underline;">${label}</a>`;
  if (model.kind === 'mjml') return [`<mj-text align="center" font-size="12px" color="#666666">${link}</mj-text>`];
  return [`<p style="margin:0;padding:16px 0;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:18px;color:#666666;text-align:center;">${link}</p>`];
}

/** A footer paragraph holding the sender's postal address. */
export function addressFooterLines(model: TemplateModel, address: string): string[] {
  const html = escapeText(address).replace(/\r?\n/g, '<br>');
  if (model.kind === 'mjml') return [`<mj-text align="center" font-size="12px" color="#666666">${html}</mj-text>`];
  return [`<p style="margin:0;padding:8px 0;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:18px;color:#666666;text-align:center;">${html}</p>`];
}
