// The model every template rule reads: the body, the links with their offsets, the comments (for
// directives) and the visible text. Built once by the builder (builder.ts) and read-only after:
// every property is `readonly`, so a rule or the engine cannot change what the next rule sees.

import type { DocumentKind } from '../../types';
import type { AttributeRange } from '../markup';
import type { A11yFacts } from './a11y';
import type { UsageFacts } from './usage';
import type { MarkupFacts } from './markupFacts';

/**
 * The attributes any rule reads. The model keeps only these: inline-styled email markup is mostly
 * attributes (width, cellpadding, bgcolor, class ... on every cell), and storing each one was a
 * tenth of a lint's time. `attribs` is typed by this list, so code reading another attribute does
 * not compile until it is added here.
 */
export const MODEL_ATTRIBUTES = ['href', 'alt', 'title', 'aria-label', 'style', 'hidden', 'font-size', 'lang', 'path', 'role', 'popover', 'src'] as const;
export type ModelAttribute = (typeof MODEL_ATTRIBUTES)[number];

/** An element of the template, with what rules read of it. Offsets as htmlparser2 reports them. */
export interface MarkupElement {
  /** Lower-cased tag name. */
  readonly name: string;
  /** The MODEL_ATTRIBUTES it has, by lower-cased name, entities decoded; the first of a repeated name wins. */
  readonly attribs: Readonly<Partial<Record<ModelAttribute, string>>>;
  /** The enclosing element; null at the top level. */
  readonly parent: MarkupElement | null;
  /** Offset of the start tag's `<`. */
  readonly startIndex: number;
  /** Offset of the last character of the element (its end tag's `>`, or where it was implicitly closed). */
  readonly endIndex: number | null;
  /** Whether anything (text, comment, element) is inside. */
  readonly hasChildren: boolean;
}

/** Why a link unsubscribes: an ESP unsubscribe tag, an unsubscribe-like target, or its wording. */
export type UnsubscribeSignal = 'token' | 'href' | 'label';

export interface LinkInfo {
  readonly element: MarkupElement;
  /** Start tag range `[tagStart, tagEnd)`, where findings about the link are reported. */
  readonly tagStart: number;
  readonly tagEnd: number;
  readonly href: string | undefined;
  readonly hrefRange?: AttributeRange;
  /** Visible text inside the link, whitespace collapsed. */
  readonly text: string;
  /** title, aria-label, and the alt text of images inside. */
  readonly labels: string;
  /** Set for links that come from an included file; offsets then are not in this text. */
  readonly includedFrom?: string;
  /**
   * Why the link unsubscribes, null when it does not (detect/unsubscribe.ts decides). Derived from
   * href, text and labels, and worked out on first read: three rules ask it of every link.
   */
  readonly unsubscribe: UnsubscribeSignal | null;
}

export interface CommentInfo {
  readonly start: number;
  readonly end: number;
  readonly data: string;
}

export interface BodyInfo {
  readonly element: MarkupElement;
  readonly tagStart: number;
  readonly tagEnd: number;
  /** Offset of the closing `</body>` / `</mj-body>`, when the file has one. */
  readonly closeStart?: number;
}

export interface IncludeInfo {
  readonly path: string;
  readonly tagStart: number;
  readonly tagEnd: number;
}

export interface TemplateModel {
  readonly kind: DocumentKind;
  readonly text: string;
  readonly body?: BodyInfo;
  /** True for a partial: no <html>, <body> or <mj-body>, and not parsed as a whole message. Whole-message rules skip partials. */
  readonly fragment: boolean;
  readonly links: readonly LinkInfo[];
  readonly comments: readonly CommentInfo[];
  /** Visible text of the body (or of the whole file for a fragment): pieces joined with spaces, each run of whitespace one space, trimmed. */
  readonly bodyText: string;
  /** The <address> elements. */
  readonly addressElements: readonly MarkupElement[];
  readonly lang?: string;
  readonly title?: string;
  readonly includes: readonly IncludeInfo[];
  /** What the accessibility rules read (a11y.ts). */
  readonly a11y: A11yFacts;
  /** Where the template uses markup and CSS some email clients lack (usage.ts; client-unsupported reads it). */
  readonly usage: UsageFacts;
  /** What the rendering rules read of the markup (markupFacts.ts). */
  readonly markup: MarkupFacts;
}

export interface TemplateParseOptions {
  /** The text is a whole message (a send configuration's body), never a partial: `fragment` is false. */
  wholeMessage?: boolean;
  /** The text is a file pulled in by mj-include from this path: its links carry it as `includedFrom`. */
  includedFrom?: string;
}
