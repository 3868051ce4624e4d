// CLI output formats: stylish (for people), json (ESLint-like, for scripts), eslint-json (ESLint's
// own json formatter, for report viewers made for ESLint), sarif (code scanning).

import * as path from 'node:path';
import { interpolate, term } from '../core/messages';
import { PositionMapper } from '../core/position';
import { applyEdits } from '../core/text';
import { docsUrl } from '../core/rule';
import type { Finding, Locale, Severity } from '../core/types';
import { linter } from '../linter';
import { escapeControl } from './escape';

/**
 * A finding as the CLI reports it, with 1-based lines and columns as editors and ESLint show them.
 * The fields are in the order the json format writes them.
 */
export interface ReportedFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  messageId: string;
  /** A safe fix exists (--fix applies it). */
  fixable: boolean;
  /**
   * That fix as ESLint writes one: a single replacement of `[start, end)` UTF-16 offsets in the
   * file (several edits merged into one span). Only the eslint-json format shows it.
   */
  fix?: { range: [number, number]; text: string };
}

/**
 * One file's findings, located. Made where the file was linted (in a worker thread, mostly), so
 * neither the file's text nor the findings' fixes travel back to the main thread.
 */
export interface FileReport {
  filePath: string;
  findings: ReportedFinding[];
  /** --fix: the number of fixes written to this file. */
  fixed?: number;
  /** eslint-json: the file's text when it has findings and was not changed by --fix. */
  source?: string;
  /** eslint-json: the text --fix wrote. */
  output?: string;
}

/** One fix's edits as one ESLint-style replacement of the text between the first and the last. */
function mergedFix(text: string, edits: ReadonlyArray<{ start: number; end: number; text: string }>): { range: [number, number]; text: string } | undefined {
  if (!edits.length) return undefined;
  const start = Math.min(...edits.map((e) => e.start));
  const end = Math.max(...edits.map((e) => e.end));
  const replaced = applyEdits(text.slice(start, end), edits.map((e) => ({ start: e.start - start, end: e.end - start, text: e.text })));
  return replaced.skipped.length ? undefined : { range: [start, end], text: replaced.text };
}

/** `withFixes`: give each finding its fix as one offset range (for eslint-json only: it costs a slice of the text each). */
export function fileReport(filePath: string, text: string, findings: readonly Finding[], withFixes = false): FileReport {
  if (!findings.length) return { filePath, findings: [] };
  const mapper = new PositionMapper(text);
  return {
    filePath,
    findings: findings.map((f) => {
      const s = mapper.positionAt(f.start);
      const e = mapper.positionAt(f.end);
      const safe = withFixes ? f.fixes.find((x) => x.safe && !x.filePath) : undefined;
      const fix = safe ? mergedFix(text, safe.edits) : undefined;
      return {
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        line: s.line + 1,
        column: s.character + 1,
        endLine: e.line + 1,
        endColumn: e.character + 1,
        messageId: f.messageId,
        fixable: f.fixes.some((x) => x.safe),
        ...(fix ? { fix } : {}),
      };
    }),
  };
}

/** One file in the json format's report (the library API's `lint()` returns these). */
export interface JsonFileReport {
  filePath: string;
  messages: ReportedFinding[];
  errorCount: number;
  warningCount: number;
}

export function jsonReport(reports: readonly FileReport[]): JsonFileReport[] {
  return reports.map((r) => {
    // The fix's offsets are for eslint-json; this format has said `fixable` since it began.
    // A notice that is no rule's (an ignored file named on the command line) has a null ruleId, as in ESLint.
    const messages = r.findings.map(({ fix: _fix, ...m }) => ({ ...m, ruleId: m.ruleId || null })) as ReportedFinding[];
    const count = (s: Severity) => messages.filter((m) => m.severity === s).length;
    return { filePath: r.filePath, messages, errorCount: count('error'), warningCount: count('warning') };
  });
}

export function formatJson(reports: FileReport[]): string {
  return JSON.stringify(jsonReport(reports), null, 2);
}

/**
 * Whether the stylish report is coloured: --color / --no-color when given, else FORCE_COLOR
 * (0 or false: no; anything else: yes; it wins over NO_COLOR, as in Node itself), else NO_COLOR
 * (set and not empty: no), else only when writing to a terminal.
 */
export function colorWanted(flag: boolean | undefined, env: NodeJS.ProcessEnv, toTerminal: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !/^(0|false)$/i.test(force.trim());
  if (env['NO_COLOR']) return false;
  return toTerminal;
}

/** ESLint's json formatter's severities: 2 error, 1 warning; info and hints are shown as warnings (ESLint has no lower level). */
const ESLINT_SEVERITY: Record<Severity, 1 | 2> = { error: 2, warning: 1, info: 1, hint: 1 };

/**
 * ESLint's `json` formatter, field for field (ESLint 9's LintResult): for viewers and scripts made
 * for ESLint's reports. A finding that is not a rule's (an ignored file named on the command line)
 * has a null ruleId, as ESLint's own notices do. `source` is the file's text when it has
 * findings, `output` the text --fix wrote (lintFile.ts, withText).
 */
export function formatEslintJson(reports: FileReport[]): string {
  return JSON.stringify(
    reports.map((r) => {
      const messages = r.findings.map((f) => ({
        ruleId: f.ruleId || null,
        severity: ESLINT_SEVERITY[f.severity],
        message: f.message,
        line: f.line,
        column: f.column,
        nodeType: null,
        messageId: f.messageId,
        endLine: f.endLine,
        endColumn: f.endColumn,
        ...(f.fix ? { fix: f.fix } : {}),
      }));
      const errors = messages.filter((m) => m.severity === 2);
      const warnings = messages.filter((m) => m.severity === 1);
      return {
        filePath: r.filePath,
        messages,
        suppressedMessages: [],
        errorCount: errors.length,
        fatalErrorCount: 0,
        warningCount: warnings.length,
        fixableErrorCount: errors.filter((m) => m.fix).length,
        fixableWarningCount: warnings.filter((m) => m.fix).length,
        ...(r.output !== undefined ? { output: r.output } : r.source !== undefined ? { source: r.source } : {}),
        usedDeprecatedRules: [],
      };
    }),
  );
}

export function formatStylish(reports: FileReport[], locale: Locale, color = false): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  const totals: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let fixable = 0;
  for (const r of reports) {
    const findings = r.findings;
    if (!findings.length) continue;
    lines.push('', paint(4, escapeControl(path.relative(process.cwd(), r.filePath) || r.filePath)));
    const width = Math.max(...findings.map((l) => `${l.line}:${l.column}`.length));
    for (const l of findings) {
      totals[l.severity]++;
      if (l.fixable) fixable++;
      const sev = l.severity;
      const sevText = paint(sev === 'error' ? 31 : sev === 'warning' ? 33 : 36, sev.padEnd(7));
      lines.push(`  ${`${l.line}:${l.column}`.padEnd(width)}  ${sevText}  ${escapeControl(l.message)}${l.ruleId ? `  ${paint(2, escapeControl(l.ruleId))}` : ''}`);
    }
  }
  const total = totals.error + totals.warning + totals.info + totals.hint;
  if (!total) return '';
  lines.push('');
  const summary = locale === 'ja'
    ? `✖ ${total} 件の問題 (エラー ${totals.error}、警告 ${totals.warning}、情報 ${totals.info + totals.hint})`
    : `✖ ${total} problem${total === 1 ? '' : 's'} (${totals.error} error${totals.error === 1 ? '' : 's'}, ${totals.warning} warning${totals.warning === 1 ? '' : 's'}, ${totals.info + totals.hint} info)`;
  lines.push(paint(totals.error ? 31 : 33, summary));
  if (fixable) lines.push(interpolate(term('cli.fixable', '  {n} of them can be fixed with the --fix option.', locale), { n: fixable }));
  return lines.join('\n');
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(reports: FileReport[], version: string): string {
  const rules = linter.rules.map((r) => ({
    id: r.meta.id,
    name: r.meta.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.meta.description },
    helpUri: docsUrl(r.meta.id),
    // Code scanning shows `help` beside each alert; without it the alert says no help is available.
    help: { text: `${r.meta.description} ${docsUrl(r.meta.id)}`, markdown: `${r.meta.description} [Rule documentation](${docsUrl(r.meta.id)})` },
    defaultConfiguration: { level: r.meta.defaultSeverity === 'off' ? 'none' : SARIF_LEVEL[r.meta.defaultSeverity] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const cwd = process.cwd();
  const results = reports.flatMap((r) => {
    // A file on another drive than the working folder (Windows) has no path relative to it.
    const rel = path.relative(cwd, r.filePath);
    const artifactLocation = path.isAbsolute(rel) ? { uri: sarifUri(r.filePath, true) } : { uri: sarifUri(rel), uriBaseId: '%SRCROOT%' };
    return r.findings.map((l) => ({
      ruleId: l.ruleId,
      ...(index.has(l.ruleId) ? { ruleIndex: index.get(l.ruleId) } : {}),
      level: SARIF_LEVEL[l.severity],
      message: { text: l.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation,
            region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn },
          },
        },
      ],
    }));
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Deliverlint', version, informationUri: 'https://github.com/deliverlint/deliverlint', rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: sarifUri(cwd.endsWith(path.sep) ? cwd : cwd + path.sep, true) } },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}

/**
 * A path as SARIF wants it: a relative URI reference, or (`absolute`) a file: URI. Each segment is
 * percent-encoded, except a Windows drive (`file:///C:/...`, not `C%3A`). `sep` is the path
 * separator, the platform's unless a test says otherwise.
 */
export function sarifUri(p: string, absolute = false, sep: string = path.sep): string {
  const segments = p.split(sep).join('/').split('/');
  const encoded = segments.map((s, i) => (absolute && i === 0 && /^[A-Za-z]:$/.test(s) ? s : encodeURIComponent(s))).join('/');
  return absolute ? `file://${encoded.startsWith('/') ? '' : '/'}${encoded}` : encoded;
}
