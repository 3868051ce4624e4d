// Recognising an unsubscribe mechanism: by the link's target (unsubscribe-like paths, ESP tags)
// and by what the reader sees (text, title, aria-label, image alt) in the languages our users
// send in. Shared by the unsubscribe rules and the Japanese sender-identity rule.

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
    String.raw`\babmelden\b`,
    String.raw`\babbestellen\b`,
    String.raw`\babmeldung\b`,
    String.raw`\bnewsletter\s+austragen\b`,
    String.raw`d[ée]sabonner`,
    String.raw`d[ée]sinscri`,
    String.raw`d[ée]sabonnement`,
    String.raw`\bdarse\s+de\s+baja\b`,
    String.raw`\bdar(?:te|se)?\s+de\s+baja\b`,
    String.raw`\bcancelar\s+(?:la\s+)?suscripci[oó]n\b`,
    String.raw`\bdesuscrib`,
    String.raw`\bdarme\s+de\s+baja\b`,
  ].join('|'),
  'i',
);

export type { UnsubscribeSignal };

/**
 * Every ESP unsubscribe tag holds one of these characters (test/unit/text-scans.test.ts checks each
 * tag pattern), so a text without any holds no tag: most link targets and texts, which then skip
 * the union of every ESP's patterns.
 */
export const TOKEN_CHARACTERS = /[{[*%<]/;

export function hasUnsubscribeToken(s: string): boolean {
  if (!TOKEN_CHARACTERS.test(s)) return false;
  ANY_UNSUBSCRIBE_TOKEN.lastIndex = 0;
  return ANY_UNSUBSCRIBE_TOKEN.test(s);
}

export function isUnsubscribeWording(s: string): boolean {
  return LABEL_PATTERN.test(s);
}

/**
 * Why this link is an unsubscribe link, or undefined when it is not one. The model works the answer
 * out once per link (LinkInfo.unsubscribe, with unsubscribeSignalOf below): three rules ask about
 * every link of a template, and a WeakMap of thousands of links cost more than the question (see
 * docs/benchmarks.md).
 */
export function unsubscribeSignal(link: LinkInfo): UnsubscribeSignal | undefined {
  return link.unsubscribe ?? undefined;
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
