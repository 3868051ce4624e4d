// The language server in a real second client: Debian's Neovim, headless, attaches the bundled
// server (dist/server.js --stdio) to an HTML newsletter, reads back the diagnostics and the code
// actions, applies the quick fix with Neovim's own edit code and reads the diagnostics of the fixed
// buffer (test/editors/neovim/attach.lua). The findings must be the CLI's for the same file.
//
// Neovim is installed with apt-get when it is missing and the test runs as root (as the e2e suite
// installs Chromium). Without apt-get, or without root, the test is skipped and says why, unless
// DELIVERLINT_REQUIRE_NEOVIM=1 (CI sets it: there a skip would hide a broken client).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { ensureServerBuilt, ROOT } from '../lsp/client';

const FIXTURE = path.join(ROOT, 'test', 'editors', 'fixtures', 'newsletter.html');
const LUA = path.join(ROOT, 'test', 'editors', 'neovim', 'attach.lua');
const CLI_JS = path.join(ROOT, 'dist', 'cli.js');
const UNSUBSCRIBE_URL = 'https://books.example.com/unsubscribe?u={{ subscriber_id }}';

interface NeovimReport {
  nvim: string;
  filetype: string;
  steps: string[];
  error?: string;
  diagnostics: Diagnostic[];
  neovim_diagnostics: number;
  actions: CodeAction[];
  applied: string;
  text_after_fix: string;
  diagnostics_after_fix: Diagnostic[];
}

interface CliMessage {
  ruleId: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const hasNeovim = () => !spawnSync('nvim', ['--version'], { encoding: 'utf8' }).error;

/** Neovim on PATH, installed with apt-get when missing; a reason to skip when it cannot be. */
function ensureNeovim(): string | undefined {
  if (hasNeovim()) return undefined;
  if (spawnSync('apt-get', ['--version']).error) return 'Neovim is not installed and apt-get is not available: install Neovim (0.7 or newer) to run this test';
  if (process.getuid?.() !== 0) return 'Neovim is not installed and the test is not running as root: run `sudo apt-get install -y neovim`';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'neovim'], { env, encoding: 'utf8', timeout: 600_000 });
  let result = install();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update'], { env, encoding: 'utf8', timeout: 300_000 });
    result = install();
  }
  if (!hasNeovim()) throw new Error(`apt-get install neovim failed:\n${`${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-10).join('\n')}`);
  return undefined;
}

function lspRange(m: CliMessage) {
  return { start: { line: m.line - 1, character: m.column - 1 }, end: { line: m.endLine - 1, character: m.endColumn - 1 } };
}

const SEVERITY: Record<string, number> = { error: 1, warning: 2, info: 3, hint: 4 };

function cliFindings(file: string): Array<{ code: string; severity: number; range: ReturnType<typeof lspRange> }> {
  const r = spawnSync(process.execPath, [CLI_JS, file, '--format', 'json', '--exit-zero', '--locale', 'en'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Array<{ messages: CliMessage[] }>;
  return report[0]!.messages.map((m) => ({ code: m.ruleId, severity: SEVERITY[m.severity]!, range: lspRange(m) }));
}

const byPosition = <T extends { code?: unknown; range: { start: { line: number; character: number } } }>(list: T[]) =>
  [...list].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || String(a.code).localeCompare(String(b.code)));

describe('Neovim as a client of deliverlint-language-server', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('shows the CLI findings of a newsletter, offers the quick fix, and the fix clears the finding', async (t) => {
    const skip = ensureNeovim();
    if (skip) {
      if (process.env['DELIVERLINT_REQUIRE_NEOVIM'] === '1') assert.fail(skip);
      t.skip(skip);
      return;
    }
    const serverJs = await ensureServerBuilt();
    assert.ok(fs.existsSync(CLI_JS), 'dist/cli.js is built (node esbuild.mjs)');

    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'deliverlint-nvim-')));
    dirs.push(dir);
    const file = path.join(dir, 'newsletter.html');
    fs.copyFileSync(FIXTURE, file);
    const out = path.join(dir, 'report.json');
    // Neovim's own files (its LSP log, shada, swap) go to the temporary folder, not the user's home.
    const xdg = Object.fromEntries(['CONFIG', 'DATA', 'STATE', 'CACHE'].map((k) => [`XDG_${k}_HOME`, path.join(dir, `xdg-${k.toLowerCase()}`)]));
    const env = { ...process.env, ...xdg, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', DELIVERLINT_SERVER: serverJs, DELIVERLINT_NODE: process.execPath, DELIVERLINT_FILE: file, DELIVERLINT_OUT: out, DELIVERLINT_WAIT_MS: '20000' };
    const run = spawnSync('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${LUA.replace(/([\\ ])/g, '\\$1')}`], { env, cwd: dir, encoding: 'utf8', timeout: 90_000, input: '' });
    assert.ok(fs.existsSync(out), `Neovim wrote no report (exit ${run.status}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as NeovimReport;
    t.diagnostic(`Neovim ${report.nvim}`);
    assert.equal(report.error, undefined, `the Lua client failed after ${report.steps.join(', ')}: ${report.error}`);
    assert.equal(report.filetype, 'html');

    // The diagnostics Neovim received are the CLI's findings for the file: rule ids, ranges, severities.
    const expected = cliFindings(file);
    assert.deepEqual(expected.map((f) => f.code).sort(), ['merge-tag-unclosed', 'postal-address-missing', 'unsubscribe-link-missing']);
    assert.deepEqual(
      byPosition(report.diagnostics).map((d) => ({ code: d.code, severity: d.severity, range: d.range })),
      byPosition(expected),
    );
    // Neovim took them into its own diagnostics list.
    assert.equal(report.neovim_diagnostics, expected.length);

    // The quick fix at the unsubscribe finding, using the URL given in initializationOptions.settings.
    const fix = report.actions.find((a) => a.title === report.applied)!;
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.ok(report.actions.some((a) => a.command?.arguments?.[0] === 'unsubscribe-link-missing'), 'the rule documentation action');
    assert.ok(report.text_after_fix.includes(`<a href="${UNSUBSCRIBE_URL}"`), 'the configured unsubscribe URL is in the buffer');

    // The fixed buffer, linted again through didChange, has what the CLI finds in the fixed text.
    const fixed = path.join(dir, 'fixed', 'newsletter.html');
    fs.mkdirSync(path.dirname(fixed));
    fs.writeFileSync(fixed, `${report.text_after_fix}\n`);
    const expectedAfter = cliFindings(fixed);
    assert.ok(!expectedAfter.some((f) => f.code === 'unsubscribe-link-missing'));
    assert.deepEqual(
      byPosition(report.diagnostics_after_fix).map((d) => ({ code: d.code, severity: d.severity, range: d.range })),
      byPosition(expectedAfter),
    );
    assert.deepEqual(report.steps, ['started', 'diagnostics', 'codeActions', 'applied', 'relinted', 'stopped']);
  });
});
