// Where a template's footer is, for fixes that add to it (an unsubscribe link, the postal address):
// the table cell or mj-text that holds the address or the legal text, else the last text cell of
// the layout. The template model keeps only what rules read, so this reads the text again with the
// same parser; it runs only when a footer fix is built, on a file that has the finding.

import type { Handler } from 'htmlparser2';
import type { TemplateKind } from '../../types';
import { TemplateParser, TemplateTokenizer } from './htmlparser';

export interface FooterBlock {
  /** td, th or mj-text. */
  readonly name: string;
  readonly start: number;
  /** Offset of the block's closing tag (`</td>`): footer content goes just before it. */
  readonly closeStart: number;
  /** The block holds paragraphs, headings, lists or tables: add a paragraph, not a line. */
  readonly blockContent: boolean;
  /** `color` and `font-size` of the last visible link in the block, as `color:#888888;font-size:12px;`. */
  readonly linkStyle?: string;
  /** The visible text of the block, nested cells left out. */
  readonly text: string;
  /** Chosen for its footer text, or as the last text cell. */
  readonly reason: 'footer' | 'last';
}

const BLOCK_CHILDREN = new Set(['p', 'div', 'table', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'center']);
const NO_TEXT = new Set(['script', 'style', 'head', 'title', 'mj-head', 'mj-style', 'mj-attributes', 'mj-preview']);
const VOID = new Set(['br', 'img', 'hr', 'meta', 'link', 'input', 'wbr', 'source', 'col', 'area', 'base']);
/** Display none, mso-hide:all, visibility hidden, or a zero font size or opacity on the element. */
const HIDING = /(?:^|;)\s*(?:display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$|!)|font-size\s*:\s*0(?:px|pt|em|rem|%)?\s*(?:;|$|!)|max-height\s*:\s*0(?:px)?\s*(?:;|$|!))/i;

interface OpenCell {
  name: string;
  start: number;
  /** Depth in the element stack where the cell opened. */
  depth: number;
  text: string[];
  linkText: string[];
  links: number;
  blockContent: boolean;
  linkStyle?: string;
}

interface Finished extends FooterBlock {
  links: number;
  linkText: string;
}

/** The declarations of `style` worth copying to a new link beside the others. */
export function linkLook(style: string | undefined): string | undefined {
  if (!style) return undefined;
  const kept = style
    .split(';')
    .map((d) => d.trim())
    .filter((d) => /^(?:color|font-size)\s*:/i.test(d) && !/[{}<>"]/.test(d))
    .map((d) => d.replace(/\s*:\s*/, ':'));
  return kept.length ? `${kept.join(';')};` : undefined;
}

/**
 * The footer block of a template, or undefined when it has no cell to add to (a layout without
 * tables, a file with no text cell). `isFooterText` says whether a block's text reads as a footer
 * (an address, "unsubscribe", "©" ...): the last block that does is the footer, else the last text
 * cell that is not a button.
 */
export function findFooterBlock(text: string, kind: TemplateKind, isFooterText: (text: string) => boolean): FooterBlock | undefined {
  const cellNames = kind === 'mjml' ? new Set(['mj-text']) : new Set(['td', 'th']);
  const finished: Finished[] = [];
  const cells: OpenCell[] = [];
  const stack: Array<{ name: string; hidden: boolean; noText: boolean }> = [];
  let parser: TemplateParser | undefined;
  // How many open elements hide their content or hold no text: counted as the stack grows and
  // shrinks, so each event costs O(1) however deep the nesting (a walk of the stack was quadratic).
  let hiddenOpen = 0;
  let noTextOpen = 0;
  const hidden = () => hiddenOpen > 0;
  const noText = () => noTextOpen > 0;
  let inLink = 0;

  const handler: Partial<Handler> = {
    onopentag(name, attribs) {
      const style = attribs['style'];
      const isHidden = (style !== undefined && HIDING.test(style)) || attribs['hidden'] !== undefined;
      const cell = cells.at(-1);
      if (cell && !hidden() && !isHidden) {
        if (BLOCK_CHILDREN.has(name) && !cellNames.has(name)) cell.blockContent = true;
        if (name === 'a') {
          cell.links++;
          cell.linkStyle = linkLook(style) ?? cell.linkStyle;
        }
      }
      if (name === 'a') inLink++;
      if (VOID.has(name)) return;
      const entry = { name, hidden: isHidden, noText: NO_TEXT.has(name) };
      stack.push(entry);
      if (entry.hidden) hiddenOpen++;
      if (entry.noText) noTextOpen++;
      if (cellNames.has(name) && !hidden()) cells.push({ name, start: parser!.startIndex, depth: stack.length, text: [], linkText: [], links: 0, blockContent: false });
    },
    ontext(data) {
      const cell = cells.at(-1);
      if (!cell || hidden() || noText()) return;
      cell.text.push(data);
      if (inLink) cell.linkText.push(data);
    },
    onclosetag(name, isImplied) {
      if (name === 'a' && inLink) inLink--;
      if (VOID.has(name)) return;
      const depth = stack.length;
      const closed = stack.pop();
      if (closed?.hidden) hiddenOpen--;
      if (closed?.noText) noTextOpen--;
      const cell = cells.at(-1);
      if (!cell || cell.depth !== depth) return;
      cells.pop();
      // A cell closed by the parser, not by a tag of its own, has no place to insert before.
      if (isImplied || !parser) return;
      const own = cell.text.join('').replace(/\s+/g, ' ').trim();
      if (!own) return;
      finished.push({
        name: cell.name,
        start: cell.start,
        closeStart: parser.startIndex,
        blockContent: cell.blockContent,
        linkStyle: cell.linkStyle,
        text: own,
        reason: 'last',
        links: cell.links,
        linkText: cell.linkText.join('').replace(/\s+/g, ' ').trim(),
      });
    },
  };
  // Entities stay as written (as the model's builder reads them): the footer test knows `&copy;`.
  parser = new TemplateParser(handler, { Tokenizer: TemplateTokenizer, decodeEntities: false, recognizeSelfClosing: kind === 'mjml', lowerCaseAttributeNames: true });
  parser.end(text);

  // A cell whose whole text is one link is a button, not a place for a footer line.
  const textCells = finished.filter((c) => !(c.links === 1 && c.linkText === c.text)).sort((a, b) => a.start - b.start);
  for (let i = textCells.length - 1; i >= 0; i--) {
    if (isFooterText(textCells[i]!.text)) return { ...strip(textCells[i]!), reason: 'footer' };
  }
  const last = textCells.at(-1);
  return last && strip(last);
}

function strip(c: Finished): FooterBlock {
  const { links: _links, linkText: _linkText, ...block } = c;
  return block;
}
