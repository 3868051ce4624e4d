import { interpolate, term } from '../core/messages';
import type { Rule } from '../core/rule';
import type { Fix } from '../core/types';

// Template-language delimiters and their closers. `%%` (SFMC) is symmetric and not checked.
const PAIRS: ReadonlyArray<{ open: string; close: string }> = [
  { open: '{{', close: '}}' },
  { open: '{%', close: '%}' },
  { open: '*|', close: '|*' },
  { open: '<%', close: '%>' },
];

/** How far a tag may run before we call it unclosed: real tags are short, block bodies are not tags. */
const MAX_TAG_LENGTH = 2000;
const MAX_REPORTS = 50;

/*
 * Stretches where no opener starts a tag, because the engine prints them as they are or drops
 * them: raw and verbatim blocks (Jinja, Nunjucks, Liquid, Twig, Django, Handlebars, Blade) and
 * comments (Handlebars/Mustache `{{!-- --}}`, Blade `{{-- --}}`, Jinja/Twig/Django `{# #}`, Liquid
 * and Django `{% comment %}`, Go `{{/* *\/}}`, ERB and EEx `<%# %>`, EEx `<%!-- --%>`); and escaped
 * openers that print a literal opener (Handlebars `\{{`, ERB and EEx `<%%`). The whole match is
 * skipped: the block's own tags are closed by construction.
 */
const LITERAL_SPANS: ReadonlyArray<[opener: string, key: string, span: RegExp]> = [
  ['{%', 'endraw', /\{%-?\s*raw\b[^%]*?-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/g],
  ['{%', 'endverbatim', /\{%-?\s*verbatim\b[^%]*?-?%\}[\s\S]*?\{%-?\s*endverbatim\s*-?%\}/g],
  ['{%', 'endcomment', /\{%-?\s*comment\b[^%]*?-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}/g],
  ['{{', '{{{{/', /\{\{\{\{\s*([\w-]+)[^}]*\}\}\}\}[\s\S]*?\{\{\{\{\/\s*\1\s*\}\}\}\}/g],
  ['@', '@endverbatim', /@verbatim\b[\s\S]*?@endverbatim\b/g],
  ['{{', '{{!--', /\{\{!--[\s\S]*?--\}\}/g],
  ['{{', '{{--', /\{\{--[\s\S]*?--\}\}/g],
  ['{{', '*/', /\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g],
  ['{#', '#}', /\{#[\s\S]*?#\}/g],
  ['<%', '<%!--', /<%!--[\s\S]*?--%>/g],
  ['<%', '<%#', /<%#[\s\S]*?%>/g],
  ['\\{{', '\\{{', /\\\{\{/g],
  ['<%', '<%%', /<%%/g],
];

/** Sorted, non-overlapping `[start, end)` stretches where openers are text. */
class Spans {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  static literalIn(text: string): Spans {
    const found: Array<[number, number]> = [];
    // Most templates have none of these: a plain search is much cheaper than the pattern's, and
    // one search for the opener they share (`{%`, `<%` ...) rules out several at once. Searching
    // for `endraw` itself stopped at every `e` of the text.
    const openers = new Map<string, boolean>();
    for (const [opener, key, re] of LITERAL_SPANS) {
      let has = openers.get(opener);
      if (has === undefined) openers.set(opener, (has = text.includes(opener)));
      if (!has || !text.includes(key)) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) found.push([m.index, m.index + m[0].length]);
    }
    found.sort((a, b) => a[0] - b[0]);
    const spans = new Spans();
    for (const [s, e] of found) spans.add(s, e);
    return spans;
  }

  /** Adds a span starting at or after the last one's start; overlapping spans merge. */
  add(start: number, end: number): void {
    const n = this.ends.length;
    if (n && start < this.ends[n - 1]!) {
      this.ends[n - 1] = Math.max(this.ends[n - 1]!, end);
      return;
    }
    this.starts.push(start);
    this.ends.push(end);
  }

  /** The end of the span holding `pos`, or -1. */
  endAt(pos: number): number {
    const { starts, ends } = this;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! > pos) hi = mid - 1;
      else if (ends[mid]! <= pos) lo = mid + 1;
      else return ends[mid]!;
    }
    return -1;
  }

  get empty(): boolean {
    return this.starts.length === 0;
  }
}

/** A quote opens a string inside a tag only after a non-word character (`url="`, `( '`), so the apostrophe of "here's" does not. */
function opensString(text: string, at: number): boolean {
  if (at === 0) return true;
  const c = text.charCodeAt(at - 1);
  if (c < 128) return !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95);
  return !/[\p{L}\p{N}]/u.test(text[at - 1]!);
}

interface Pair {
  open: string;
  close: string;
}

interface TagScan {
  /** Offset of the closer, or -1 when the tag is unclosed. */
  closeAt: number;
  /** When unclosed: the next opener of the same kind that is a tag of its own (-1: none before the limit). */
  nextOpen: number;
}

/**
 * Reads the tag opened at `start`: up to its closer, skipping quoted strings (a closer or opener
 * inside `"…"` is text: Jinja's `{{ "{{" }}`, Liquid's `{% assign x = "%}" %}`), and tags nested in
 * a string (Handlebars partial arguments: `{{> button url="{{url}}"}}`). Another opener of the same
 * kind outside a string means this tag was never closed. String stretches of closed tags go to
 * `strings` (start, end, start, end ...), where openers of the other kinds are text.
 */
function scanTag(text: string, start: number, pair: Pair, literal: Spans, strings: number[]): TagScan {
  const { open, close } = pair;
  const limit = Math.min(text.length, start + MAX_TAG_LENGTH);
  let p = start + open.length;
  // Most tags hold no quote and no opener: the closer found by indexOf is theirs.
  const closeAt = text.indexOf(close, p);
  // (The opener's first character right after it is the overlap of `{{{`, not another opener.)
  if (closeAt !== -1 && closeAt < limit && !isQuote(text.charCodeAt(p)) && plainBetween(text, p + 1, closeAt, open.charCodeAt(0))) return { closeAt, nextOpen: -1 };
  // Strings are recorded as found, and dropped again when the tag turns out unclosed.
  const kept = strings.length;
  const closeFirst = close.charCodeAt(0);
  const openFirst = open.charCodeAt(0);
  while (p < limit) {
    const c = text.charCodeAt(p);
    if (c !== closeFirst && c !== openFirst && !isQuote(c)) {
      p++;
      continue;
    }
    if (c === closeFirst && text.startsWith(close, p)) {
      return { closeAt: p, nextOpen: -1 };
    }
    if (c === openFirst && text.startsWith(open, p)) {
      const skip = literal.endAt(p);
      if (skip !== -1) {
        p = skip;
        continue;
      }
      // `{{{` is one tag: an opener overlapping this one's does not count.
      if (p > start + open.length) {
        strings.length = kept;
        return { closeAt: -1, nextOpen: p };
      }
    } else if (isQuote(c) && opensString(text, p)) {
      const end = stringEnd(text, p, pair, limit);
      if (end !== -1) {
        strings.push(p, end + 1);
        p = end + 1;
        continue;
      }
    }
    p++;
  }
  strings.length = kept;
  return { closeAt: -1, nextOpen: nextOpener(text, start + open.length + 1, open, literal) };
}

const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKTICK = 96;
const BACKSLASH = 92;

function isQuote(c: number): boolean {
  return c === DOUBLE_QUOTE || c === SINGLE_QUOTE || c === BACKTICK;
}

/** True when `text[from, to)` has no quote and no character that could start an opener. */
function plainBetween(text: string, from: number, to: number, openFirst: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === openFirst || isQuote(c)) return false;
  }
  return true;
}

/**
 * The closing quote of the string opened at `at`, on the same line and not escaped; a tag of the
 * same kind inside the string is skipped when it closes before the string does. -1: no string.
 */
function stringEnd(text: string, at: number, pair: Pair, limit: number): number {
  const q = text.charCodeAt(at);
  const openFirst = pair.open.charCodeAt(0);
  let lineEnd = text.indexOf('\n', at);
  if (lineEnd === -1 || lineEnd > limit) lineEnd = limit;
  let p = at + 1;
  while (p < lineEnd) {
    const c = text.charCodeAt(p);
    if (c === BACKSLASH) {
      p += 2;
      continue;
    }
    if (c === q) return p;
    if (c === openFirst && text.startsWith(pair.open, p)) {
      const closeAt = text.indexOf(pair.close, p + pair.open.length);
      const quoteAt = closeAt !== -1 && closeAt < lineEnd ? text.indexOf(String.fromCharCode(q), p + pair.open.length) : -1;
      if (closeAt !== -1 && closeAt < lineEnd && (quoteAt === -1 || closeAt < quoteAt)) {
        p = closeAt + pair.close.length;
        continue;
      }
    }
    p++;
  }
  return -1;
}

/** The next opener at or after `from` that is not inside a literal stretch. */
function nextOpener(text: string, from: number, open: string, literal: Spans): number {
  let i = text.indexOf(open, from);
  while (i !== -1) {
    const skip = literal.endAt(i);
    if (skip === -1) return i;
    i = text.indexOf(open, skip);
  }
  return -1;
}

/** Block tags that take no argument: `{% endif` can only mean `{% endif %}`. */
const BARE_STATEMENTS = /^(?:end\w*|else|raw|verbatim|comment|break|continue)$/;

/**
 * The closer for a half-typed tag, when the tag has one reading: the opener, an optional output or
 * trim marker, one name (`first_name`, `user.first_name`, `@user.name`, `FNAME`) and then text that
 * cannot belong to the tag (a comma, a tag, the end of the line). `{% if x` or `{{ name | upcase`
 * could go on in more than one way, and are left to a person.
 */
export function closingEdit(text: string, at: number, pair: Pair): { start: number; end: number; text: string } | undefined {
  const head = /^([=\-~#]?)(\s*)([A-Za-z_@$][\w.@$\-]*(?:\[[\w'"]+\])*)/.exec(text.slice(at + pair.open.length, at + pair.open.length + 200));
  if (!head) return undefined;
  const [whole, marker, space, name] = head as unknown as [string, string, string, string];
  if (pair.open === '{%' && !BARE_STATEMENTS.test(name)) return undefined;
  if (pair.open === '<%' && marker === '#') return undefined;
  const end = at + pair.open.length + whole.length;
  const next = text.slice(end, end + 40);
  // What follows the name must end the tag: punctuation, a tag, the end of the line or text.
  if (!/^(?:\s*$|\s*[,.;:!?)<]|\s*\r?\n|\s+[^\s|(=\-+*/%&<>!?.]|[,.;:!?)<])/.test(next)) return undefined;
  const trim = marker === '-' && pair.open !== '<%' ? '-' : '';
  const closer = pair.open === '<%' ? `${space || ' '}%>` : `${space}${trim}${pair.close}`;
  return { start: end, end, text: closer };
}

export const rule: Rule = {
  meta: {
    id: 'merge-tag-unclosed',
    description: 'A merge tag is opened but never closed, so the ESP sends it as literal text.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'correctness',
    fixable: true,
    messages: {
      unclosed: 'The merge tag "{open}" is not closed with "{close}": recipients would see the raw tag.',
    },
  },
  check(ctx) {
    const { text } = ctx.model;
    if (!PAIRS.some((p) => text.includes(p.open))) return;
    const literal = Spans.literalIn(text);
    /** Quoted strings inside closed tags, by pair: another pair's opener inside one is text. */
    const strings: number[][] = PAIRS.map(() => []);
    const unclosed: Array<{ pair: number; at: number }> = [];
    PAIRS.forEach((pair, k) => {
      let found = 0;
      let i = nextOpener(text, 0, pair.open, literal);
      while (i !== -1 && found < MAX_REPORTS) {
        const scan = scanTag(text, i, pair, literal, strings[k]!);
        if (scan.closeAt === -1) {
          unclosed.push({ pair: k, at: i });
          found++;
          i = scan.nextOpen;
        } else {
          i = nextOpener(text, scan.closeAt + pair.close.length, pair.open, literal);
        }
      }
    });
    const inString = (list: number[], at: number) => {
      for (let x = 0; x < list.length; x += 2) if (list[x]! < at && at < list[x + 1]!) return true;
      return false;
    };
    const inOtherString = (k: number, at: number) => strings.some((list, j) => j !== k && inString(list, at));
    let reports = 0;
    for (const { pair: k, at } of unclosed) {
      if (reports >= MAX_REPORTS) break;
      if (inOtherString(k, at)) continue;
      const { open, close } = PAIRS[k]!;
      const lineEnd = text.indexOf('\n', at);
      const edit = closingEdit(text, at, PAIRS[k]!);
      const fixes: Fix[] = edit
        ? [{ title: interpolate(term('fix.closeMergeTag', 'Close the tag: {tag}', ctx.locale), { tag: text.slice(at, edit.start) + edit.text }), safe: false, edits: [edit] }]
        : [];
      ctx.report({ messageId: 'unclosed', start: at, end: Math.min(lineEnd === -1 ? text.length : lineEnd, at + 80), data: { open, close }, fixes });
      reports++;
    }
  },
};
