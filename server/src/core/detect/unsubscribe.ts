// Recognising an unsubscribe mechanism: by the link's target (unsubscribe-like paths, ESP tags)
// and by what the reader sees (text, title, aria-label, image alt) in the languages our users
// send in. Shared by the unsubscribe rules and the Japanese sender-identity rule.

import { decodeHTML } from 'entities/decode';
import { ANY_UNSUBSCRIBE_TOKEN } from '../esp';
import type { LinkInfo, UnsubscribeSignal } from '../parse/template';

// Targets: paths and query keys that ESPs and in-house list managers use.
const HREF_PATTERN =
  /unsub|opt[-_]?out|optout|list-manage\.com\/(?:unsubscribe|profile)|(?:email|mail|subscription|notification|communication)[-_]?(?:preferences|settings|prefs)|manage[-_]?(?:subscription|preferences|email)|preference[-_]?cent(?:er|re)|\/preferences\b|\/prefs\b|abmelden|desinscri|désinscri|desabonn|désabonn|darse-de-baja|\bbaja\b|haishin[-_]?teishi|teishi|kaijo/i;

// What the reader sees. English, Japanese, German, French, Spanish.
const LABEL_PATTERN = new RegExp(
  [
    String.raw`\bunsubscrib`,
    String.raw`\bopt[\s-]?out\b`,
    String.raw`\b(?:manage|update|change|edit)\s+(?:your\s+|my\s+)?(?:e-?mail\s+|subscription\s+|notification\s+|communication\s+)?(?:preferences|settings|subscriptions?)\b`,
    String.raw`\bstop\s+(?:receiving|getting)\b`,
    String.raw`\bmanage\s+(?:your\s+)?notifications\b`,
    String.raw`\bnotification\s+settings\b`,
    String.raw`\bremove\s+me\b`,
    String.raw`\bemail\s+preferences\b`,
    '配信停止',
    '配信解除',
    '購読解除',
    '購読停止',
    '登録解除',
    '受信拒否',
    'メール(?:マガジン)?(?:の)?配信(?:の|を)?(?:停止|解除|設定)',
    '配信(?:の|を)(?:停止|解除)',
    'メルマガ(?:の)?(?:解除|停止|登録解除)',
    '配信設定',
    '退会',
    String.raw`\bab(?:zu)?melden\b`,
    String.raw`\bab(?:zu)?bestellen\b`,
    String.raw`\babmeldung\b`,
    String.raw`\bnewsletter\s+austragen\b`,
    String.raw`d[ée]sabonner`,
    String.raw`d[ée]sinscri`,
    String.raw`d[ée]sabonnement`,
    String.raw`\bdarse\s+de\s+baja\b`,
    String.raw`\bdar(?:te|se)?\s+de\s+baja\b`,
    String.raw`\bcancelar\s+(?:la\s+|tu\s+|su\s+)?suscripci[oó]n\b`,
    String.raw`\bdesuscrib`,
    String.raw`\bdarme\s+de\s+baja\b`,
  ].join('|'),
  'i',
);

export type { UnsubscribeSignal };

/**
 * Every ESP or platform unsubscribe tag holds one of these characters, or Mailcoach's `::`
 * (test/unit/text-scans.test.ts checks each tag pattern), so a text without any holds no tag: most
 * link targets and texts, which then skip the union of every syntax's patterns.
 */
export const TOKEN_CHARACTERS = /[{[*%<]|::/;

/**
 * A merge variable named like an unsubscribe in a syntax no ESP pattern knows: `${unsubscribe_url}`,
 * `{{unsubscribe_url}}`, `{$optout_link}`, `[%unsubscribe%]`, `#{unsubscribeLink}`. Probably the
 * engine's unsubscribe link or URL, but nothing says it renders one.
 */
const PROBABLE_UNSUBSCRIBE_VARIABLE =
  /(?:\{\{?\{?|[$#@]\{|\{\$|\[\[?%?|%%?|<%=?)\s*[\w.$-]{0,40}?(?:unsub|opt[-_]?out)[\w.$-]{0,40}\s*(?:\}\}?\}?|%?\]\]?|%>|%%?)/gi;

export function hasUnsubscribeToken(s: string): boolean {
  if (!TOKEN_CHARACTERS.test(s)) return false;
  ANY_UNSUBSCRIBE_TOKEN.lastIndex = 0;
  return ANY_UNSUBSCRIBE_TOKEN.test(s);
}

export function isUnsubscribeWording(s: string): boolean {
  return LABEL_PATTERN.test(s);
}

/**
 * The first variable named like an unsubscribe, in a syntax no known tag pattern covers (see
 * PROBABLE_UNSUBSCRIBE_VARIABLE), outside the `skip` ranges (comments: notes about a variable are
 * not the variable).
 */
export function findProbableUnsubscribeVariable(s: string, skip: ReadonlyArray<{ start: number; end: number }> = []): TokenHit | undefined {
  if (!TOKEN_CHARACTERS.test(s)) return undefined;
  // Matches come in text order, so the ranges are walked once alongside them (sorted by start
  // first if they are not): asking every range about every match was quadratic for a file of
  // 100,000 comments each naming the variable.
  const ranges = isSortedByStart(skip) ? skip : [...skip].sort((a, b) => a.start - b.start);
  let next = 0;
  /** The furthest end among the ranges starting at or before the current match. */
  let coveredTo = -1;
  PROBABLE_UNSUBSCRIBE_VARIABLE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PROBABLE_UNSUBSCRIBE_VARIABLE.exec(s))) {
    const start = m.index;
    while (next < ranges.length && ranges[next]!.start <= start) coveredTo = Math.max(coveredTo, ranges[next++]!.end);
    if (start >= coveredTo) return { start, end: start + m[0].length, token: m[0] };
  }
  return undefined;
}

function isSortedByStart(ranges: ReadonlyArray<{ start: number }>): boolean {
  for (let i = 1; i < ranges.length; i++) if (ranges[i]!.start < ranges[i - 1]!.start) return false;
  return true;
}

/**
 * Why this link is an unsubscribe link, or undefined when it is not one. The model works the
 * link's own answer out once (LinkInfo.unsubscribe, with unsubscribeSignalOf below): three rules ask
 * about every link of a template, and a WeakMap of thousands of links cost more than the question
 * (see docs/benchmarks.md).
 *
 * `source` is the text the link's offsets point into. With it, a link that only says "here"
 * (こちら, hier, ici, aquí) counts when the words just before it ask to unsubscribe:
 * `配信停止をご希望の方は<a>こちら</a>`. Links from included files have no source here.
 */
export function unsubscribeSignal(link: LinkInfo, source?: string): UnsubscribeSignal | undefined {
  const signal = link.unsubscribe;
  // Not memoised: the answer depends on `source`, and "here" links are few.
  if (signal === null && source !== undefined && link.includedFrom === undefined && isHereLink(link, source)) return 'label';
  return signal ?? undefined;
}

/** Why a link with this target, text and labels unsubscribes; what the template model's links answer with. */
export function unsubscribeSignalOf(link: Pick<LinkInfo, 'href' | 'text' | 'labels'>): UnsubscribeSignal | undefined {
  const href = link.href ?? '';
  if (href && hasUnsubscribeToken(href)) return 'token';
  if (href && HREF_PATTERN.test(hrefForMatching(href))) return 'href';
  if (isUnsubscribeWording(link.text) || (link.labels && isUnsubscribeWording(link.labels))) return 'label';
  if (link.text && hasUnsubscribeToken(link.text)) return 'token';
  return undefined;
}

// A link text that only points: "here", "click here", こちら, ここ, hier, ici, aquí.
const HERE_TEXT =
  /^(?:(?:please\s+)?(?:click|tap)\s+here|here|(?:hier\s+)?klicken|hier(?:\s+klicken)?|(?:cliquez\s+)?ici|(?:haz|haga)\s+clic\s+aqu[ií]|aqu[ií]|こちら(?:から|をクリック|のページ)?|ここ(?:から|をクリック)?)\s*[.!。！:：]?$/i;
/** How far before a "here" link the unsubscribe wording may start, in visible characters. */
const HERE_CONTEXT_CHARS = 60;
/** Raw characters read before the link: room for the visible text and the inline tags around it. */
const HERE_SOURCE_CHARS = 600;
// Tags that end a block: wording before one of them belongs to another paragraph or cell.
const BLOCK_BOUNDARY =
  /<\/?(?:p|div|td|th|tr|table|tbody|li|ul|ol|h[1-6]|br|hr|body|center|section|article|header|footer|blockquote|mj-[a-z-]+)\b[^>]*>/gi;
// Wording after the link, for "click <a>here</a> to unsubscribe": a purpose clause right behind it.
// In English the clause must start with the wording ("to read more about unsubscribing" is another
// purpose); German, French and Spanish put the verb later ("um sich vom Newsletter abzumelden").
const AFTER_HERE_EN = /^\s*(?:(?:in\s+order\s+)?to|if\s+you\s+(?:want|wish|would\s+like)\s+to)\s+([^.!?。<]{1,40})/i;
const AFTER_HERE_OTHER = /^\s*,?\s*(?:um|pour|afin\s+de|para)\s+(\S+(?:\s+\S+){0,4})/i;

function isHereLink(link: LinkInfo, source: string): boolean {
  const text = link.text;
  if (!text || text.length > 24 || !HERE_TEXT.test(text)) return false;
  const before = visibleTail(source.slice(Math.max(0, link.tagStart - HERE_SOURCE_CHARS), link.tagStart));
  if (isUnsubscribeWording(before.slice(-HERE_CONTEXT_CHARS))) return true;
  const end = link.element.endIndex;
  if (end === null) return false;
  const after = visibleHead(source.slice(end + 1, end + 1 + HERE_SOURCE_CHARS)).slice(0, HERE_CONTEXT_CHARS);
  const en = AFTER_HERE_EN.exec(after);
  if (en) return LABEL_PATTERN.exec(en[1]!)?.index === 0;
  const other = AFTER_HERE_OTHER.exec(after);
  return other !== null && isUnsubscribeWording(other[1]!);
}

/** The visible text of the end of `raw`, from the last block boundary on: tags dropped, entities decoded, spaces collapsed. */
function visibleTail(raw: string): string {
  BLOCK_BOUNDARY.lastIndex = 0;
  let from = 0;
  let m: RegExpExecArray | null;
  while ((m = BLOCK_BOUNDARY.exec(raw))) from = m.index + m[0].length;
  // Without a boundary the window may start inside a tag ('…px;">Text'): its tail is no text.
  return visible(from === 0 ? raw.replace(/^[^<]*>/, '') : raw.slice(from));
}

/** The visible text of the start of `raw`, up to the first block boundary. */
function visibleHead(raw: string): string {
  BLOCK_BOUNDARY.lastIndex = 0;
  const m = BLOCK_BOUNDARY.exec(raw);
  return visible(m ? raw.slice(0, m.index) : raw);
}

function visible(raw: string): string {
  const text = raw.replace(/<[^>]*>/g, ' ');
  return (text.includes('&') ? decodeHTML(text) : text).replace(/\s+/g, ' ');
}

// mailto:unsubscribe@... and ?subject=unsubscribe both count; decode %xx so "opt%2Dout" matches.
function hrefForMatching(href: string): string {
  if (!href.includes('%')) return href;
  try {
    return decodeURIComponent(href);
  } catch {
    return href;
  }
}

export interface TokenHit {
  start: number;
  end: number;
  token: string;
}

/** ESP unsubscribe tags standing anywhere in the text (outside links too: some ESPs render a whole link). */
export function findUnsubscribeTokens(text: string, limit = 50): TokenHit[] {
  const hits: TokenHit[] = [];
  ANY_UNSUBSCRIBE_TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ANY_UNSUBSCRIBE_TOKEN.exec(text)) && hits.length < limit) {
    hits.push({ start: m.index, end: m.index + m[0].length, token: m[0] });
    if (m[0].length === 0) ANY_UNSUBSCRIBE_TOKEN.lastIndex++;
  }
  return hits;
}
