// The options users bring from ESLint, run through the bundled CLI (dist/cli.js) as a user runs it:
// --max-warnings, --quiet, --rule id:severity, .deliverlintignore and --ignore-path, colour,
// --output-file, the --fix summary, --print-config, --format eslint-json, --help, unknown options.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIX = join(ROOT, 'test', 'fixtures', 'rules');
const NEWSLETTER = join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.html');
const WARNING_ONLY = join(FIX, 'postal-address-missing', 'invalid', 'copyright-only.html');

function cli(args: string[], cwd = ROOT, env: Record<string, string | undefined> = {}) {
  const base: Record<string, string | undefined> = { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: undefined, FORCE_COLOR: undefined };
  const merged = { ...base, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: merged as NodeJS.ProcessEnv, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface EslintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: { range: [number, number]; text: string };
}
interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  errorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  fatalErrorCount: number;
  suppressedMessages: unknown[];
  usedDeprecatedRules: unknown[];
}

let dir: string;
before(() => {
  if (!existsSync(CLI)) {
    const b = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
  }
  dir = mkdtempSync(join(tmpdir(), 'deliverlint-cli-eslint-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh folder under the test's temporary one. */
function folder(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

describe('--max-warnings and --quiet', () => {
  test('--max-warnings N: exit 1 with ESLint\'s message when warnings exceed N, 0 at N', () => {
    const over = cli([WARNING_ONLY, '--max-warnings', '0']);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /^Deliverlint found too many warnings \(maximum: 0\)\.$/m);
    assert.match(over.stdout, /postal-address-missing/);
    const at = cli([WARNING_ONLY, '--max-warnings', '1']);
    assert.equal(at.code, 0, at.stderr);
    assert.equal(at.stderr, '');
    const ja = cli([WARNING_ONLY, '--max-warnings=0', '--locale', 'ja']);
    assert.equal(ja.code, 1);
    assert.match(ja.stderr, /警告が多すぎます \(上限: 0\)/);
    // -1: no limit, as in ESLint, with a space or an equals sign.
    assert.equal(cli([WARNING_ONLY, '--max-warnings', '-1']).code, 0);
    assert.equal(cli([WARNING_ONLY, '--max-warnings=-1']).code, 0);
    const dash = cli([WARNING_ONLY, '--config', '-x']);
    assert.equal(dash.code, 2);
    assert.match(dash.stderr, /^deliverlint: Option '--config' needs a value; write a value that starts with a dash as --config=VALUE\.$/m);
    const bad = cli([WARNING_ONLY, '--max-warnings', 'many']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-warnings takes a whole number/);
  });

  test('--quiet reports errors only, and warnings it hides do not count for --max-warnings', () => {
    const quiet = cli([WARNING_ONLY, '--quiet', '--format', 'json', '--max-warnings', '0']);
    assert.equal(quiet.code, 0, quiet.stderr);
    const reports = JSON.parse(quiet.stdout) as Array<{ messages: unknown[]; warningCount: number }>;
    assert.deepEqual(reports.map((r) => [r.messages.length, r.warningCount]), [[0, 0]]);
    const errors = JSON.parse(cli([NEWSLETTER, WARNING_ONLY, '--quiet', '--format', 'json']).stdout) as Array<{ messages: Array<{ severity: string }> }>;
    const severities = errors.flatMap((r) => r.messages.map((m) => m.severity));
    assert.ok(severities.length > 0);
    assert.ok(severities.every((s) => s === 'error'), severities.join());
  });
});

describe('--rule', () => {
  test("ESLint's colon form with a space, warn and numeric severities; = still works; unknown ids get did-you-mean", () => {
    const sev = (args: string[]) => (JSON.parse(cli([NEWSLETTER, '--format', 'json', ...args]).stdout) as Array<{ messages: Array<{ ruleId: string; severity: string }> }>)[0]!.messages.filter((m) => m.ruleId === 'unsubscribe-link-missing').map((m) => m.severity);
    assert.deepEqual(sev(['--rule', 'unsubscribe-link-missing: warn']), ['warning']);
    assert.deepEqual(sev(['--rule', 'unsubscribe-link-missing:1']), ['warning']);
    assert.deepEqual(sev(['--rule', 'unsubscribe-link-missing=info']), ['info']);
    assert.deepEqual(sev(['--rule', 'unsubscribe-link-missing: 0']), []);
    const unknown = cli([NEWSLETTER, '--rule', 'unsubscribe-link-mising:off']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown rule 'unsubscribe-link-mising'\. Did you mean 'unsubscribe-link-missing'\?/);
  });
});

describe('.deliverlintignore and --ignore-path', () => {
  test('the ignore file in the current folder leaves walked files out (gitignore syntax, negation, folders)', () => {
    const d = folder('ignore-walk');
    for (const sub of ['emails', 'emails/drafts', 'vendor']) mkdirSync(join(d, sub), { recursive: true });
    for (const f of ['emails/a.html', 'emails/b.html', 'emails/keep.html', 'emails/drafts/c.html', 'vendor/v.html', 'top.html']) cpSync(NEWSLETTER, join(d, f));
    writeFileSync(join(d, '.deliverlintignore'), '# drafts and vendored mail\ndrafts/\n/vendor\nemails/*.html\n!emails/keep.html\n');
    const files = (args: string[]) => (JSON.parse(cli(['.', '--format', 'json', ...args], d).stdout) as Array<{ filePath: string }>).map((r) => r.filePath.slice(d.length + 1).split('\\').join('/'));
    assert.deepEqual(files([]), ['emails/keep.html', 'top.html']);
    assert.deepEqual(files(['--no-ignore']), ['emails/a.html', 'emails/b.html', 'emails/drafts/c.html', 'emails/keep.html', 'top.html', 'vendor/v.html']);
    // Globs are expanded without the ignored files too.
    assert.deepEqual(files(['emails/**/*.html']).filter((f) => f !== 'top.html'), ['emails/keep.html']);
  });

  test('--ignore-path: patterns relative to that file\'s folder; an unreadable one is a usage error', () => {
    const d = folder('ignore-path');
    mkdirSync(join(d, 'mail'));
    cpSync(NEWSLETTER, join(d, 'mail', 'x.html'));
    cpSync(NEWSLETTER, join(d, 'mail', 'y.html'));
    // Run from mail/: the patterns speak of paths from the ignore file's folder, not the current one.
    writeFileSync(join(d, 'ci.ignore'), 'mail/x.html\n');
    const r = cli(['.', '--format', 'json', '--ignore-path', join('..', 'ci.ignore')], join(d, 'mail'));
    assert.deepEqual((JSON.parse(r.stdout) as Array<{ filePath: string }>).map((x) => x.filePath), [join(d, 'mail', 'y.html')]);
    // --ignore-path replaces ./.deliverlintignore.
    writeFileSync(join(d, 'mail', '.deliverlintignore'), 'y.html\n');
    const own = cli(['.', '--format', 'json'], join(d, 'mail'));
    assert.deepEqual((JSON.parse(own.stdout) as Array<{ filePath: string }>).map((x) => x.filePath), [join(d, 'mail', 'x.html')]);
    const replaced = cli(['.', '--format', 'json', '--ignore-path', join('..', 'ci.ignore')], join(d, 'mail'));
    assert.deepEqual((JSON.parse(replaced.stdout) as Array<{ filePath: string }>).map((x) => x.filePath), [join(d, 'mail', 'y.html')]);
    const missing = cli(['mail', '--ignore-path', 'nope'], d);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read the ignore file nope/);
  });

  test('a file named on the command line that is ignored gets a warning, not silence', () => {
    const d = folder('ignore-named');
    cpSync(NEWSLETTER, join(d, 'old.html'));
    writeFileSync(join(d, '.deliverlintignore'), 'old.html\n');
    const r = cli(['old.html', '--format', 'eslint-json'], d);
    assert.equal(r.code, 0, r.stderr);
    const [res] = JSON.parse(r.stdout) as EslintResult[];
    assert.equal(res!.filePath, join(d, 'old.html'));
    assert.equal(res!.messages.length, 1);
    assert.equal(res!.messages[0]!.ruleId, null);
    assert.equal(res!.messages[0]!.severity, 1);
    assert.match(res!.messages[0]!.message, /File ignored because of a matching pattern in \.deliverlintignore\. Use --no-ignore to lint it\./);
    assert.equal(res!.warningCount, 1);
    const json = JSON.parse(cli(['old.html', '--format', 'json'], d).stdout) as Array<{ messages: Array<{ ruleId: string | null; severity: string }> }>;
    assert.deepEqual(json[0]!.messages.map((m) => [m.ruleId, m.severity]), [[null, 'warning']]);
    // SARIF results belong to rules: the notice goes to stderr, and the run has no result.
    const sarif = cli(['old.html', '--format', 'sarif'], d);
    assert.deepEqual(JSON.parse(sarif.stdout).runs[0].results, []);
    assert.match(sarif.stderr, /old\.html: File ignored because of a matching pattern/);
    const stylish = cli(['old.html'], d);
    assert.match(stylish.stdout, /warning {2}File ignored/);
    const ja = cli(['old.html', '--locale', 'ja'], d);
    assert.match(ja.stdout, /無視されました/);
    assert.equal(cli(['old.html', '--no-ignore'], d).code, 1);
  });
});

describe('colour', () => {
  const ESC = '\u001b[';
  test('no colour when piped; FORCE_COLOR and --color turn it on; NO_COLOR, FORCE_COLOR=0 and --no-color off', () => {
    assert.ok(!cli([NEWSLETTER]).stdout.includes(ESC));
    assert.ok(cli([NEWSLETTER], ROOT, { FORCE_COLOR: '1' }).stdout.includes(ESC));
    assert.ok(cli([NEWSLETTER, '--color']).stdout.includes(ESC));
    assert.ok(!cli([NEWSLETTER], ROOT, { FORCE_COLOR: '0' }).stdout.includes(ESC));
    assert.ok(!cli([NEWSLETTER, '--no-color'], ROOT, { FORCE_COLOR: '1' }).stdout.includes(ESC));
    assert.ok(!cli([NEWSLETTER, '--color', '--no-color']).stdout.includes(ESC));
    assert.equal(cli([NEWSLETTER, '--color', '--no-color']).code, 2);
  });
});

describe('--output-file', () => {
  test('writes the report there and nothing on stdout; exit code as without it', () => {
    const d = folder('out');
    const out = join(d, 'reports', 'deliverlint.json');
    const r = cli([NEWSLETTER, '--format', 'json', '--output-file', out]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const report = JSON.parse(readFileSync(out, 'utf8')) as Array<{ filePath: string }>;
    assert.equal(report[0]!.filePath, NEWSLETTER);
    // Replaced whole on the next run, and no temporary file is left beside it.
    const again = cli([WARNING_ONLY, '--format', 'json', '-o', out]);
    assert.equal(again.code, 0);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as Array<{ filePath: string }>)[0]!.filePath, WARNING_ONLY);
    assert.deepEqual(readdirSync(join(d, 'reports')), ['deliverlint.json']);
  });

  test('never writes through a symbolic link, nor onto a folder', { skip: process.platform === 'win32' }, () => {
    const d = folder('out-link');
    const outside = join(folder('outside'), 'victim.txt');
    writeFileSync(outside, 'precious');
    symlinkSync(outside, join(d, 'report.json'));
    const r = cli([NEWSLETTER, '--format', 'json', '--output-file', join(d, 'report.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /symbolic link/);
    assert.equal(readFileSync(outside, 'utf8'), 'precious');
    assert.ok(lstatSync(join(d, 'report.json')).isSymbolicLink());
    const onFolder = cli([NEWSLETTER, '--output-file', d]);
    assert.equal(onFolder.code, 2);
    assert.match(onFolder.stderr, /not a regular file/);
  });
});

describe('--fix summary', () => {
  test('files and fixes on stderr, --format json stays clean on stdout, in English and Japanese', () => {
    const d = folder('fix-summary');
    writeFileSync(join(d, '.deliverlintrc.json'), '{ "esp": "ses" }');
    cpSync(NEWSLETTER, join(d, 'one.html'));
    cpSync(NEWSLETTER, join(d, 'two.html'));
    const r = cli(['.', '--fix', '--format', 'json'], d);
    assert.equal(r.code, 0, r.stderr);
    const reports = JSON.parse(r.stdout) as Array<{ filePath: string }>;
    assert.equal(reports.length, 2);
    assert.match(r.stderr, /^ {2}one\.html: 1 fixed$/m);
    assert.match(r.stderr, /^ {2}two\.html: 1 fixed$/m);
    assert.match(r.stderr, /^Fixed 2 problems in 2 files\.$/m);
    // Nothing left to fix: no summary.
    assert.equal(cli(['.', '--fix'], d).stderr, '');
    cpSync(NEWSLETTER, join(d, 'one.html'));
    const ja = cli(['one.html', '--fix', '--locale', 'ja'], d);
    assert.match(ja.stderr, /one\.html: 1 件を修正/);
    assert.match(ja.stderr, /1 個のファイルで 1 件の問題を修正しました。/);
  });
});

describe('--print-config', () => {
  test('the configuration a file is linted with, and where each value comes from', () => {
    const d = folder('print-config');
    mkdirSync(join(d, 'emails'));
    writeFileSync(join(d, '.deliverlintrc.json'), '{ "esp": "sendgrid", "sender": { "name": "Harbor" }, "rules": { "postal-address-missing": "off" } }');
    const r = cli(['--print-config', join('emails', 'welcome.html'), '--rule', 'unsubscribe-link-missing:warn'], d);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { file: string; configFile: string; values: { esp: string; sender: { name: string }; rules: Record<string, string> }; sources: Record<string, { from: string; path?: string; key?: string }> };
    assert.equal(out.file, join(d, 'emails', 'welcome.html'));
    assert.equal(out.configFile, join(d, '.deliverlintrc.json'));
    assert.equal(out.values.esp, 'sendgrid');
    assert.equal(out.values.sender.name, 'Harbor');
    assert.equal(out.values.rules['postal-address-missing'], 'off');
    assert.equal(out.values.rules['unsubscribe-link-missing'], 'warning');
    assert.deepEqual(out.sources['esp'], { from: 'rcFile', path: join(d, '.deliverlintrc.json') });
    assert.deepEqual(out.sources['rules.unsubscribe-link-missing'], { from: 'setting', key: '--rule' });
    assert.deepEqual(out.sources['jurisdictions'], { from: 'default' });
    assert.equal(cli(['--print-config', 'x.html', '--fix'], d).code, 2);
  });
});

describe('--format eslint-json', () => {
  test("ESLint's json formatter shape: numeric severities, counts, fixes as one range", () => {
    const d = folder('eslint-json');
    writeFileSync(join(d, '.deliverlintrc.json'), '{ "esp": "ses" }');
    const file = join(d, 'n.html');
    cpSync(NEWSLETTER, file);
    cpSync(WARNING_ONLY, join(d, 'w.html'));
    const r = cli([file, join(d, 'w.html'), '--format', 'eslint-json', '--rule', 'unused-directive=info']);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(!r.stdout.trimEnd().includes('\n'), 'one line, as ESLint writes it');
    const results = JSON.parse(r.stdout) as EslintResult[];
    assert.deepEqual(results.map((x) => x.filePath), [file, join(d, 'w.html')]);
    for (const res of results) {
      assert.deepEqual(Object.keys(res), ['filePath', 'messages', 'suppressedMessages', 'errorCount', 'fatalErrorCount', 'warningCount', 'fixableErrorCount', 'fixableWarningCount', 'source', 'usedDeprecatedRules']);
      assert.equal((res as unknown as { source: string }).source, readFileSync(res.filePath, 'utf8'));
      assert.equal(res.errorCount, res.messages.filter((m) => m.severity === 2).length);
      assert.equal(res.warningCount, res.messages.filter((m) => m.severity === 1).length);
      for (const m of res.messages) assert.ok(m.severity === 1 || m.severity === 2);
    }
    const err = results[0]!.messages.find((m) => m.ruleId === 'unsubscribe-link-missing')!;
    assert.equal(err.severity, 2);
    assert.deepEqual([err.line, err.column, err.endLine], [14, 1, 14]);
    // The fix, applied to the file's text as ESLint's consumers apply it, gives what --fix writes.
    assert.ok(err.fix, 'a safe fix is given');
    assert.equal(results[0]!.fixableErrorCount, 1);
    const text = readFileSync(file, 'utf8');
    const fixed = text.slice(0, err.fix!.range[0]) + err.fix!.text + text.slice(err.fix!.range[1]);
    assert.equal(fixed, readFileSync(join(FIX, 'unsubscribe-link-missing', 'invalid', 'ses-newsletter.fixed.html'), 'utf8'));
    const warn = results[1]!.messages.find((m) => m.ruleId === 'postal-address-missing')!;
    assert.equal(warn.severity, 1);
    assert.equal(results[1]!.warningCount, results[1]!.messages.length);
    // With --fix, ESLint gives the fixed text as `output` instead of `source`.
    const fixDir = folder('eslint-json-fix');
    writeFileSync(join(fixDir, '.deliverlintrc.json'), '{ "esp": "ses" }');
    cpSync(NEWSLETTER, join(fixDir, 'n.html'));
    const fixedRun = JSON.parse(cli([join(fixDir, 'n.html'), '--fix', '--format', 'eslint-json']).stdout) as Array<Record<string, unknown>>;
    assert.equal(fixedRun[0]!['output'], readFileSync(join(fixDir, 'n.html'), 'utf8'));
    assert.ok(!('source' in fixedRun[0]!));
    // A clean file has neither.
    const clean = JSON.parse(cli([join(fixDir, 'n.html'), '--format', 'eslint-json']).stdout) as Array<Record<string, unknown>>;
    assert.ok(!('source' in clean[0]!) && !('output' in clean[0]!));
    // Linted on worker threads, the report is the same, fixes included.
    const onWorkers = cli([file, join(d, 'w.html'), '--format', 'eslint-json', '--rule', 'unused-directive=info'], ROOT, { DELIVERLINT_CLI_WORKERS: '2' });
    assert.equal(onWorkers.stdout, r.stdout);
    // Our own json format is unchanged: severities as words, no fix field.
    const own = JSON.parse(cli([file, '--format', 'json']).stdout) as Array<{ messages: Array<Record<string, unknown>> }>;
    assert.equal(own[0]!.messages[0]!['severity'], 'error');
    assert.ok(!('fix' in own[0]!.messages[0]!));
  });

  test('info and hint findings are severity 1 (ESLint has no lower level) and counted as warnings', () => {
    const r = cli([WARNING_ONLY, '--format', 'eslint-json', '--rule', 'postal-address-missing=info']);
    const [res] = JSON.parse(r.stdout) as EslintResult[];
    const m = res!.messages.find((x) => x.ruleId === 'postal-address-missing')!;
    assert.equal(m.severity, 1);
    assert.equal(res!.warningCount, res!.messages.length);
    assert.equal(r.code, 0);
  });
});

describe('--help and unknown options', () => {
  test('--help names every kind of file, every command and every option', () => {
    const help = cli(['--help']).stdout;
    for (const word of ['.html', '.mjml', 'MJML', 'SES', 'SendGrid', '.campaign.yaml', '.eml', '.html.erb', '.blade.php', 'check-domain']) assert.ok(help.includes(word), `--help mentions ${word}`);
    for (const opt of ['--format', 'eslint-json', 'sarif', '--output-file', '--fix', '--config', '--rule', '--ignore-path', '--no-ignore', '--quiet', '--max-warnings', '--exit-zero', '--color', '--no-color', 'NO_COLOR', 'FORCE_COLOR', '--locale', '--explain', '--print-config', '--help', '--version', '.deliverlintignore']) {
      assert.ok(help.includes(opt), `--help mentions ${opt}`);
    }
    const domain = cli(['check-domain', '--help']);
    assert.equal(domain.code, 0);
    for (const opt of ['--selector', '--dns', '--timeout', '--format', '--locale', '--help', 'SPF', 'DMARC', 'DKIM', 'MTA-STS', 'TLS-RPT', 'BIMI']) assert.ok(domain.stdout.includes(opt), `check-domain --help mentions ${opt}`);
  });

  test('an unknown option is named with the closest known one, exit 2', () => {
    const r = cli([NEWSLETTER, '--max-warning', '3']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown option '--max-warning'\. Did you mean '--max-warnings'\?/);
    assert.equal(r.stdout, '');
    const far = cli(['--zzzzzzzz']);
    assert.equal(far.code, 2);
    assert.match(far.stderr, /Unknown option '--zzzzzzzz'\./);
    const short = cli(['-q']);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /Unknown option '-q'/);
    assert.match(short.stderr, /The short options are -f -o -c -h -v\./);
    const domain = cli(['check-domain', 'example.com', '--selectr', 's1']);
    assert.equal(domain.code, 2);
    assert.match(domain.stderr, /Unknown option '--selectr'\. Did you mean '--selector'\?/);
    const hostile = cli(['--\u001b[2Jx']);
    assert.ok(!hostile.stderr.includes('\u001b'), 'control characters are escaped');
  });
});
