// DMARC records as text: recognising one, its tags, checking their values and writing a corrected
// record. Pure: nothing here asks the DNS.

import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import type { Tag } from './domain';

export const POLICIES = ['none', 'quarantine', 'reject'] as const;
export type Policy = (typeof POLICIES)[number];

export const KNOWN_TAGS = new Set(['v', 'p', 'sp', 'np', 'psd', 't', 'adkim', 'aspf', 'rua', 'ruf', 'fo', 'pct', 'rf', 'ri']);

const START = /^v\s*=\s*DMARC1\s*(?:;|$)/i;
const ANYWHERE = /(?:^|;)\s*v\s*=\s*DMARC1\s*(?:;|$)/i;

/** A DMARC record: a TXT record that starts with v=DMARC1. */
export function isDmarcRecord(text: string): boolean {
  return START.test(text);
}

/** A TXT record with a v=DMARC1 tag that is not first, which receivers ignore. */
export function isMisplacedDmarc(text: string): boolean {
  return !START.test(text) && ANYWHERE.test(text);
}

/** Tag names lower-cased to their values; the first of a repeated tag wins. */
export function tagMap(tags: Tag[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) {
    const k = t.name.toLowerCase();
    if (!(k in out)) out[k] = t.value;
  }
  return out;
}

/** The domains of the mailto: URIs in a rua= or ruf= list, lower case, without a trailing dot. */
export function mailtoDomains(list: string | undefined): string[] {
  if (!list) return [];
  return list
    .split(',')
    .map((u) => /^mailto:[^@!\s]+@([^!\s>]+)/i.exec(u.trim())?.[1]?.toLowerCase().replace(/\.$/, ''))
    .filter((d): d is string => !!d);
}

/** Problems with the tag values, one message each. */
export function validateDmarcTags(tags: Tag[], malformed: string[], L: Locale = 'en'): string[] {
  const problems: string[] = [];
  for (const m of malformed) problems.push(interpolate(term('dns.tag.malformed', '"{text}" is not a tag=value pair', L), { text: m }));
  const seen = new Set<string>();
  for (const { name, value } of tags) {
    const k = name.toLowerCase();
    if (seen.has(k)) problems.push(interpolate(term('dmarc.tag.twice', 'the tag {tag} appears more than once', L), { tag: k }));
    seen.add(k);
    const bad = (what: string) => problems.push(interpolate(term('dmarc.tag.invalid', '{tag}={value} is not valid: {what}', L), { tag: k, value, what }));
    switch (k) {
      case 'p':
      case 'sp':
      case 'np':
        if (!(POLICIES as readonly string[]).includes(value.toLowerCase())) bad(term('dmarc.tag.policy', 'use none, quarantine or reject', L));
        break;
      case 'adkim':
      case 'aspf':
        if (!/^[rs]$/i.test(value)) bad(term('dmarc.tag.alignment', 'use r (relaxed) or s (strict)', L));
        break;
      case 't':
        if (!/^[yn]$/i.test(value)) bad(term('dmarc.tag.yn', 'use y or n', L));
        break;
      case 'psd':
        if (!/^[ynu]$/i.test(value)) bad(term('dmarc.tag.ynu', 'use y, n or u', L));
        break;
      case 'fo':
        if (!/^[01ds](?:\s*:\s*[01ds])*$/i.test(value)) bad(term('dmarc.tag.fo', 'use 0, 1, d or s, separated by colons', L));
        break;
      case 'pct':
        if (!/^\d{1,3}$/.test(value) || Number(value) > 100) bad(term('dmarc.tag.pct', 'a whole number from 0 to 100', L));
        break;
      case 'ri':
        if (!/^\d+$/.test(value)) bad(term('dmarc.tag.seconds', 'a number of seconds', L));
        break;
      case 'rua':
      case 'ruf':
        for (const uri of value.split(',').map((u) => u.trim())) {
          if (!/^mailto:[^@!\s]+@[a-z0-9_.-]+\.[a-z0-9-]+\.?(?:![0-9]+[kmgt]?)?$/i.test(uri)) bad(interpolate(term('dmarc.tag.mailto', '"{uri}" is not a mailto: address (mailto:reports@example.com)', L), { uri }));
        }
        break;
      default:
        break;
    }
  }
  return problems;
}

/** The record with tags set or dropped, v first and p second, other tags kept in order. */
export function rebuildDmarc(tags: Tag[], set: Record<string, string> = {}, drop: string[] = []): string {
  const map = new Map<string, string>();
  for (const t of tags) {
    const k = t.name.toLowerCase();
    if (k === 'v' || drop.includes(k) || map.has(k)) continue;
    map.set(k, t.value);
  }
  for (const [k, v] of Object.entries(set)) map.set(k, v);
  if (!map.has('p')) map.set('p', 'none');
  const rest = [...map].filter(([k]) => k !== 'p').map(([k, v]) => `${k}=${v}`);
  return ['v=DMARC1', `p=${map.get('p')}`, ...rest].join('; ');
}
