// The message as sent: a template with the layouts that wrap it and the partials it pulls in,
// followed through the injected reader, and what the file is (email, part, web page). Whole-message
// rules judge the composition; the file's own findings stay at their own offsets.

import * as path from 'node:path';
import { parseTemplate } from '../parse/template';
import type { IncludeInfo, LinkInfo, TemplateModel } from '../parse/template';
import { PositionMapper } from '../position';
import type { DocumentKind, FileReader, RelatedPlace, ResolvedConfig } from '../types';
import { candidatePaths, conventionalLayouts, frameworkLayout } from './resolve';
import { engineOf, findReferences, goDefinitions, layoutMark, type Engine, type ReferenceKind, type TemplateReference } from './references';
import { findTwin, htmlTwinNames, textTwinNames } from './alternative';
import { decideRole, type RoleDecision } from './role';

export type { Engine, ReferenceKind, TemplateReference } from './references';
export type { Role, RoleDecision, RoleReason } from './role';
export { knownMail, roleReasons } from './role';
export { textHasUnsubscribe } from './alternative';
export { engineOf, findReferences } from './references';

/** A file (or framework layout) the message is built from. */
export interface ComposedPart {
  /** text: the plain-text part of the same message (welcome.text.erb beside welcome.html.erb). */
  kind: ReferenceKind | 'text';
  /** The name as the template wrote it. */
  name: string;
  /** Absolute path of the file; undefined for a framework's layout. */
  path?: string;
  /** The framework that renders it, when no file in the repository holds it. */
  framework?: string;
  /** The file that references it. */
  from: string;
}

/** A reference that could not be followed: the message cannot be judged whole. */
export interface UnresolvedReference {
  kind: ReferenceKind;
  name: string | undefined;
  /**
   * dynamic: a name computed at run time; missing: no such file; unread: the text has no path or no
   * reader to follow it; outside: the file is outside the workspace, and the host does not read it.
   */
  reason: 'dynamic' | 'missing' | 'unread' | 'outside';
  /** The file holding the reference, and its place there. */
  from: string;
  start: number;
  end: number;
}

export interface Composition {
  engine: Engine;
  role: RoleDecision;
  /** The composed message has an <html> or <body>: its own, or a layout's. */
  shell: boolean;
  parts: ComposedPart[];
  unresolved: UnresolvedReference[];
  /** Body text of the layouts and partials, one per line. */
  text: string;
  /** Their links, each with `includedFrom` set. */
  links: LinkInfo[];
  /** The absolute path each of the template's own mj-includes resolves to. */
  resolved: ReadonlyMap<IncludeInfo, string>;
  /** The message's plain-text part, when a twin file holds it (welcome.text.erb beside welcome.html.erb). */
  alternative?: { path: string; text: string };
  /** The template's own references to layouts and partials, in text order (their spans are where a finding about a part lands). */
  references: readonly TemplateReference[];
  /** The text a part's model was parsed from (its links' offsets point into it). */
  sourceOf(file: string): string | undefined;
  /** A place in one of the parts as a related place of a finding (undefined for a file not read). */
  place(filePath: string, start: number, end: number, message: string): RelatedPlace | undefined;
}

const MAX_DEPTH = 8;

/** The view engines of web frameworks, which render pages unless something says mail. */
const FRAMEWORK_VIEW: Partial<Record<Engine, string>> = { erb: 'ERB', blade: 'Blade', eex: 'EEx' };

/**
 * Lookups remembered per stable reader (one CLI run), bounded: the path found, null for nothing
 * found, or { outside } for a file found only outside the workspace.
 */
type Memo = string | null | { outside: string };
const memos = new WeakMap<FileReader, Map<string, Memo>>();
const MAX_MEMO = 50_000;
function memoFor(reader: FileReader): Map<string, Memo> {
  let memo = memos.get(reader);
  if (!memo || memo.size >= MAX_MEMO) {
    memo = new Map();
    memos.set(reader, memo);
  }
  return memo;
}
/** Files one composition reads at most (a message with more parts is cut off there). */
export const MAX_FILES = 64;

interface Parsed {
  text: string;
  model: TemplateModel;
  refs: TemplateReference[];
}

// Partials and layouts are shared by many emails: each is parsed once per text (profiled over a
// folder of MJML campaigns, parsing the same partials again for every template was a tenth of the
// CLI's time: docs/benchmarks.md, "MJML round"). Bounded by files and characters, and dropped whole
// when full (the next run of emails refills it with what they share).
const parsedCache = new Map<string, Parsed>();
const MAX_CACHED = 512;
const MAX_CACHED_CHARS = 2_000_000;
let cachedChars = 0;

/**
 * Empties the cache of parsed parts. The language server calls it when documents close: a part
 * larger than the cache's bound is still kept (the emails of one run share it), and would otherwise
 * stay, text and model, until some later lint happened to clear the cache.
 */
export function dropParsedParts(): void {
  parsedCache.clear();
  cachedChars = 0;
}

function parsePart(filePath: string, text: string, kind: DocumentKind): Parsed {
  const known = parsedCache.get(filePath);
  if (known && known.text === text && known.model.kind === kind) return known;
  const model = parseTemplate(text, kind, { includedFrom: filePath });
  const parsed = { text, model, refs: findReferences(text, engineOf(filePath)) };
  if (known) cachedChars -= known.text.length;
  if (parsedCache.size >= MAX_CACHED || cachedChars + text.length > MAX_CACHED_CHARS) {
    parsedCache.clear();
    cachedChars = 0;
  }
  parsedCache.set(filePath, parsed);
  cachedChars += text.length;
  return parsed;
}

export interface ComposeInput {
  model: TemplateModel;
  kind: DocumentKind;
  filePath?: string;
  config: ResolvedConfig;
  reader?: FileReader;
  /** The text is a whole message already (a send payload's HTML part). */
  wholeMessage?: boolean;
}

/** Where one reference of `fromFile` leads: the file (and, for a Go {{define}}, the offset of its content). */
export interface ResolvedReference {
  path: string;
  offset: number;
}

/**
 * The file a reference names, found as compose() finds it (a Go template's {{define}} beside the
 * file, then the candidate paths in order); undefined for a computed name, a framework's layout or
 * a file that is not there. For the editor's go to definition.
 */
export function resolveReference(ref: TemplateReference, fromFile: string, config: ResolvedConfig, reader: FileReader): ResolvedReference | undefined {
  if (!ref.name) return undefined;
  if (ref.engine === 'go' && !/\.\w{2,7}$/.test(ref.name)) {
    const dir = path.dirname(fromFile);
    for (const sibling of reader.listDir?.(dir) ?? []) {
      if (!/\.(?:tmpl|gohtml|html|tpl)$/i.test(sibling)) continue;
      const target = path.join(dir, sibling);
      const text = reader.readFile(target);
      const def = text?.includes('define') ? goDefinitions(text).find((d) => d.name === ref.name) : undefined;
      if (def) return { path: target, offset: def.start };
    }
  }
  for (const candidate of candidatePaths(ref, fromFile, config.root, config.templatePaths)) {
    // The file itself stops the lookup there, as in compose().
    if (path.resolve(candidate) === path.resolve(fromFile)) return undefined;
    if (reader.readFile(candidate) !== undefined) return { path: candidate, offset: 0 };
  }
  return undefined;
}

/** Follows the template's layouts and partials and decides what the file is. */
export function compose(input: ComposeInput): Composition {
  const { model, kind, filePath, config, reader } = input;
  const engine = kind === 'mjml' ? 'mjml' : engineOf(filePath);
  const parts: ComposedPart[] = [];
  const unresolved: UnresolvedReference[] = [];
  const texts: string[] = [];
  const links: LinkInfo[] = [];
  const resolved = new Map<IncludeInfo, string>();
  /** Each part's file text, and where the parsed text starts in it (a Go definition is a slice of its file). */
  const partTexts = new Map<string, { text: string; base: number }>();
  const sources = new Map<string, string>();
  let shell = !model.fragment;

  const ownRefs = kind === 'mjml' ? [] : findReferences(model.text, engine);
  const layoutPaths = filePath && !ownRefs.some((r) => r.kind === 'layout') ? conventionalLayouts(filePath, engine, model.text, reader && ((p) => reader.readFile(p))) : [];
  let usesLayout = ownRefs.some((r) => r.kind === 'layout');
  // Source of every part read, for the role's signals; a web framework layout when one wraps it.
  const composedTexts: string[] = [];
  let webFramework: string | undefined;
  let mailFramework: string | undefined;
  // The plain-text twin: of this HTML template (a part of its message), or the HTML one this is the text of.
  let alternative: { path: string; text: string } | undefined;
  let textPartOf: string | undefined;

  if (filePath && reader) {
    const root = config.root;
    const seen = new Set<string>([path.resolve(filePath)]);
    let budget = MAX_FILES;
    // `via`: the span, in the template itself, of the reference through which a part is reached
    // (findings about a part's missing partial land there).
    type Span = { start: number; end: number };
    const take = (target: string, text: string, kindOfPart: ReferenceKind, name: string, from: string, depth: number, via: Span) => {
      const isMjml = /\.mjml$/i.test(target);
      const sub = parsePart(target, text, isMjml ? 'mjml' : 'html');
      if (!partTexts.has(target)) partTexts.set(target, { text, base: 0 });
      sources.set(target, text);
      parts.push({ kind: kindOfPart, name, path: target, from });
      composedTexts.push(text);
      if (!sub.model.fragment) {
        shell = true;
        // A partial that opens the <html> ({{template "header" .}}) wraps the file as a layout does.
        if (kindOfPart === 'partial' && from === filePath) usesLayout = true;
      }
      texts.push(sub.model.bodyText);
      for (const l of sub.model.links) links.push(l);
      visit(sub.model, sub.refs, target, depth + 1, via);
    };
    const visit = (m: TemplateModel, refs: readonly TemplateReference[], fromFile: string, depth: number, via?: Span) => {
      if (depth > MAX_DEPTH) return;
      // MJML: mj-include paths, relative to the including file.
      for (const inc of m.includes) {
        if (!inc.path) continue;
        let target = path.resolve(path.dirname(fromFile), inc.path);
        if (!path.extname(target)) target += '.mjml';
        if (m === model) resolved.set(inc, target);
        if (seen.has(target) || budget <= 0) continue;
        seen.add(target);
        budget--;
        const text = reader.readFile(target);
        if (text === undefined) {
          const at = via ?? { start: inc.tagStart, end: inc.tagEnd };
          unresolved.push({ kind: 'partial', name: inc.path, reason: reader.outside?.(target) ? 'outside' : 'missing', from: fromFile, start: at.start, end: at.end });
          continue;
        }
        take(target, text, 'partial', inc.path, fromFile, depth, via ?? { start: inc.tagStart, end: inc.tagEnd });
      }
      for (const ref of refs) {
        if (budget <= 0) return;
        if (!ref.name) {
          const at = via ?? ref;
          unresolved.push({ kind: ref.kind, name: undefined, reason: 'dynamic', from: fromFile, start: at.start, end: at.end });
          continue;
        }
        if (ref.engine === 'go' && !/\.\w{2,7}$/.test(ref.name) && followGoDefinition(ref, fromFile, via ?? ref)) continue;
        const target = locate(ref, fromFile);
        if (target && 'path' in target) {
          if (seen.has(target.path)) continue;
          seen.add(target.path);
          budget--;
          take(target.path, target.text, ref.kind, ref.name, fromFile, depth, via ?? ref);
          continue;
        }
        const framework = frameworkLayout(ref);
        if (framework) {
          parts.push({ kind: ref.kind, name: ref.name, framework: framework.framework, from: fromFile });
          if (ref.kind === 'layout') shell = true;
          if (framework.web) webFramework ??= framework.framework;
          else mailFramework ??= framework.framework;
          continue;
        }
        const at = via ?? ref;
        unresolved.push({ kind: ref.kind, name: ref.name, reason: target ? 'outside' : 'missing', from: fromFile, start: at.start, end: at.end });
      }
    };
    // The first candidate that exists. A folder listing (when the host gives one) answers for the
    // missing candidates without opening them; with a stable reader (one CLI run) the answer per
    // folder and name is remembered, as every email of a folder asks the same. When none can be
    // read but one is there outside the workspace, that is the answer: the reference is named as
    // refused, not missing.
    const memo = reader.stable ? memoFor(reader) : undefined;
    const locate = (ref: TemplateReference, fromFile: string): { path: string; text: string } | { outside: string } | undefined => {
      const key = memo && `${path.dirname(fromFile)}\0${ref.engine}\0${ref.kind}\0${ref.name}`;
      if (key !== undefined) {
        const hit = memo!.get(key);
        if (hit === null) return undefined;
        if (typeof hit === 'object') return hit;
        if (hit !== undefined) {
          const text = reader.readFile(hit);
          if (text !== undefined) return { path: hit, text };
        }
      }
      let refused: string | undefined;
      for (const candidate of candidatePaths(ref, fromFile, root, config.templatePaths)) {
        const names = reader.listDir?.(path.dirname(candidate));
        if (names && !names.has(path.basename(candidate))) continue;
        const text = reader.readFile(candidate);
        if (text === undefined) {
          if (refused === undefined && reader.outside?.(candidate)) refused = candidate;
          continue;
        }
        if (key !== undefined) memo!.set(key, candidate);
        return { path: candidate, text };
      }
      const answer = refused === undefined ? undefined : { outside: refused };
      if (key !== undefined) memo!.set(key, answer ?? null);
      return answer;
    };
    // Go: {{template "footer" .}} names a {{define "footer"}} of a file beside the template.
    const followGoDefinition = (ref: TemplateReference, fromFile: string, via: Span): boolean => {
      const dir = path.dirname(fromFile);
      for (const sibling of [...(reader.listDir?.(dir) ?? [])].sort()) {
        if (!/\.(?:tmpl|gohtml|html|tpl)$/i.test(sibling)) continue;
        const target = path.join(dir, sibling);
        const text = target === path.resolve(fromFile) ? model.text : reader.readFile(target);
        if (text === undefined || !text.includes('define')) continue;
        const def = goDefinitions(text).find((d) => d.name === ref.name);
        if (!def) continue;
        const key = `${target}#${def.name}`;
        if (seen.has(key)) return true;
        seen.add(key);
        budget--;
        partTexts.set(key, { text, base: def.start });
        take(key, text.slice(def.start, def.end), 'partial', ref.name!, fromFile, MAX_DEPTH, via);
        return true;
      }
      return false;
    };
    visit(model, ownRefs, filePath, 0);
    for (const layout of layoutPaths) {
      const text = reader.readFile(layout);
      if (text === undefined) continue;
      seen.add(layout);
      usesLayout = true;
      take(layout, text, 'layout', path.basename(layout), filePath, 0, { start: 0, end: 0 });
      break;
    }
  }

  if (filePath && reader && !input.wholeMessage) {
    const listDir = reader.listDir && ((dir: string) => reader.listDir!(dir));
    const read = (p: string) => reader.readFile(p);
    const base = path.basename(filePath);
    const html = findTwin(path.resolve(filePath), htmlTwinNames(base), listDir, read);
    if (html) textPartOf = path.basename(html.path);
    else {
      alternative = findTwin(path.resolve(filePath), textTwinNames(base), listDir, read);
      if (alternative) parts.push({ kind: 'text', name: path.basename(alternative.path), path: alternative.path, from: filePath });
    }
  }

  if (!filePath || !reader) {
    // Nothing can be followed: every reference stays open, so nothing is judged missing.
    for (const inc of model.includes) if (inc.path) unresolved.push({ kind: 'partial', name: inc.path, reason: 'unread', from: filePath ?? '', start: inc.tagStart, end: inc.tagEnd });
    for (const ref of ownRefs) unresolved.push({ kind: ref.kind, name: ref.name, reason: ref.name ? 'unread' : 'dynamic', from: filePath ?? '', start: ref.start, end: ref.end });
  }

  // A fragment whose partials bring the <html> around it (Go's {{template "header" .}}) is wrapped
  // as surely as one that names a layout.
  if (model.fragment && shell) usesLayout = true;
  const role = input.wholeMessage
    ? { role: 'email' as const, reasons: [{ id: 'htmlPart' as const }] }
    : decideRole({
        filePath,
        text: model.text,
        config,
        fragment: model.fragment,
        layoutMark: kind === 'mjml' ? undefined : layoutMark(model.text, engine),
        usesLayout,
        mjml: kind === 'mjml' && !model.fragment,
        composedTexts,
        layoutUnresolved: unresolved.some((u) => u.kind === 'layout'),
        webFramework,
        mailFramework,
        frameworkView: FRAMEWORK_VIEW[engine] ?? (/\.twig$/i.test(filePath ?? '') ? 'Twig' : undefined),
        textPartOf,
      });
  const place = (file: string, start: number, end: number, message: string): RelatedPlace | undefined => {
    const known = partTexts.get(file);
    if (known === undefined) return undefined;
    const mapper = new PositionMapper(known.text);
    const s = mapper.positionAt(known.base + start);
    const e = mapper.positionAt(known.base + end);
    return { filePath: file.replace(/#.*$/, ''), line: s.line, character: s.character, endLine: e.line, endCharacter: e.character, message };
  };
  return { engine, role, shell: shell || !!input.wholeMessage, parts, unresolved, text: texts.join('\n'), links, resolved, ...(alternative && { alternative }), references: ownRefs, place, sourceOf: (file) => sources.get(file) };
}
