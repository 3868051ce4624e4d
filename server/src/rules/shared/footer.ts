// Fix builders shared by rules: what an unsubscribe href should be for this team, and where footer
// content goes: into the footer the template already has (the cell or mj-text with the address or
// the legal text, else the last text cell), in its style; only a template with no such cell gets a
// footer block of its own before </body> or </mj-body>, in the file's own indentation.

import { addressShapeIn } from '../../core/detect/address';
import { ANY_ADDRESS_TOKEN, ANY_UNSUBSCRIBE_TOKEN, espTokens } from '../../core/esp';
import { findFooterBlock, type FooterBlock } from '../../core/parse/template/footer';
import { PLACEHOLDERS } from '../../core/placeholders';
import { indentationAt, indentUnit, lineStartOf } from '../../core/parse/markup';
import { lineEnding } from '../../core/text';
import { collapseWhitespace, parseTemplate, type TemplateModel } from '../../core/parse/template';

import { decodeHTML } from 'entities/decode';
import type { Composition } from '../../core/compose';
import type { Fix, Locale, ResolvedConfig, SenderConfig, TextEdit } from '../../core/types';

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

/** Elements whose content is text to the parser: markup inserted there is not markup. */
const RAW_TEXT_ELEMENTS = ['style', 'script', 'title', 'textarea', 'xmp'];

/**
 * Whether markup inserted at `at` lands where the parser reads elements of the body: not inside a
 * tag left open (a file cut off at `<t`), a comment, a CDATA section, a template tag, a `<head>` or
 * a raw-text element (`<style>`, `<script>`, `<title>` ...) that is still open there. A footer fix inserted in such a place is never seen, so fix-all would
 * insert it again on every pass. O(at), once per fix.
 */
export function insertsIntoContent(text: string, at: number): boolean {
  const lastGt = text.lastIndexOf('>', at - 1);
  const lastLt = text.lastIndexOf('<', at - 1);
  if (lastLt > lastGt && /^<[A-Za-z/!?]/.test(text.slice(lastLt, lastLt + 2))) return false;
  const comment = text.lastIndexOf('<!--', at - 1);
  if (comment !== -1 && !text.startsWith('<!-->', comment) && !text.startsWith('<!--->', comment)) {
    const close = text.indexOf('-->', comment + 4);
    if (close === -1 || close + 3 > at) return false;
  }
  const before = text.slice(0, at).toLowerCase();
  // Inside a CDATA section, a template tag left open (`<%`, `{{`, `{%`), or a <head> not closed yet:
  // none of these is where the reader sees markup.
  for (const [open, close] of [['<![cdata[', ']]>'], ['<%', '%>']] as const) {
    const o = before.lastIndexOf(open);
    if (o !== -1 && before.indexOf(close, o + open.length) === -1) return false;
  }
  // A `{{` or `{%` left open swallows what follows it only up to the next tag: a half-typed
  // `{{ first_name,` in a paragraph leaves the footer below it readable.
  for (const [open, close] of [['{{', '}}'], ['{%', '%}']] as const) {
    const o = before.lastIndexOf(open);
    if (o !== -1 && before.indexOf(close, o + open.length) === -1 && before.indexOf('<', o) === -1) return false;
  }
  const head = before.lastIndexOf('<head');
  if (head !== -1 && !/[\w-]/.test(before[head + 5] ?? '') && before.lastIndexOf('</head') < head && before.lastIndexOf('<body') < head) return false;
  // The same for MJML's <mj-head> (a file cut off inside it: the fuzz test's truncated templates).
  const mjHead = before.lastIndexOf('<mj-head');
  if (mjHead !== -1 && !/[\w-]/.test(before[mjHead + 8] ?? '') && before.lastIndexOf('</mj-head') < mjHead && before.lastIndexOf('<mj-body') < mjHead) return false;
  for (const name of RAW_TEXT_ELEMENTS) {
    const open = before.lastIndexOf(`<${name}`);
    if (open === -1 || /[\w-]/.test(before[open + name.length + 1] ?? '')) continue;
    if (before.lastIndexOf(`</${name}`) < open) return false;
  }
  return true;
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

// What a footer says: opt-out wording, copyright, why the reader gets the mail, in English and Japanese.
const FOOTER_WORDS =
  /unsubscribe|opt[ -]?out|(?:email|mail|subscription|notification) (?:preferences|settings)|manage (?:your )?(?:email|subscription|preferences)|you (?:are )?receiv|this (?:e-?mail|message) was sent|sent (?:to|by)|©|&copy;|&#169;|\(c\)\s*\d{4}|copyright|all rights reserved|配信停止|配信解除|登録解除|配信設定|メール(?:の)?配信|発行元|送信者|お問い合わせ先|住所/i;

/** Whether a block's text reads as a footer: an address (tag, configured, or by its shape) or the legal wording. */
export function isFooterText(text: string, sender: SenderConfig): boolean {
  if (FOOTER_WORDS.test(text)) return true;
  ANY_ADDRESS_TOKEN.lastIndex = 0;
  ANY_UNSUBSCRIBE_TOKEN.lastIndex = 0;
  if (ANY_ADDRESS_TOKEN.test(text) || ANY_UNSUBSCRIBE_TOKEN.test(text)) return true;
  if (sender.postalAddress && text.toLowerCase().includes((sender.postalAddress.split(/\n|,/)[0] ?? '').trim().toLowerCase() || '\u0000')) return true;
  return addressShapeIn(text) !== undefined;
}

/** The footer block of a whole template (not a partial's), or undefined when it has none to add to. */
export function footerBlock(model: TemplateModel, config: ResolvedConfig): FooterBlock | undefined {
  if (model.kind !== 'html' && model.kind !== 'mjml') return undefined;
  // Two fixes of one lint (the link and the address) ask of the same model: the text is read once.
  const known = footerBlocks.get(model);
  if (known && known.sender === config.sender) return known.block;
  const bodyStart = model.body?.tagEnd ?? 0;
  const found = findFooterBlock(model.text, model.kind, (t) => isFooterText(t, config.sender));
  const block = found && found.start >= bodyStart ? found : undefined;
  footerBlocks.set(model, { sender: config.sender, block });
  return block;
}
const footerBlocks = new WeakMap<TemplateModel, { sender: SenderConfig; block: FooterBlock | undefined }>();

/**
 * Footer content (an unsubscribe link, the address), as inline HTML: added at the end of the
 * template's footer block on a line of its own (after a <br>, or as a paragraph in a block that
 * holds paragraphs), with no style of its own; or, when the template has no footer block, as a
 * footer paragraph (MJML: a section) before the closing body tag. Undefined when that place is
 * not element content (insertsIntoContent).
 */
export function insertInFooter(model: TemplateModel, config: ResolvedConfig, inline: string, fallbackLines: string[]): TextEdit | undefined {
  const block = footerBlock(model, config);
  const edit = block ? insertInBlock(model.text, block, inline) : insertBeforeBodyClose(model, fallbackLines);
  // Nowhere the parser reads markup (a file cut off inside a tag, an open comment): no fix.
  if (!insertsIntoContent(model.text, edit.start)) return undefined;
  return readsAfterInsert(model, edit) ? edit : undefined;
}

/**
 * Whether the text an edit inserts is read as body text once it is in: the edit applied and the
 * template parsed again. insertsIntoContent rules out the usual places where it would not be (an
 * open tag, comment, head ...), cheaply; the many broken shapes a file can be in (an attribute
 * value left open around the footer, a `<textarea>` or `<mj-attributes>` left open ...) cannot all
 * be foreseen, and a fix whose text is not read is offered again on every pass of fix-all. The
 * second parse costs only when the rule reports, on the file that lacks the footer.
 */
function readsAfterInsert(model: TemplateModel, edit: TextEdit): boolean {
  const visible = collapseWhitespace(decodeHTML(edit.text.replace(/<[^>]*>/g, ' '))).trim();
  if (!visible) return true;
  const after = model.text.slice(0, edit.start) + edit.text + model.text.slice(edit.end);
  const again = parseTemplate(after, model.kind, { wholeMessage: !model.fragment });
  return again.bodyText.includes(visible);
}

/** `inline` added at the end of `block` of `text`, on a line of its own when the block's closing tag has one. */
export function insertInBlock(text: string, block: FooterBlock, inline: string): TextEdit {
  const eol = lineEnding(text);
  const piece = block.blockContent ? `<p style="margin:16px 0 0;">${inline}</p>` : `<br>${inline}`;
  const lineStart = lineStartOf(text, block.closeStart);
  if (text.slice(lineStart, block.closeStart).trim() !== '') {
    // `<td>text</td>` on one line: the piece goes on that line too.
    return { start: block.closeStart, end: block.closeStart, text: piece };
  }
  // The closing tag on a line of its own: a new line before it, indented like the block's last line.
  const closeIndent = indentationAt(text, block.closeStart);
  const before = text.slice(block.start, lineStart).replace(/\s+$/, '');
  const lastLine = before.lastIndexOf('\n') === -1 ? '' : indentationAt(text, block.start + before.lastIndexOf('\n') + 1);
  const indent = lastLine.length > closeIndent.length ? lastLine : closeIndent + indentUnit(text);
  return { start: lineStart, end: lineStart, text: `${indent}${piece}${eol}` };
}

/** A layout or partial of the message that holds its footer (a cell with the address or legal text). */
export interface PartFooter {
  path: string;
  text: string;
  block: FooterBlock;
}

/**
 * The footer of a composed message when it lives in one of its layouts or partials, not in the
 * email's own text: the last part (in the order the message is built) with a footer block.
 */
export function footerInParts(composition: Composition, model: TemplateModel, config: ResolvedConfig): PartFooter | undefined {
  if (footerBlock(model, config)?.reason === 'footer') return undefined;
  let found: PartFooter | undefined;
  for (const part of composition.parts) {
    // A Go {{define}} is a stretch of a file (`path#name`): its offsets are not the file's.
    if (!part.path || part.path.includes('#')) continue;
    const text = composition.sourceOf(part.path);
    if (!text) continue;
    const block = partBlock(part.path, text, config.sender);
    if (block?.reason === 'footer') found = { path: part.path, text, block };
  }
  return found;
}

// A footer partial is shared by many emails: its block is found once per text (bounded, dropped whole when full).
const partBlocks = new Map<string, { text: string; sender: SenderConfig; block: FooterBlock | undefined }>();
function partBlock(filePath: string, text: string, sender: SenderConfig): FooterBlock | undefined {
  const known = partBlocks.get(filePath);
  if (known && known.text === text && known.sender === sender) return known.block;
  const block = findFooterBlock(text, /\.mjml$/i.test(filePath) ? 'mjml' : 'html', (t) => isFooterText(t, sender));
  if (partBlocks.size >= 256) partBlocks.clear();
  partBlocks.set(filePath, { text, sender, block });
  return block;
}

/** A fix that adds `inline` to the footer of a layout or partial: offered, never safe (every email using the file changes). */
export function partFooterFix(footer: PartFooter, inline: string, title: string): Fix {
  return { title, safe: false, filePath: footer.path, edits: [insertInBlock(footer.text, footer.block, inline)] };
}

/** An unsubscribe link in the footer's own style: the colour and size of the links beside it, or none. */
export function unsubscribeLinkHtml(model: TemplateModel, config: ResolvedConfig, href: string, lang: Locale, block = footerBlock(model, config)): string {
  const label = lang === 'ja' ? '配信停止はこちら' : 'Unsubscribe';
  const look = block?.linkStyle;
  return `<a href="${escapeAttribute(href)}"${look ? ` style="${escapeAttribute(look)}"` : ''}>${label}</a>`;
}

/** The address as inline HTML for the footer. */
export function addressHtml(address: string): string {
  return escapeText(address).replace(/\r?\n/g, '<br>');
}
