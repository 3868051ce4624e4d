// What client-unsupported reads: where a template uses markup and CSS some email clients lack.
// Collected from the builder's parser events without a pass of its own: elements the caniemail
// data names, elements with a style attribute and <style> elements are remembered as they open
// (one push each); the CSS inside is scanned later, by the rule, only when it is on.

import { FEATURE_ELEMENTS } from '../../caniemail';
import { USAGE_FEATURE_ATTRIBUTE, USAGE_STYLE } from './htmlparser';
import type { MarkupElement } from './model';

export interface UsageFacts {
  /** Elements named by a caniemail feature (svg, form, video ...), in document order. */
  readonly elements: readonly MarkupElement[];
  /** Elements with an attribute named by a feature (hidden, popover). */
  readonly attributed: readonly MarkupElement[];
  /** Elements with a style attribute, in document order. */
  readonly styled: readonly MarkupElement[];
  /** <style> elements (their text is raw: offsets inside are the file's). */
  readonly styleBlocks: readonly MarkupElement[];
  /** Whether the file has VML (v:rect, v:fill ...): its background images have an Outlook fallback. */
  readonly vml: boolean;
  /**
   * `[start, end)` ranges between `<!--[if !mso]><!-->` and `<!--<![endif]-->`: markup meant for
   * every client but Outlook for Windows, which never sees it.
   */
  readonly notMso: readonly number[];
}

export class UsageCollector {
  private readonly elements: MarkupElement[] = [];
  private readonly attributed: MarkupElement[] = [];
  private readonly styled: MarkupElement[] = [];
  private readonly styleBlocks: MarkupElement[] = [];
  private vml = false;
  private readonly notMso: number[] = [];
  private notMsoStart = -1;

  /** `flags`: the parser's USAGE_FLAGS for this tag's attributes. */
  open(el: MarkupElement, flags: number): void {
    const name = el.name;
    if (flags & USAGE_STYLE) this.styled.push(el);
    if (flags & USAGE_FEATURE_ATTRIBUTE) this.attributed.push(el);
    if (name === 'style') this.styleBlocks.push(el);
    else if (FEATURE_ELEMENTS.has(name)) this.elements.push(el);
    // `v:` (118, 58) starts every VML element name.
    else if (name.charCodeAt(1) === 58 && name.charCodeAt(0) === 118) this.vml = true;
  }

  comment(data: string, start: number, end: number): void {
    // Downlevel-revealed conditionals: `<!--[if !mso]><!-->` opens, `<!--<![endif]-->` closes.
    const c = data.charCodeAt(0) === 91 ? data : data.trimStart();
    // VML inside an Outlook conditional (`<!--[if gte mso 9]><v:rect ...`) is comment text to the parser.
    if (!this.vml && c.charCodeAt(0) === 91 && data.indexOf('<v:') !== -1) this.vml = true;
    if (c.startsWith('[if !mso') && data.trimEnd().endsWith('<!')) {
      if (this.notMsoStart === -1) this.notMsoStart = end;
    } else if (this.notMsoStart !== -1 && c.startsWith('<![endif]')) {
      this.notMso.push(this.notMsoStart, start);
      this.notMsoStart = -1;
    }
  }

  facts(): UsageFacts {
    return { elements: this.elements, attributed: this.attributed, styled: this.styled, styleBlocks: this.styleBlocks, vml: this.vml, notMso: this.notMso };
  }
}
