// Message formatting and translation. English lives in each rule's meta; other languages live in
// core/l10n/<locale>.json keyed "ruleId/messageId", so translators work on one file. The same file
// holds each rule's description as "description/ruleId" (the editor settings are generated from it)
// and the engine's words as "term/key".

import ja from './l10n/ja.json';
import type { Locale } from './types';

const bundles: Record<Exclude<Locale, 'en'>, Record<string, string>> = { ja };

/** Picks a supported locale from a BCP 47 tag or POSIX locale (`ja`, `ja-JP`, `ja_JP.UTF-8`). */
export function resolveLocale(tag: string | undefined | null): Locale {
  if (!tag) return 'en';
  return /^ja\b|^ja[-_]/i.test(tag) ? 'ja' : 'en';
}

export function translate(key: string, english: string, locale: Locale): string {
  if (locale === 'en') return english;
  return bundles[locale][key] ?? english;
}

/** Replaces `{name}` placeholders; unknown ones stay visible so a missing value is noticed. */
export function interpolate(template: string, data: Record<string, string | number> | undefined): string {
  if (!data) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in data ? String(data[name]) : whole));
}

export function message(
  ruleId: string,
  messageId: string,
  english: string,
  data: Record<string, string | number> | undefined,
  locale: Locale,
): string {
  return interpolate(translate(`${ruleId}/${messageId}`, english, locale), data);
}

/** Words the engine itself puts into messages (category signals and the like). */
export function term(key: string, english: string, locale: Locale): string {
  return translate(`term/${key}`, english, locale);
}
