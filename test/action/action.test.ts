// The GitHub Action's lint step run here as a runner runs it: the command and the environment are
// read from action.yml's "lint" step (its ${{ inputs.* }} filled in with test values or the inputs'
// defaults), with the variables a runner sets (GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
// RUNNER_TEMP, GITHUB_ACTION_PATH) pointed at temporary folders. Checked: the exit status per fail
// level, the outputs, the summary, and the SARIF file against the SARIF 2.1.0 schema.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { sarifErrors } from './sarif';

const ROOT = resolve(__dirname, '..', '..');

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; run?: string; uses?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> }> };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const lintStep = action.runs.steps.find((s) => s.id === 'lint')!;

const MARKETING = (body: string) => `<!doctype html><html lang="en"><head><title>Harbor Goods</title></head>
      <body>
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">New arrivals for the harbor season</div>
<table role="presentation"><tr><td>
${body}
<p>Harbor Goods, 1 Pier Road, Portland, OR 97201</p>
</td></tr></table>
</body></html>
`;
const SALE = MARKETING('<h1>Spring sale</h1>\n<p>Everything is 20% off this week. <a href="https://shop.example.com/sale">Shop now</a></p>');
const RECEIPT = MARKETING('<p>Your password was changed. If this was not you, <a href="https://shop.example.com/account">review your account</a>.</p>');

let work: string;
let workspace: string;

before(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
    const b = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
  }
  work = mkdtempSync(join(tmpdir(), 'deliverlint-action-'));
  workspace = join(work, 'repo');
  const put = (rel: string, text: string) => {
    mkdirSync(join(workspace, rel, '..'), { recursive: true });
    writeFileSync(join(workspace, rel), text);
  };
  put('errors/emails/sale.html', SALE); // unsubscribe-link-missing: an error by default
  put('warnings/emails/sale.html', SALE);
  put('warnings/.deliverlintrc.json', JSON.stringify({ rules: { 'unsubscribe-link-missing': 'warning' } }));
  put('clean/emails/password-changed.html', RECEIPT);
  put('with space/emails/sale.html', SALE);
  put('lenient.json', JSON.stringify({ rules: { 'unsubscribe-link-missing': 'off' } }));
});
after(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  temp: string;
}

let runs = 0;
/** Runs action.yml's lint step with these inputs (others at their defaults), as a runner would. */
function runAction(inputs: Record<string, string>): Run {
  const dir = join(work, `run-${++runs}`);
  const temp = join(dir, 'runner-temp');
  mkdirSync(temp, { recursive: true });
  const outputFile = join(dir, 'github-output');
  const summaryFile = join(dir, 'step-summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  for (const name of Object.keys(inputs)) assert.ok(name in action.inputs, `action.yml has no input "${name}"`);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(lintStep.env ?? {})) {
    env[key] = value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name: string) => {
      assert.ok(name in action.inputs, `the lint step reads an undeclared input "${name}"`);
      return inputs[name] ?? action.inputs[name]!.default ?? '';
    });
  }
  const r = spawnSync('bash', ['-c', lintStep.run!], {
    cwd: workspace,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? work,
      LANG: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: temp,
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs: readOutputs(outputFile), summary: readFileSync(summaryFile, 'utf8'), temp };
}

/** GITHUB_OUTPUT's `name<<DELIMITER` ... `DELIMITER` entries (and plain `name=value` ones). */
function readOutputs(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([\w-]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      assert.ok(end > i, `unterminated output ${heredoc[1]}`);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

interface SarifLog {
  runs: Array<{
    results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }> }>;
    originalUriBaseIds: Record<string, { uri: string }>;
  }>;
}

/** The SARIF file the run announced, checked against the schema and the counts it announced. */
function checkedSarif(r: Run): SarifLog {
  const file = r.outputs['sarif-file'];
  assert.ok(file, `no sarif-file output: ${r.stdout}${r.stderr}`);
  const log = JSON.parse(readFileSync(file, 'utf8')) as SarifLog;
  assert.deepEqual(sarifErrors(log), []);
  const results = log.runs.flatMap((x) => x.results);
  for (const level of ['error', 'warning', 'note'] as const) {
    assert.equal(r.outputs[`${level}-count`], String(results.filter((x) => x.level === level).length), `${level}-count`);
  }
  return log;
}

describe('action.yml', () => {
  test('is a composite action whose lint step runs scripts/action.mjs, then uploads the SARIF it announced', () => {
    assert.equal(action.runs.using, 'composite');
    assert.match(lintStep.run!, /scripts\/action\.mjs/);
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload, 'no upload-sarif step');
    assert.equal(upload.with?.['sarif_file'], '${{ steps.lint.outputs.sarif-file }}');
    // A failing lint step must still upload its findings: the upload is not skipped on failure.
    assert.match(upload.if ?? '', /!cancelled\(\)|always\(\)/);
    for (const name of ['sarif-file', 'error-count', 'warning-count', 'note-count']) {
      assert.equal(action.outputs[name]?.value, `\${{ steps.lint.outputs.${name} }}`);
    }
    for (const name of ['paths', 'config', 'fail-level', 'sarif-file', 'locale', 'upload', 'category']) assert.ok(name in action.inputs, name);
  });
});

describe('the action lint step, run locally', () => {
  const expected: Array<[folder: string, level: string, code: number]> = [
    ['errors', 'error', 1],
    ['errors', 'warning', 1],
    ['errors', 'never', 0],
    ['warnings', 'error', 0],
    ['warnings', 'warning', 1],
    ['warnings', 'never', 0],
    ['clean', 'error', 0],
    ['clean', 'warning', 0],
    ['clean', 'never', 0],
  ];
  for (const [folder, level, code] of expected) {
    test(`${folder}/ with fail-level ${level}: exit ${code}`, () => {
      const r = runAction({ paths: folder, 'fail-level': level });
      assert.equal(r.code, code, r.stdout + r.stderr);
      const log = checkedSarif(r);
      const results = log.runs[0]!.results;
      const want = folder === 'errors' ? 'error' : folder === 'warnings' ? 'warning' : undefined;
      assert.deepEqual(results.map((x) => `${x.level} ${x.ruleId}`), want ? [`${want} unsubscribe-link-missing`] : []);
      if (want) {
        // Relative to the workspace (what code scanning resolves against the checkout).
        const loc = results[0]!.locations[0]!.physicalLocation.artifactLocation;
        assert.equal(loc.uri, `${folder}/emails/sale.html`);
        assert.equal(loc.uriBaseId, '%SRCROOT%');
      }
      // The default SARIF path is in RUNNER_TEMP, outside the checkout.
      assert.equal(r.outputs['sarif-file'], join(r.temp, 'deliverlint.sarif'));
      if (code) assert.match(r.stdout, /^::error title=Deliverlint::.*fail level "(error|warning)"/m);
      if (want) {
        // The finding is named in the log, inside a stretch where the runner reads no workflow commands.
        const lines = r.stdout.split('\n');
        const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
        const finding = lines.findIndex((l) => l.startsWith(`  ${folder}/emails/sale.html:2:7  ${want}  No unsubscribe link`) && l.endsWith('  unsubscribe-link-missing'));
        const resume = lines.indexOf(`::${lines[stop]?.slice('::stop-commands::'.length)}::`);
        assert.ok(stop >= 0 && stop < finding && finding < resume, r.stdout);
      } else {
        assert.doesNotMatch(r.stdout, /stop-commands/);
      }
      assert.match(r.summary, /^### Deliverlint/m);
      if (want) assert.match(r.summary, /\| `unsubscribe-link-missing` \| 1 \|/);
    });
  }

  test('default inputs: the whole workspace, fail on errors', () => {
    const r = runAction({});
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const log = checkedSarif(r);
    const uris = log.runs[0]!.results.map((x) => `${x.level} ${x.locations[0]!.physicalLocation.artifactLocation.uri}`).sort();
    assert.deepEqual(uris, ['error errors/emails/sale.html', 'error with%20space/emails/sale.html', 'warning warnings/emails/sale.html']);
  });

  test('config: the file given is used instead of the lookup', () => {
    const r = runAction({ paths: 'errors warnings', config: 'lenient.json', 'fail-level': 'warning' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(checkedSarif(r).runs[0]!.results.length, 0);
  });

  test('locale: ja gives the messages in Japanese; an unknown one is bad usage (exit 2)', () => {
    const ja = runAction({ paths: 'errors', locale: 'ja', 'fail-level': 'never' });
    assert.equal(ja.code, 0, ja.stdout + ja.stderr);
    const log = checkedSarif(ja) as unknown as { runs: Array<{ results: Array<{ message: { text: string } }> }> };
    assert.match(log.runs[0]!.results[0]!.message.text, /配信停止/);
    const en = runAction({ paths: 'errors', 'fail-level': 'never' });
    assert.match(readFileSync(en.outputs['sarif-file']!, 'utf8'), /No unsubscribe link/);
    const bad = runAction({ paths: 'errors', locale: 'fr', 'fail-level': 'never' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unsupported locale "fr"/);
  });

  test('paths: several, one per line, with spaces in a name', () => {
    const r = runAction({ paths: 'clean\nwith space\n', 'fail-level': 'error' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const log = checkedSarif(r);
    assert.deepEqual(log.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri), ['with%20space/emails/sale.html']);
  });

  test('sarif-file: written where asked, relative to the workspace', () => {
    const r = runAction({ paths: 'errors', 'sarif-file': 'reports/deliverlint.sarif', 'fail-level': 'never' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['sarif-file'], join(workspace, 'reports', 'deliverlint.sarif'));
    assert.equal(checkedSarif(r).runs[0]!.results.length, 1);
    rmSync(join(workspace, 'reports'), { recursive: true, force: true });
  });

  test('control characters in a file name are shown escaped in the log, not sent to the terminal', () => {
    mkdirSync(join(workspace, 'odd', 'emails'), { recursive: true });
    writeFileSync(join(workspace, 'odd', 'emails', 'sale\u001b[31m.html'), SALE);
    try {
      const r = runAction({ paths: 'odd', 'fail-level': 'never' });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(r.stdout.includes('  odd/emails/sale\\u001b[31m.html:2:7  error  '), r.stdout);
      assert.doesNotMatch(r.stdout, /\u001b/);
      assert.equal(checkedSarif(r).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'odd/emails/sale%1B%5B31m.html');
    } finally {
      rmSync(join(workspace, 'odd'), { recursive: true, force: true });
    }
  });

  test('an unknown fail level is bad usage (exit 2), before anything is linted', () => {
    const r = runAction({ paths: 'errors', 'fail-level': 'warnings' });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /::error title=Deliverlint::fail-level must be one of error, warning, never \(got "warnings"\)/);
    assert.deepEqual(r.outputs, {});
  });

  test('a configuration that cannot be read fails the step (exit 2) and announces no SARIF, even with fail-level never', () => {
    const r = runAction({ paths: 'errors', config: 'missing.json', 'fail-level': 'never' });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /missing\.json/);
    assert.match(r.stdout, /::error title=Deliverlint::deliverlint could not lint \(exit code 2\)/);
    assert.equal(r.outputs['sarif-file'], undefined);
    assert.equal(existsSync(join(r.temp, 'deliverlint.sarif')), false);
  });

  test('a path that looks like an option is linted as a path, not taken as one', () => {
    mkdirSync(join(workspace, '--fix'), { recursive: true });
    writeFileSync(join(workspace, '--fix', 'sale.html'), SALE);
    try {
      const r = runAction({ paths: '--fix', 'fail-level': 'never' });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(checkedSarif(r).runs[0]!.results.length, 1);
      assert.equal(readFileSync(join(workspace, '--fix', 'sale.html'), 'utf8'), SALE);
    } finally {
      rmSync(join(workspace, '--fix'), { recursive: true, force: true });
    }
  });
});
