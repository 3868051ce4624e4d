// The AWS CDK end to end: a small CDK app (mail-stack.ts) synthesized offline with aws-cdk-lib,
// then its cdk.out templates linted. aws-cdk-lib is large, so it is not in the root install (a
// newcomer's `npm ci` stays quick): it is installed once into .cache/cdk/ (ignored by git), the way
// the e2e suite caches code-server, and reused. Without the npm registry the test is skipped and
// says why.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { PositionMapper } from '../../server/src/core/position';
import { linter } from '../../server/src/linter';
import { synthesizeMailApp } from './mail-stack';

const CDK_VERSION = '2.278.0';
const CONSTRUCTS_VERSION = '10.8.1';
const CACHE = join(__dirname, '..', '..', '.cache', 'cdk', `aws-cdk-lib@${CDK_VERSION}`);
const MARKER = join(CACHE, '.installed');

function ensureCdk(): string | undefined {
  if (existsSync(MARKER)) return undefined;
  mkdirSync(CACHE, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', CACHE, '--no-audit', '--no-fund', '--no-save', `aws-cdk-lib@${CDK_VERSION}`, `constructs@${CONSTRUCTS_VERSION}`], { encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) return `npm install aws-cdk-lib@${CDK_VERSION} failed: ${(r.stderr || r.error?.message || '').slice(-500)}`;
  writeFileSync(MARKER, `${CDK_VERSION}\n`);
  return undefined;
}

test('a CDK app synthesized offline: findings in cdk.out land on the construct', { timeout: 1_200_000 }, (t) => {
  const problem = ensureCdk();
  if (problem) {
    t.skip(problem);
    return;
  }
  const req = createRequire(join(CACHE, 'node_modules', 'index.js'));
  const outdir = mkdtempSync(join(tmpdir(), 'deliverlint-cdk-'));
  const cdkOut = join(outdir, 'cdk.out');
  synthesizeMailApp(req('aws-cdk-lib'), req('aws-cdk-lib/aws-ses'), req('aws-cdk-lib/aws-sns'), cdkOut);

  const templates = readdirSync(cdkOut).filter((f) => f.endsWith('.template.json'));
  assert.deepEqual(templates, ['MailStack.template.json']);
  const file = join(cdkOut, templates[0]!);
  const text = readFileSync(file, 'utf8');
  const result = linter.lint({ text, filePath: file, config: defaultConfig() });
  assert.equal(result.kind, 'infra');
  const map = new PositionMapper(text);
  const found = result.findings.map((f) => ({ rule: f.ruleId, id: f.messageId, construct: (f.data as { construct?: string } | undefined)?.construct, line: map.positionAt(f.start).line }));
  const summary = JSON.stringify(found, null, 1);
  // The set left at the construct's defaults: reputation metrics off, and its one destination gets no bounces or complaints.
  assert.ok(found.some((f) => f.rule === 'ses-reputation-metrics-off' && f.construct?.startsWith('MailStack/NewsletterSet')), summary);
  assert.ok(found.some((f) => f.rule === 'ses-events-unmonitored' && f.id === 'typesMissing' && f.construct?.startsWith('MailStack/NewsletterSet/Sends')), summary);
  // The identity has no custom MAIL FROM.
  assert.ok(found.some((f) => f.rule === 'ses-mail-from-missing' && f.construct?.startsWith('MailStack/Identity')), summary);
  // The well-configured set gives nothing; no other rule fires.
  assert.ok(!found.some((f) => f.construct?.startsWith('MailStack/ReceiptsSet')), summary);
  assert.deepEqual([...new Set(found.map((f) => f.rule))].sort(), ['ses-events-unmonitored', 'ses-mail-from-missing', 'ses-reputation-metrics-off'], summary);
  // The message says where to change it; cdk.out gets no fix (the next synth would undo it).
  for (const f of result.findings) {
    assert.match(f.message, /CDK construct MailStack\//);
    assert.deepEqual(f.fixes, []);
  }
});
