// Suppression edits: the text a "disable this rule here" quick fix writes. Pure, like the rest of
// the core; the LSP adapter turns the offsets into ranges. HTML and MJML share the HTML comment
// syntax, which is where the engine looks for directives (see directives.ts).

import { indentationAt, lineStartOf } from './parse/markup';
import { lineEnding } from './text';
import type { DocumentKind, TextEdit } from './types';

export type SuppressionScope = 'line' | 'file';

/**
 * The edit that suppresses `ruleId` for the finding starting at `offset`, or undefined when no
 * comment can be placed safely (the line starts inside a tag or a comment, where a new comment
 * would change the markup).
 */
export function suppressionEdit(text: string, offset: number, ruleId: string, scope: SuppressionScope, kind: DocumentKind): TextEdit | undefined {
  // Campaign files are YAML (or JSON, which takes no comments); payloads and .eml take configuration only.
  if (kind === 'campaign' || kind === 'infra') return /^\s*\{/.test(text) ? undefined : yamlSuppression(text, offset, ruleId, scope);
  if (kind !== 'html' && kind !== 'mjml') return undefined;
  return scope === 'file' ? disableFileEdit(text, ruleId) : disableNextLineEdit(text, offset, ruleId);
}

/** `# deliverlint-disable-next-line id` above the finding's line, or `# deliverlint-disable-file id` first. */
function yamlSuppression(text: string, offset: number, ruleId: string, scope: SuppressionScope): TextEdit {
  const eol = lineEnding(text);
  if (scope === 'file') return { start: 0, end: 0, text: `# deliverlint-disable-file ${ruleId}${eol}` };
  const lineStart = lineStartOf(text, Math.max(0, Math.min(offset, text.length)));
  return { start: lineStart, end: lineStart, text: `${indentationAt(text, lineStart)}# deliverlint-disable-next-line ${ruleId}${eol}` };
}

// An existing next-line directive on the line above: `<!-- deliverlint-disable-next-line a, b -- why -->`.
const NEXT_LINE_DIRECTIVE = /^([ \t]*<!--\s*deliverlint-disable-next-line)([^\n]*?)(\s--\s[^\n]*?)?(\s*-->[ \t]*\r?)$/;

function disableNextLineEdit(text: string, offset: number, ruleId: string): TextEdit | undefined {
  const at = Math.max(0, Math.min(offset, text.length));
  const lineStart = lineStartOf(text, at);
  if (insideMarkup(text, lineStart)) return undefined;

  // A directive already on the line above covers this line: add the id to it, because a new line
  // in between would move that directive's target onto our comment.
  if (lineStart > 0) {
    const prevStart = lineStartOf(text, lineStart - 1);
    const prevLine = text.slice(prevStart, lineStart - 1);
    const m = NEXT_LINE_DIRECTIVE.exec(prevLine);
    if (m) {
      const ids = m[2]!.split(/[\s,]+/).filter(Boolean);
      if (ids.length === 0 || ids.includes(ruleId)) return undefined;
      // Appended after the last id: what stands there (spacing, ids we may not know) stays as written.
      const afterIds = prevStart + m[1]!.length + m[2]!.trimEnd().length;
      return { start: afterIds, end: afterIds, text: `, ${ruleId}` };
    }
  }

  const indent = indentationAt(text, lineStart);
  return { start: lineStart, end: lineStart, text: `${indent}<!-- deliverlint-disable-next-line ${ruleId} -->${lineEnding(text)}` };
}

// A prolog that must stay first: a comment before the doctype can switch a client to quirks mode.
const PROLOG = /^(\uFEFF?)((?:\s*<\?xml[^>]*\?>)?(?:\s*<!doctype[^>]*>)?)/i;

function disableFileEdit(text: string, ruleId: string): TextEdit {
  const eol = lineEnding(text);
  const comment = `<!-- deliverlint-disable-file ${ruleId} -->`;
  const m = PROLOG.exec(text)!;
  const bom = m[1]!.length;
  const prolog = m[2]!;
  if (!prolog.trim()) return { start: bom, end: bom, text: comment + eol };
  const prologEnd = bom + prolog.length;
  // Prolog alone on its line: the comment becomes the next line.
  const rest = /^[ \t]*\r?\n/.exec(text.slice(prologEnd));
  if (rest) {
    const next = prologEnd + rest[0].length;
    return { start: next, end: next, text: comment + eol };
  }
  if (prologEnd === text.length) return { start: prologEnd, end: prologEnd, text: eol + comment };
  return { start: prologEnd, end: prologEnd, text: eol + comment + eol };
}

/** True when `offset` lies inside a tag or a comment (so a comment cannot be inserted there). */
function insideMarkup(text: string, offset: number): boolean {
  const before = text.slice(Math.max(0, offset - 64 * 1024), offset);
  const open = before.lastIndexOf('<!--');
  // Searching from open + 2 also sees `<!-->`, the empty comment that ends downlevel-revealed blocks.
  if (open !== -1 && before.indexOf('-->', open + 2) === -1) return true;
  const lt = before.lastIndexOf('<');
  const gt = before.lastIndexOf('>');
  if (lt > gt) {
    // `<` followed by a letter, `/`, `!` or `?` opens a tag; a lone `<` in text does not.
    const next = before[lt + 1];
    return next !== undefined && /[A-Za-z/!?]/.test(next);
  }
  return false;
}
