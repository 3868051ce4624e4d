// Code actions for Deliverlint diagnostics: the fixes the core computed, "disable this rule"
// suppressions, and fix-all. Keyed on `diagnostic.code` and `diagnostic.data`, never on message text.

import { CodeAction, CodeActionKind, Command, TextDocumentEdit, type CodeActionContext, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { interpolate, term } from '../core/messages';
import { suppressionEdit, type SuppressionScope } from '../core/suppress';
import type { Finding, Fix, LintRequest, LintResult, Locale, TextEdit as CoreEdit } from '../core/types';
import { minimalEdit } from '../core/text';
import { PositionMapper } from '../core/position';
import { linter } from '../linter';
import { docsUrl } from '../core/rule';
import { FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND } from '../protocol';
import { isDiagnosticData, SOURCE, toRange } from './diagnostics';
import { pathToUri } from './session';
import { titleFixesFromCampaigns, type NamingCampaign } from '../rules/title-missing';

// Shared with the client (protocol.ts); exported here too for the server's existing importers.
export { FIX_ALL_KIND };

/** Rules whose findings cannot sensibly be suppressed with a directive. */
const NOT_SUPPRESSIBLE = new Set(['unused-directive', 'file-unreadable']);

export interface CodeActionInput {
  document: TextDocument;
  context: CodeActionContext;
  /** The lint request for a text of this document (config, path, reader already resolved). */
  request: (text: string) => LintRequest;
  locale: Locale;
  /** Whether the client takes versioned `documentChanges` in a WorkspaceEdit. */
  documentChanges: boolean;
  /** The lint of the document as it is now, when the server has it: not linted again. */
  current?: LintResult;
  /** The text with every safe fix applied, when computed elsewhere (a very large document's thread). */
  fixedText?: string;
  /**
   * Compute fix-all on this thread for the Ctrl+. menu's "Fix all" entry (default true). False for
   * a very large document: fixing it takes seconds, so the entry is left out unless `fixedText` is
   * given; the Fix All command still runs it on a thread.
   */
  fixAllHere?: boolean;
  /** The campaign files naming this document as their template, with their subjects (title-missing's fixes). */
  campaigns?: readonly NamingCampaign[];
}

/** True when an action of `kind` was asked for (`only` lists kinds or their parents). */
export function wantsKind(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || !only.length) return kind === CodeActionKind.QuickFix;
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

export function codeActionsFor(input: CodeActionInput): CodeAction[] {
  const { context } = input;
  const actions: CodeAction[] = [];
  if (wantsKind(context.only, CodeActionKind.QuickFix)) {
    const located: Diagnostic[] = [];
    actions.push(...quickFixes(input, located));
    actions.push(...menuEntries(input, located));
  }
  if (wantsKind(context.only, FIX_ALL_KIND)) {
    const fixAll = fixAllAction(input);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

interface Located {
  ruleId: string;
  start: number;
  end: number;
  fixes: Fix[];
}

/** The fixes and suppressions of the diagnostics; `located` gets those whose finding is still there. */
function quickFixes(input: CodeActionInput, located: Diagnostic[] = []): CodeAction[] {
  const { document, context, locale } = input;
  const text = document.getText();
  let fresh: LintResult | undefined;
  const freshLint = () => (fresh ??= input.current ?? linter.lint(input.request(text)));
  const freshFindings = () => freshLint().findings;
  const fixActions: CodeAction[] = [];
  const suppressions: CodeAction[] = [];
  const seen = new Set<string>();

  for (const diagnostic of context.diagnostics) {
    if (diagnostic.source !== SOURCE || typeof diagnostic.code !== 'string' || !isDiagnosticData(diagnostic.data)) continue;
    const found = locate(diagnostic, input, freshFindings);
    if (!found) continue;
    located.push(diagnostic);

    for (const fix of [...found.fixes, ...campaignTitleFixes(input, diagnostic, freshLint)]) {
      const key = `fix\0${fix.title}\0${JSON.stringify(fix.edits)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const edit = fix.filePath ? otherFileEdit(input, fix.filePath, fix.edits) : workspaceEdit(input, fix.edits);
      if (!edit) continue;
      const action = CodeAction.create(fix.title, edit, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      if (fix.preferred ?? (fix.safe && !found.fixes.some((f) => f.preferred))) action.isPreferred = true;
      fixActions.push(action);
    }

    if (NOT_SUPPRESSIBLE.has(found.ruleId) || !linter.ruleById(found.ruleId)) continue;
    for (const scope of ['line', 'file'] as SuppressionScope[]) {
      // The kind the linter resolved (payload globs included), so a JSON payload never gets an HTML comment.
      const edit = suppressionEdit(text, found.start, found.ruleId, scope, freshLint().kind);
      if (!edit) continue;
      const key = `suppress\0${scope}\0${found.ruleId}\0${edit.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const title =
        scope === 'line'
          ? interpolate(term('action.disableLine', 'Disable {ruleId} for this line', locale), { ruleId: found.ruleId })
          : interpolate(term('action.disableFile', 'Disable {ruleId} for the entire file', locale), { ruleId: found.ruleId });
      const action = CodeAction.create(title, workspaceEdit(input, [edit]), CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      suppressions.push(action);
    }
  }
  // Repairs first, then suppressions, as ESLint orders them.
  return [...fixActions, ...suppressions];
}

/** The template's own title-missing finding: each subject of a campaign file naming it, as its title. */
function campaignTitleFixes(input: CodeActionInput, diagnostic: Diagnostic, freshLint: () => LintResult): Fix[] {
  if (diagnostic.code !== 'title-missing' || !input.campaigns?.length) return [];
  if ((diagnostic.data as { messageId?: string }).messageId === 'campaign') return [];
  const kind = freshLint().kind;
  if (kind !== 'html' && kind !== 'mjml') return [];
  return titleFixesFromCampaigns(input.document.getText(), kind, input.campaigns, input.locale);
}

/**
 * What Ctrl+. offers besides the fixes of the diagnostics under the cursor, as vscode-eslint does:
 * "Show documentation for <rule>" for each rule there, and "Fix all auto-fixable problems" when
 * the file has any. Commands, not edits, for the documentation: the server opens the rule's page
 * (deliverlint/showRuleDocumentation -> window/showDocument), so any LSP client can follow it.
 */
function menuEntries(input: CodeActionInput, located: readonly Diagnostic[]): CodeAction[] {
  const ruleIds: string[] = [];
  const mine: Diagnostic[] = [];
  // Only diagnostics whose finding is still there: a stale one (fixed meanwhile) gets nothing.
  for (const d of located) {
    if (typeof d.code !== 'string' || !linter.ruleById(d.code)) continue;
    mine.push(d);
    if (!ruleIds.includes(d.code)) ruleIds.push(d.code);
  }
  if (!mine.length) return [];
  const out: CodeAction[] = [];
  for (const ruleId of ruleIds) {
    const title = interpolate(term('action.showDocs', 'Show documentation for {ruleId}', input.locale), { ruleId });
    const action = CodeAction.create(title, Command.create(title, SHOW_RULE_DOCS_COMMAND, ruleId), CodeActionKind.QuickFix);
    action.diagnostics = mine.filter((d) => d.code === ruleId);
    out.push(action);
  }
  const fixAll = input.fixAllHere === false && input.fixedText === undefined ? undefined : fixAllAction(input);
  if (fixAll) {
    fixAll.kind = CodeActionKind.QuickFix;
    out.push(fixAll);
  }
  return out;
}

/** The page of a rule's documentation, for deliverlint/showRuleDocumentation; undefined for an unknown id. */
export function ruleDocumentation(ruleId: unknown): string | undefined {
  return typeof ruleId === 'string' && linter.ruleById(ruleId) ? docsUrl(ruleId) : undefined;
}

/**
 * The finding behind a diagnostic, with offsets valid for the document as it is now: the data
 * itself when its version is current, else the nearest finding of the same rule and message in a
 * fresh lint (or none, when the problem is gone).
 */
function locate(diagnostic: Diagnostic, input: CodeActionInput, freshFindings: () => Finding[]): Located | undefined {
  const data = diagnostic.data as { ruleId: string; messageId: string; version: number | null; start: number; end: number; fixes: Fix[] };
  if (data.version !== null && data.version === input.document.version && data.ruleId === diagnostic.code) return data;
  const target = input.document.offsetAt(diagnostic.range.start);
  let best: Finding | undefined;
  for (const f of freshFindings()) {
    if (f.ruleId !== diagnostic.code || f.messageId !== data.messageId) continue;
    if (!best || Math.abs(f.start - target) < Math.abs(best.start - target)) best = f;
  }
  return best;
}

/** One action computing every safe fix, re-linting between passes, as a single minimal edit. */
function fixAllAction(input: CodeActionInput): CodeAction | undefined {
  const original = input.document.getText();
  const text = input.fixedText ?? linter.fixText(input.request(original)).text;
  if (text === original) return undefined;
  const edit = minimalEdit(original, text);
  const title = term('action.fixAll', 'Fix all auto-fixable Deliverlint problems', input.locale);
  return CodeAction.create(title, workspaceEdit(input, [edit]), FIX_ALL_KIND);
}

function workspaceEdit(input: CodeActionInput, edits: readonly CoreEdit[]): WorkspaceEdit {
  const { document } = input;
  const textEdits: TextEdit[] = [...edits]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((e) => ({ range: toRange(document, e.start, e.end), newText: e.text }));
  if (input.documentChanges) {
    return { documentChanges: [TextDocumentEdit.create({ uri: document.uri, version: document.version }, textEdits)] };
  }
  return { changes: { [document.uri]: textEdits } };
}

/**
 * A fix for another file (the layout or partial holding the footer): its offsets are in that file's
 * text as the server reads it (the open document, else the disk), and the edit targets its URI.
 * Undefined when the file cannot be read now. No version: the file may not be open.
 */
function otherFileEdit(input: CodeActionInput, filePath: string, edits: readonly CoreEdit[]): WorkspaceEdit | undefined {
  const text = input.request(input.document.getText()).reader?.readFile(filePath);
  if (text === undefined || edits.some((e) => e.end > text.length)) return undefined;
  const positions = new PositionMapper(text);
  const uri = pathToUri(filePath);
  const textEdits: TextEdit[] = [...edits]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((e) => ({ range: toRange(positions, e.start, e.end), newText: e.text }));
  if (input.documentChanges) return { documentChanges: [TextDocumentEdit.create({ uri, version: null }, textEdits)] };
  return { changes: { [uri]: textEdits } };
}
