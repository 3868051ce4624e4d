// The npm package as a user gets it: `npm run pack:npm` makes the tarball, which is installed with
// npm into a fresh project in the system's temporary folder (outside this repository, so none of
// its node_modules can be seen), and used from there: the `deliverlint` CLI through npx, the
// library API from CommonJS, from an ES module and from TypeScript, and checkDomain() against the
// test DNS server on 127.0.0.1.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type * as Api from '../../server/src/api';
import type { ReportedFinding } from '../../server/src/cli/formatters';
import type { RuleMeta } from '../../server/src/core/rule';
import type { RuleSetting, Severity } from '../../server/src/core/types';
import { startDnsServer, type TestDnsServer } from '../dns/server';
import { buildZones, makeKeys } from '../dns/zones';

const ROOT = path.resolve(__dirname, '..', '..');

// The API declares its public types itself (so its declarations stand alone); these fail the
// type check (npm test runs tsc) when they drift from the types the CLI and the rules use.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesAgree: [Same<Api.LintMessage, ReportedFinding>, Same<Api.Severity, Severity>, Same<Api.RuleSetting, RuleSetting>, Same<Api.RuleInfo['group'], RuleMeta['group']>] = [true, true, true, true];

/** What the tarball may hold, and must: bundles, declarations, schemas, docs and the manifest. */
const EXPECTED_FILES = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/api.js',
  'dist/cli.js',
  'dist/cliWorker.js',
  'dist/schemas/campaign.schema.json',
  'dist/schemas/deliverlintrc.schema.json',
  'dist/server.js',
  'dist/serverWorker.js',
  'dist/standing.js',
  'dist/verify.js',
  'dist/types/api.d.ts',
  'dist/types/cli/usageError.d.ts',
  'dist/types/dns/overview.d.ts',
  'dist/types/dns/types.d.ts',
  'package.json',
];

function filesBelow(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesBelow(p, base) : [path.relative(base, p).split(path.sep).join('/')];
  });
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}
const output = (r: Ran) => `exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/**
 * Runs a command without blocking this process: the test DNS server answers from this process's
 * event loop, which spawnSync would hold up for as long as the command runs.
 */
function runAsync(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (error) => resolve({ status: null, stdout, stderr, error }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the npm package, installed from its tarball into a fresh project', { timeout: 180_000 }, () => {
  let temp = '';
  let project = '';
  let installLog = '';
  let dns: TestDnsServer | undefined;
  // npm as a user runs it, with its own cache so nothing of this machine's is used or changed.
  let env: NodeJS.ProcessEnv = {};
  const run = (cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runAsync(cmd, args, { cwd: project, env: { ...env, ...extraEnv } });

  before(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'deliverlint-npm-'));
    project = path.join(temp, 'project');
    fs.mkdirSync(project);
    assert.ok(path.relative(ROOT, project).startsWith('..'), 'the project is outside this repository, so its node_modules cannot be seen');
    env = { ...process.env, npm_config_cache: path.join(temp, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
    // Nothing of this test run's loaders (tsx) follows the user's scripts into the package.
    delete env['NODE_OPTIONS'];
    const pack = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'pack-npm.mjs'), '--out', path.join(temp, 'pack')], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000 });
    assert.equal(pack.status, 0, output(pack));
    const tarball = pack.stdout.trim().split('\n').pop()!;
    assert.ok(fs.existsSync(tarball) && tarball.endsWith('.tgz'), `no tarball: ${tarball}`);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
    const install = await run('npm', ['install', tarball, '--no-audit', '--no-fund']);
    installLog = `${install.stdout}\n${install.stderr}`;
    assert.equal(install.status, 0, output(install));
    fs.cpSync(path.join(ROOT, 'examples'), path.join(project, 'emails'), { recursive: true });
    dns = await startDnsServer(buildZones(await makeKeys()));
  });

  after(async () => {
    await dns?.close();
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  });

  test('the types the API declares are those the CLI and the rules use', () => {
    assert.deepEqual(typesAgree, [true, true, true, true]);
  });

  test('npm installs it without engine warnings and without dependencies', () => {
    assert.doesNotMatch(installLog, /EBADENGINE|Unsupported engine/i);
    assert.deepEqual(fs.readdirSync(path.join(project, 'node_modules')).filter((n) => !n.startsWith('.')), ['deliverlint']);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'deliverlint', 'package.json'), 'utf8'));
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(manifest.version, root.version);
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.engines, { node: '>=20.19.0' });
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(manifest.bin, { deliverlint: 'dist/cli.js', 'deliverlint-language-server': 'dist/server.js' });
    for (const bin of ['deliverlint', 'deliverlint-language-server']) assert.ok(fs.existsSync(path.join(project, 'node_modules', '.bin', bin)), `${bin} is linked in node_modules/.bin`);
  });

  test('the package holds exactly the bundles, declarations, schemas and docs', () => {
    assert.deepEqual(filesBelow(path.join(project, 'node_modules', 'deliverlint')).sort(), [...EXPECTED_FILES].sort());
  });

  test('npx deliverlint lints a folder of templates and prints the json report', async () => {
    const r = await run('npx', ['--no-install', 'deliverlint', 'emails', '--format', 'json']);
    assert.equal(r.status, 1, output(r)); // the examples have errors on purpose
    const report = JSON.parse(r.stdout) as Api.LintResult[];
    const byName = new Map(report.map((f) => [path.relative(project, f.filePath).split(path.sep).join('/'), f]));
    assert.deepEqual(byName.get('emails/marketing/spring-sale.html')?.messages.map((m) => m.ruleId), ['unsubscribe-link-missing']);
    assert.deepEqual(byName.get('emails/transactional/password-reset.html')?.messages, []);
    assert.ok(report.every((f) => f.filePath.startsWith(project)));
  });

  test('require("deliverlint"): lint() returns what the CLI prints, the rule list, checkDomain()', async () => {
    const cli = await run('npx', ['--no-install', 'deliverlint', 'emails', '--format', 'json']);
    const dnsCli = await run('npx', ['--no-install', 'deliverlint', 'check-domain', 'good.test', '--dns', dns!.address, '--selector', 's1', '--format', 'json']);
    assert.equal(dnsCli.status, 0, output(dnsCli));
    fs.writeFileSync(
      path.join(project, 'use.cjs'),
      `const deliverlint = require('deliverlint');
(async () => {
  const out = {
    version: deliverlint.version,
    report: await deliverlint.lint(['emails'], { workers: false }),
    onThreads: await deliverlint.lint('emails', { cwd: __dirname, workers: true }),
    japanese: await deliverlint.lint(['emails/marketing/spring-sale.html'], { locale: 'ja', rules: { 'unsubscribe-link-missing': 'warning' } }),
    fixed: await deliverlint.lint('to-fix/winter-digest.html', { fix: true }),
    rules: deliverlint.rules,
    rulesJa: deliverlint.listRules('ja'),
    schema: require('deliverlint/schemas/deliverlintrc.schema.json').$schema !== undefined,
    manifestVersion: require('deliverlint/package.json').version,
    domain: await deliverlint.checkDomain('good.test', { dns: [process.argv[2]], selectors: ['s1'] }),
  };
  for (const bad of [() => deliverlint.lint('missing-folder'), () => deliverlint.lint('emails', { rules: { 'unsubscribe-link-mising': 'off' } }), () => deliverlint.checkDomain('not a domain')]) {
    try { await bad(); out.unexpected = true; } catch (err) { (out.errors ??= []).push({ usage: err instanceof deliverlint.UsageError, message: err.message }); }
  }
  process.stdout.write(JSON.stringify(out));
})();
`,
    );
    fs.mkdirSync(path.join(project, 'to-fix'));
    fs.copyFileSync(path.join(ROOT, 'examples', 'marketing', 'winter-digest.html'), path.join(project, 'to-fix', 'winter-digest.html'));
    // Two worker threads even for a dozen files: the package's cliWorker.js is loaded.
    const r = await run(process.execPath, ['use.cjs', dns!.address], { DELIVERLINT_CLI_WORKERS: '2' });
    assert.equal(r.status, 0, output(r));
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    assert.equal(out.manifestVersion, out.version);
    assert.equal(out.schema, true, 'the configuration schema is exported as deliverlint/schemas/...');
    assert.deepEqual(out.report, JSON.parse(cli.stdout));
    assert.deepEqual(out.onThreads, out.report);
    const [ja] = out.japanese as Api.LintResult[];
    assert.equal(ja!.messages[0]!.ruleId, 'unsubscribe-link-missing');
    assert.equal(ja!.messages[0]!.severity, 'warning');
    assert.match(ja!.messages[0]!.message, /[\u3040-\u30ff\u4e00-\u9fff]/, 'the message is in Japanese');
    assert.equal(ja!.errorCount, 0);
    assert.equal(ja!.warningCount, 1);

    // fix: true writes the safe fix (http: to https:) and reports what is left.
    const before = fs.readFileSync(path.join(ROOT, 'examples', 'marketing', 'winter-digest.html'), 'utf8');
    const after = fs.readFileSync(path.join(project, 'to-fix', 'winter-digest.html'), 'utf8');
    assert.equal(after, before.replace('href="http://trailhead.example.com/email-preferences', 'href="https://trailhead.example.com/email-preferences'));
    assert.notEqual(after, before);
    assert.deepEqual((out.fixed as Api.LintResult[])[0]!.messages.map((m) => [m.messageId, m.fixable]), [['hidden', false]]);

    const rules = out.rules as Api.RuleInfo[];
    const ids = rules.map((x) => x.id);
    assert.ok(ids.length >= 20 && new Set(ids).size === ids.length);
    assert.deepEqual(rules.find((x) => x.id === 'unsubscribe-link-missing'), {
      id: 'unsubscribe-link-missing',
      description: rules.find((x) => x.id === 'unsubscribe-link-missing')!.description,
      defaultSeverity: 'error',
      group: 'unsubscribe',
      fixable: true,
      docsUrl: rules.find((x) => x.id === 'unsubscribe-link-missing')!.docsUrl,
    });
    for (const x of rules) {
      assert.ok(x.description.length > 10, x.id);
      assert.match(x.docsUrl, new RegExp(`^https://.*${x.id}\\b`), x.id);
    }
    const rulesJa = out.rulesJa as Api.RuleInfo[];
    assert.deepEqual(rulesJa.map((x) => x.id), ids);
    assert.ok(rulesJa.every((x) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(x.description)), 'Japanese descriptions');

    const domain = out.domain as Api.DomainReport;
    const fromCli = JSON.parse(dnsCli.stdout) as Api.DomainReport;
    const stable = (d: Api.DomainReport) => ({ ...d, checkedAt: '', durationMs: 0 });
    assert.deepEqual(stable(domain), stable(fromCli));
    assert.equal(domain.domain, 'good.test');
    assert.deepEqual(domain.selectors, ['s1']);
    assert.deepEqual(domain.servers, [dns!.address]);
    assert.deepEqual(domain.verdicts.map((v) => v.status), ['met', 'met', 'met']);
    assert.ok(!domain.findings.some((f) => f.severity === 'error'));

    assert.equal(out.unexpected, undefined);
    assert.deepEqual(out.errors.map((e: { usage: boolean }) => e.usage), [true, true, true]);
    assert.match(out.errors[0].message, /missing-folder/);
    assert.match(out.errors[1].message, /unsubscribe-link-missing/, 'names the closest rule id');
  });

  test('import { lint } from "deliverlint" in an ES module', async () => {
    fs.writeFileSync(
      path.join(project, 'use.mjs'),
      `import { lint, rules, checkDomain, listRules, UsageError, version } from 'deliverlint';
const report = await lint('emails/marketing/spring-sale.html');
process.stdout.write(JSON.stringify({ kinds: [typeof checkDomain, typeof listRules, typeof UsageError, typeof version], rules: rules.length, ids: report[0].messages.map((m) => m.ruleId) }));
`,
    );
    const r = await run(process.execPath, ['use.mjs']);
    assert.equal(r.status, 0, output(r));
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.kinds, ['function', 'function', 'function', 'string']);
    assert.ok(out.rules >= 20);
    assert.deepEqual(out.ids, ['unsubscribe-link-missing']);
  });

  test('its type declarations check a TypeScript user, CommonJS and ES module alike', async () => {
    const source = `import { lint, checkDomain, rules, type LintResult, type DomainReport, type RuleInfo } from 'deliverlint';
export async function use(): Promise<number> {
  const report: LintResult[] = await lint(['emails'], { locale: 'ja', rules: { 'postal-address-missing': 'warning' } });
  const domain: DomainReport = await checkDomain('example.com', { selectors: ['s1'], dns: ['127.0.0.1:53'], timeout: 1000 });
  const first: RuleInfo | undefined = rules[0];
  // @ts-expect-error: a severity that does not exist
  await lint('emails', { rules: { 'postal-address-missing': 'fatal' } });
  // @ts-expect-error: files are strings
  await lint(42);
  return report[0]!.messages[0]!.line + domain.verdicts.length + (first?.fixable ? 1 : 0) + domain.spf.dnsLookups;
}
`;
    fs.writeFileSync(path.join(project, 'use.cts'), source);
    fs.writeFileSync(path.join(project, 'use.mts'), source);
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: [], lib: ['es2022'] }, files: ['use.cts', 'use.mts'] }));
    const r = await run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    assert.equal(r.status, 0, output(r));
  });
});
