// The edit that gives a template the subject line as its title (title-missing's campaign fix): the
// text of an empty <title> (<mj-title>), else a title as the first child of <head> (<mj-head>), else
// a head with a title right after <html> (<mjml>). Only the inserted text is new; every other byte
// of the template stays.

import { Parser } from 'htmlparser2';
import { indentationAt, indentUnit } from '../../core/parse/markup';
import type { TextEdit } from '../../core/types';
import { escapeText } from './footer';

interface Tags {
  readonly root: string;
  readonly head: string;
  readonly title: string;
  readonly body: string;
}

const HTML_TAGS: Tags = { root: 'html', head: 'head', title: 'title', body: 'body' };
const MJML_TAGS: Tags = { root: 'mjml', head: 'mj-head', title: 'mj-title', body: 'mj-body' };

/** ESP merge tags and template syntax, opener and closer: kept as written inside the title. */
const MERGE_TAGS: ReadonlyArray<readonly [string, string]> = [
  ['{{', '}}'],
  ['{%', '%}'],
  ['*|', '|*'],
  ['<%', '%>'],
  ['[[', ']]'],
];

/**
 * `subject` as element text: `&`, `<` and `>` escaped, except inside merge tags (`{{ subject }}`,
 * `{% if a > b %}`, `*|FNAME|*` ...), which the ESP must still find as they are. One pass: each
 * opener is looked for once past the last match, and a closer once per opener found.
 */
export function titleText(subject: string): string {
  let out = '';
  let from = 0;
  const next = MERGE_TAGS.map(([open]) => subject.indexOf(open));
  for (;;) {
    let best = -1;
    for (let k = 0; k < MERGE_TAGS.length; k++) {
      if (next[k]! !== -1 && next[k]! < from) next[k] = subject.indexOf(MERGE_TAGS[k]![0], from);
      if (next[k]! !== -1 && (best === -1 || next[k]! < next[best]!)) best = k;
    }
    if (best === -1) break;
    const [open, close] = MERGE_TAGS[best]!;
    const at = next[best]!;
    const end = subject.indexOf(close, at + open.length);
    if (end === -1) {
      next[best] = -1; // No closer anywhere after: that opener is text from here on.
      continue;
    }
    out += escapeText(subject.slice(from, at)) + subject.slice(at, end + close.length);
    from = end + close.length;
  }
  return out + escapeText(subject.slice(from));
}

interface Found {
  /** Offset just past the start tag's `>`. */
  rootEnd?: number;
  headEnd?: number;
  titleEnd?: number;
  /** Offset of the title's end tag `</`. */
  titleClose?: number;
  bodySeen?: boolean;
}

/** Where the root, head and title start tags end, read with htmlparser2 (comments, so MSO conditionals, hide what they hold). */
function scan(text: string, tags: Tags, mjml: boolean): Found {
  const found: Found = {};
  let titleOpen = false;
  const parser: Parser = new Parser(
    {
      onopentag(name) {
        const end = parser.endIndex + 1;
        if (name === tags.root) found.rootEnd ??= end;
        else if (name === tags.body) found.bodySeen = true;
        else if (found.bodySeen) return;
        else if (name === tags.head) found.headEnd ??= end;
        else if (name === tags.title && found.titleEnd === undefined) {
          found.titleEnd = end;
          titleOpen = true;
        }
      },
      onclosetag(name, implied) {
        if (name !== tags.title || !titleOpen) return;
        titleOpen = false;
        if (!implied) found.titleClose = parser.startIndex;
      },
    },
    { decodeEntities: false, recognizeSelfClosing: mjml, lowerCaseTags: true },
  );
  parser.end(text);
  return found;
}

/** The line ending the file uses. */
function newline(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * The edit that writes `subject` as the title of the template `text`, or undefined when the file has
 * a non-empty title already, no root element, or a title without its end tag (where the title
 * ends would be a guess).
 */
export function titleEdit(text: string, kind: 'html' | 'mjml', subject: string): TextEdit | undefined {
  const mjml = kind === 'mjml';
  const tags = mjml ? MJML_TAGS : HTML_TAGS;
  const found = scan(text, tags, mjml);
  const value = titleText(subject);
  const element = `<${tags.title}>${value}</${tags.title}>`;
  if (found.titleEnd !== undefined) {
    if (found.titleClose === undefined || found.titleClose < found.titleEnd) return undefined;
    if (text.slice(found.titleEnd, found.titleClose).trim() !== '') return undefined;
    return { start: found.titleEnd, end: found.titleClose, text: value };
  }
  const nl = newline(text);
  const unit = indentUnit(text);
  /** The indentation of the first child after `at`: the next line's, unless that line closes the parent. */
  const childIndent = (at: number, parentIndent: string) => {
    const m = /^[ \t]*\r?\n([ \t]*)(<\/)?/.exec(text.slice(at, at + 200));
    return m && !m[2] ? m[1]! : parentIndent + unit;
  };
  if (found.headEnd !== undefined) {
    const at = found.headEnd;
    return { start: at, end: at, text: `${nl}${childIndent(at, indentationAt(text, at - 1))}${element}` };
  }
  if (found.rootEnd !== undefined) {
    const at = found.rootEnd;
    const ind = childIndent(at, indentationAt(text, at - 1));
    return { start: at, end: at, text: `${nl}${ind}<${tags.head}>${nl}${ind}${unit}${element}${nl}${ind}</${tags.head}>` };
  }
  return undefined;
}
