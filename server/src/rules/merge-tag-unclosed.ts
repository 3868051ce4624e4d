import type { Rule } from '../core/rule';

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
const LITERAL_SPANS: readonly RegExp[] = [
  /\{%-?\s*(raw|verbatim|comment)\b[^%]*?-?%\}[\s\S]*?\{%-?\s*end\1\s*-?%\}/g,
  /\{\{\{\{\s*([\w-]+)[^}]*\}\}\}\}[\s\S]*?\{\{\{\{\/\s*\1\s*\}\}\}\}/g,
  /@verbatim\b[\s\S]*?@endverbatim\b/g,
  /\{\{!--[\s\S]*?--\}\}/g,
  /\{\{--[\s\S]*?--\}\}/g,
  /\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g,
  /\{#[\s\S]*?#\}/g,
  /<%!--[\s\S]*?--%>/g,
  /<%#[\s\S]*?%>/g,
  /\\\{\{/g,
  /<%%/g,
];

/** Sorted, non-overlapping `[start, end)` stretches where openers are text. */
class Spans {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  static literalIn(text: string): Spans {
    const found: Array<[number, number]> = [];
    for (const re of LITERAL_SPANS) {
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

const QUOTES = new Set(['"', "'", '`']);

/** A quote opens a string inside a tag only after a non-word character (`url="`, `( '`), so the apostrophe of "here's" does not. */
function opensString(text: string, at: number): boolean {
  return at === 0 || !/[\p{L}\p{N}_]/u.test(text[at - 1]!);
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
 * `strings`, where openers of the other kinds are text.
 */
function scanTag(text: string, start: number, pair: Pair, literal: Spans, strings: Array<[number, number]>): TagScan {
  const { open, close } = pair;
  const limit = Math.min(text.length, start + MAX_TAG_LENGTH);
  const found: Array<[number, number]> = [];
  let p = start + open.length;
  while (p < limit) {
    const ch = text[p]!;
    if (ch === close[0] && text.startsWith(close, p)) {
      strings.push(...found);
      return { closeAt: p, nextOpen: -1 };
    }
    if (ch === open[0] && text.startsWith(open, p)) {
      const skip = literal.endAt(p);
      if (skip !== -1) {
        p = skip;
        continue;
      }
      // `{{{` is one tag: an opener overlapping this one's does not count.
      if (p > start + open.length) return { closeAt: -1, nextOpen: p };
    } else if (QUOTES.has(ch) && opensString(text, p)) {
      const end = stringEnd(text, p, pair);
      if (end !== -1) {
        found.push([p, end + 1]);
        p = end + 1;
        continue;
      }
    }
    p++;
  }
  return { closeAt: -1, nextOpen: nextOpener(text, start + open.length + 1, open, literal) };
}

/**
 * The closing quote of the string opened at `at`, on the same line and not escaped; a tag of the
 * same kind inside the string is skipped when it closes before the string does. -1: no string.
 */
function stringEnd(text: string, at: number, pair: Pair): number {
  const q = text[at]!;
  let lineEnd = text.indexOf('\n', at);
  if (lineEnd === -1) lineEnd = text.length;
  let p = at + 1;
  while (p < lineEnd) {
    const ch = text[p]!;
    if (ch === '\\') {
      p += 2;
      continue;
    }
    if (ch === q) return p;
    if (ch === pair.open[0] && text.startsWith(pair.open, p)) {
      const closeAt = text.indexOf(pair.close, p + pair.open.length);
      const quoteAt = text.indexOf(q, p + pair.open.length);
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

export const rule: Rule = {
  meta: {
    id: 'merge-tag-unclosed',
    description: 'A merge tag is opened but never closed, so the ESP sends it as literal text.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'correctness',
    fixable: false,
    messages: {
      unclosed: 'The merge tag "{open}" is not closed with "{close}": recipients would see the raw tag.',
    },
  },
  check(ctx) {
    const { text } = ctx.model;
    if (!PAIRS.some((p) => text.includes(p.open))) return;
    const literal = Spans.literalIn(text);
    /** Quoted strings inside closed tags, by pair: another pair's opener inside one is text. */
    const strings: Array<Array<[number, number]>> = PAIRS.map(() => []);
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
    const inOtherString = (k: number, at: number) => strings.some((list, j) => j !== k && list.some(([s, e]) => s < at && at < e));
    let reports = 0;
    for (const { pair: k, at } of unclosed) {
      if (reports >= MAX_REPORTS) break;
      if (inOtherString(k, at)) continue;
      const { open, close } = PAIRS[k]!;
      const lineEnd = text.indexOf('\n', at);
      ctx.report({ messageId: 'unclosed', start: at, end: Math.min(lineEnd === -1 ? text.length : lineEnd, at + 80), data: { open, close } });
      reports++;
    }
  },
};
