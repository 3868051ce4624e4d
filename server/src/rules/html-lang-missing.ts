import { term, interpolate } from '../core/messages';
import { tagAttributes, tagHasTemplateAttributes } from '../core/parse/template';
import type { Rule } from '../core/rule';
import type { Fix, Locale, ResolvedConfig } from '../core/types';
import { isJapanese } from './sender-identity-missing';
import { addAttribute, ownRoot, tagRange } from './shared/a11y';

/** Short words of English that other languages written in Latin letters rarely use. */
const ENGLISH_WORDS = new Set(['the', 'and', 'you', 'your', 'to', 'of', 'for', 'is', 'with', 'this', 'our', 'are', 'we', 'on', 'it', 'that', 'from']);
/** Words looked at to tell the language of a text: its first ones are enough. */
const SAMPLE_CHARS = 4000;

export const rule: Rule = {
  meta: {
    id: 'html-lang-missing',
    description: 'The <html> element (or <mjml>, as mj-lang) says nothing of the message\'s language, so screen readers read it with the reader\'s default voice.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'accessibility',
    fixable: true,
    messages: {
      missing: 'The <{tag}> element has no lang attribute: screen readers read the message in the reader\'s default language, mispronouncing every word of another. Add lang="…" (for example lang="en" or lang="ja").',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const root = ownRoot(model);
    if (!root) return;
    const lang = root.attribs.lang;
    if (lang !== undefined && lang.trim() !== '') return;
    if (tagHasTemplateAttributes(model.text, root)) return;
    // xml:lang is the XHTML way: readers of an XHTML-era template get it from there.
    const attrs = tagAttributes(model.text, root);
    if (attrs.get('xml:lang')?.trim()) return;
    const fix = langFix(model.bodyText, ctx.config, ctx.locale, lang !== undefined);
    const range = tagRange(model.text, root);
    const fixes: Fix[] = [];
    if (fix) {
      const edit = lang === undefined ? addAttribute(root, 'lang', fix.lang) : emptyLangEdit(model.text, root.startIndex, range.end, fix.lang);
      if (edit) fixes.push({ title: interpolate(term('fix.addLang', 'Add lang="{lang}"', ctx.locale), { lang: fix.lang }), safe: fix.safe, edits: [edit] });
    }
    ctx.report({ ...range, messageId: 'missing', data: { tag: root.name }, fixes });
  },
};

function emptyLangEdit(source: string, start: number, end: number, lang: string) {
  const m = /\slang\s*=\s*(?:""|'')/i.exec(source.slice(start, end));
  if (!m) return undefined;
  const at = start + m.index;
  return { start: at, end: at + m[0].length, text: ` lang="${lang}"` };
}

/**
 * The language to write: read from the text when its script or its words leave one reading
 * (Japanese kana, common English words), safe to apply then; from the configured jurisdictions
 * alone it is offered only (a US sender can write in Spanish).
 */
export function langFix(text: string, config: ResolvedConfig, _locale: Locale, _empty: boolean): { lang: string; safe: boolean } | undefined {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  if (isJapanese(sample)) return { lang: 'ja', safe: true };
  if (isEnglish(sample)) return { lang: 'en', safe: true };
  const j = config.jurisdictions;
  if (!config.jurisdictionsSet || j.length !== 1) return undefined;
  if (j[0] === 'jp') return { lang: 'ja', safe: false };
  if (j[0] === 'us') return { lang: 'en', safe: false };
  return undefined;
}

/** At least 12 words, a sixth of them the commonest short words of English. */
function isEnglish(sample: string): boolean {
  let words = 0;
  let english = 0;
  for (const m of sample.matchAll(/[A-Za-z]+/g)) {
    words++;
    if (ENGLISH_WORDS.has(m[0].toLowerCase())) english++;
  }
  // Latin letters must be most of what is written: a Korean or Arabic text with English brand names is not English.
  const letters = sample.replace(/[\s\d\p{P}\p{S}]/gu, '').length;
  const latin = sample.replace(/[^A-Za-z]/g, '').length;
  return words >= 12 && english * 6 >= words && latin * 2 > letters;
}
