// The hover on a template's first line, its <html> or <body> tag, or a layout or partial reference:
// what Deliverlint took the file for and why, its mail category, the layouts and partials the
// message is built from (workspace-relative links), the references it could not follow and, for a
// part, the emails that use it.

import * as path from 'node:path';
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { describeCategory } from '../core/classify';
import { engineOf, findReferences, roleReasons, type ComposedPart, type Composition, type Role, type UnresolvedReference } from '../core/compose';
import { interpolate, term } from '../core/messages';
import { parseTemplate } from '../core/parse/template';
import type { LintResult, Locale } from '../core/types';
import { isMjml } from './definition';
import { pathToUri } from './session';

/** Entries listed per section; the rest are counted. */
const MAX_LISTED = 20;

export interface HoverContext {
  locale: Locale;
  /** Folder paths are shown relative to (the workspace folder of a file). */
  folderFor(filePath: string): string | undefined;
  /** The emails built with the part at a path. */
  dependentsOf(filePath: string): string[];
}

/** The span under `offset` that shows the hover: the first line, the <html>/<body> start tag, a reference. */
export function hoverSpan(doc: TextDocument, filePath: string | undefined, offset: number): { start: number; end: number } | undefined {
  const text = doc.getText();
  const firstLineEnd = text.indexOf('\n') === -1 ? text.length : text.indexOf('\n');
  if (offset <= firstLineEnd) return { start: 0, end: firstLineEnd };
  for (const re of [/<html\b[^>]{0,2000}>/i, /<body\b[^>]{0,2000}>/i]) {
    const m = re.exec(text);
    if (m && m.index <= offset && offset <= m.index + m[0].length) return { start: m.index, end: m.index + m[0].length };
  }
  if (isMjml(doc.languageId, filePath, text)) {
    const inc = parseTemplate(text, 'mjml').includes.find((i) => i.tagStart <= offset && offset <= i.tagEnd);
    return inc && { start: inc.tagStart, end: inc.tagEnd };
  }
  const ref = findReferences(text, engineOf(filePath)).find((r) => r.start <= offset && offset <= r.end);
  return ref && { start: ref.start, end: ref.end };
}

function roleWord(role: Role, locale: Locale): string {
  switch (role) {
    case 'email':
      return term('hover.role.email', 'email', locale);
    case 'part':
      return term('hover.role.part', 'part of emails (layout or partial)', locale);
    case 'web':
      return term('hover.role.web', 'web page', locale);
    case 'ignored':
      return term('hover.role.ignored', 'ignored', locale);
    default:
      return term('hover.role.undecided', 'undecided (email or web page)', locale);
  }
}

function unresolvedReason(u: UnresolvedReference, locale: Locale): string {
  if (u.reason === 'dynamic') return term('compose.dynamic', 'its name is computed at run time', locale);
  if (u.reason === 'missing') return term('compose.missing', 'no such file', locale);
  if (u.reason === 'outside') return term('compose.outsideShort', 'outside the workspace', locale);
  return term('compose.unread', 'the template was linted without its folder', locale);
}

/** Markdown text as is: no emphasis, links or code from file names. */
function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Builds the hover's Markdown for a file's lint result; undefined when it has no composition. */
export function hoverMarkdown(filePath: string | undefined, result: LintResult, ctx: HoverContext): string | undefined {
  const composition: Composition | undefined = result.composition;
  if (!composition) return undefined;
  const { locale } = ctx;
  const base = filePath ? path.dirname(filePath) : undefined;
  const rel = (p: string): string => {
    const folder = ctx.folderFor(p) ?? base;
    return (folder ? path.relative(folder, p) : p).split(path.sep).join('/');
  };
  const link = (p: string): string => {
    // Go: file.tmpl#name is the {{define "name"}} in file.tmpl.
    const hash = p.indexOf('#');
    const file = hash === -1 ? p : p.slice(0, hash);
    return `[${escape(rel(file) + (hash === -1 ? '' : p.slice(hash)))}](${pathToUri(file)})`;
  };
  const list = (items: string[]): string[] => {
    const shown = items.slice(0, MAX_LISTED).map((i) => `- ${i}`);
    if (items.length > MAX_LISTED) shown.push(`- ${interpolate(term('hover.more', 'and {count} more', locale), { count: items.length - MAX_LISTED })}`);
    return shown;
  };
  const { role } = composition.role;
  const reasons = roleReasons(composition.role, locale);
  const lines: string[] = [
    `**Deliverlint**: ${interpolate(term('hover.classified', 'Classified as {role} because {reasons}.', locale), { role: `**${roleWord(role, locale)}**`, reasons: escape(reasons.join(locale === 'ja' ? '、' : '; ')) })}`,
  ];
  if (role === 'email' || role === 'undecided') lines.push('', escape(describeCategory(result.category, locale)));
  const describe = (part: ComposedPart): string => {
    const what = part.path ? link(part.path) : interpolate(term('hover.framework', '{name} (rendered by {framework})', locale), { name: code(part.name), framework: escape(part.framework ?? '') });
    const from = filePath && part.from !== filePath ? ` ${interpolate(term('hover.from', 'from {file}', locale), { file: link(part.from) })}` : '';
    return `${what}${from}`;
  };
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push('', `**${title}**`, '', ...list([...new Set(items)]));
  };
  section(term('hover.layouts', 'Layouts', locale), composition.parts.filter((p) => p.kind === 'layout').map(describe));
  section(term('hover.partials', 'Partials', locale), composition.parts.filter((p) => p.kind === 'partial').map(describe));
  section(term('hover.textPart', 'Plain-text part', locale), composition.parts.filter((p) => p.kind === 'text').map(describe));
  section(
    term('hover.unresolved', 'Not followed', locale),
    composition.unresolved.map((u) => `${u.kind} ${code(u.name ?? term('compose.computedName', '(a name computed at run time)', locale))}: ${unresolvedReason(u, locale)}`),
  );
  if (filePath && role === 'part') {
    const users = ctx.dependentsOf(filePath).sort();
    section(interpolate(term('hover.usedBy', 'Used by {count} email(s)', locale), { count: users.length }), users.map(link));
  }
  return lines.join('\n');
}

/** The hover at `offset`, from the document's current lint result. */
export function hoverAt(doc: TextDocument, filePath: string | undefined, offset: number, result: LintResult, ctx: HoverContext): Hover | null {
  const span = hoverSpan(doc, filePath, offset);
  if (!span) return null;
  const value = hoverMarkdown(filePath, result, ctx);
  if (!value) return null;
  return { contents: { kind: MarkupKind.Markdown, value }, range: { start: doc.positionAt(span.start), end: doc.positionAt(span.end) } };
}
