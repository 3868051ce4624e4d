// Files a cloned repository can hold that never end or never open: a link to /dev/zero as an
// included partial, a campaign's template or an rc file, and a FIFO as a partial. The CLI must
// finish, promptly and with bounded memory, and say what it could not read.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const posix = process.platform !== 'win32' && existsSync('/dev/zero');

function run(dir: string): { status: number | null; report: Array<{ filePath: string; messages: Array<{ ruleId: string; message: string }> }>; ms: number; stderr: string } {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, dir, '--format', 'json', '--exit-zero'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, DELIVERLINT_CLI_WORKERS: '0' } });
  return { status: r.status, report: r.stdout ? JSON.parse(r.stdout) : [], ms: Date.now() - started, stderr: r.stderr };
}

describe('hostile files', { skip: !posix || !existsSync(CLI) ? 'needs /dev/zero, mkfifo and dist/cli.js' : false }, () => {
  test('an mj-include linked to /dev/zero and a FIFO partial are refused, not read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-hostile-'));
    try {
      mkdirSync(path.join(dir, 'partials'));
      symlinkSync('/dev/zero', path.join(dir, 'partials', 'zero.mjml'));
      spawnSync('mkfifo', [path.join(dir, 'partials', 'pipe.hbs')]);
      writeFileSync(path.join(dir, 'news.mjml'), '<mjml><mj-body><mj-include path="./partials/zero.mjml" /><mj-section><mj-column><mj-text>Hello</mj-text></mj-column></mj-section></mj-body></mjml>\n');
      writeFileSync(path.join(dir, 'digest.hbs'), '<!DOCTYPE html><html><body><table role="presentation"><tr><td>News {{> pipe}}</td></tr></table></body></html>\n');
      const r = run(dir);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(r.ms < 20_000, `finished in ${r.ms} ms`);
      const byFile = new Map(r.report.map((f) => [path.basename(f.filePath), f.messages.map((m) => m.ruleId)]));
      // The include could not be followed: unverified, never "missing".
      assert.ok(byFile.get('news.mjml')?.includes('unsubscribe-link-missing'));
      assert.ok(byFile.get('digest.hbs')?.includes('unsubscribe-link-missing'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an rc file linked to /dev/zero is reported as unreadable configuration, not read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-hostile-rc-'));
    try {
      symlinkSync('/dev/zero', path.join(dir, '.deliverlintrc.json'));
      writeFileSync(path.join(dir, 'a.html'), '<!DOCTYPE html><html><body><p>Hi</p></body></html>\n');
      const started = Date.now();
      const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, dir], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /Cannot read the configuration file .*not a regular file/);
      assert.ok(Date.now() - started < 20_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a campaign whose template is linked to /dev/zero says the template cannot be read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-hostile-campaign-'));
    try {
      symlinkSync('/dev/zero', path.join(dir, 'zero.html'));
      writeFileSync(path.join(dir, 'spring.campaign.yaml'), 'category: marketing\nfrom: news@shop.example.com\ntemplate: ./zero.html\n');
      const r = run(dir);
      assert.equal(r.status, 0, r.stderr);
      const campaign = r.report.find((f) => f.filePath.endsWith('spring.campaign.yaml'));
      assert.ok(campaign?.messages.some((m) => m.ruleId === 'campaign-template-invalid'), JSON.stringify(campaign));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('one bad file, and a closed pipe', { skip: !existsSync(CLI) ? 'needs dist/cli.js' : false }, () => {
  test('payloads and campaigns nested 100,000 deep get their own finding; the other files are reported', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-deep-'));
    try {
      const n = 100_000;
      writeFileSync(path.join(dir, 'deep.json'), `{"personalizations":${'['.repeat(n)}${']'.repeat(n)}}`);
      writeFileSync(path.join(dir, 'deep-ses.json'), `{"FromEmailAddress":"news@harbor.example.com","Content":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`);
      writeFileSync(path.join(dir, 'deep.campaign.yaml'), `category: marketing\nheaders: ${'['.repeat(n)}${']'.repeat(n)}\n`);
      writeFileSync(path.join(dir, 'deep.campaign.json'), `{"category":"marketing","headers":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`);
      writeFileSync(path.join(dir, 'news.html'), '<!DOCTYPE html><html><body><table role="presentation"><tr><td>Spring sale</td></tr></table></body></html>\n');
      const r = run(dir);
      assert.equal(r.status, 0, r.stderr);
      const byFile = new Map(r.report.map((f) => [path.basename(f.filePath), f.messages.map((m) => `${m.ruleId}/${(m as { messageId?: string }).messageId}`)]));
      // Refused before any parser recursed: a finding that says what is wrong, not an internal failure.
      for (const name of ['deep.json', 'deep-ses.json', 'deep.campaign.yaml', 'deep.campaign.json']) assert.deepEqual(byFile.get(name), ['send-config-invalid/tooDeep'], name);
      assert.ok(byFile.get('news.html')?.some((id) => id.startsWith('unsubscribe-link-missing/')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a reader that closes the pipe early ends the CLI quietly', { skip: !existsSync('/bin/sh') }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-pipe-'));
    try {
      for (let i = 0; i < 400; i++) writeFileSync(path.join(dir, `n${i}.html`), '<!DOCTYPE html><html><body><table role="presentation"><tr><td>Sale</td></tr></table></body></html>\n');
      const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${CLI}" "${dir}" --exit-zero | head -1 > /dev/null; echo "status $?"`], { encoding: 'utf8', timeout: 30_000 });
      assert.doesNotMatch(r.stderr, /EPIPE|internal error|Error:/, r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--fix writes', { skip: !existsSync(CLI) || process.platform === 'win32' ? 'needs dist/cli.js and POSIX modes' : false }, () => {
  const PAGE = '<!DOCTYPE html><html lang="en"><head><title>Spring sale</title></head><body><div style="display:none;max-height:0;overflow:hidden;">Spring sale: 20% off until Sunday</div><table role="presentation"><tr><td>\n<!-- deliverlint-disable-next-line merge-tag-unclosed -->\n<p>Spring sale. Harbor Goods, 1 Pier Rd, Portland, OR 97201. <a href="https://harbor.example.com/unsubscribe">Unsubscribe</a></p>\n</td></tr></table></body></html>\n';

  test('fix the files they can, report a read-only file and a link, and never write through the link', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-fixw-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'deliverlint-outside-'));
    try {
      mkdirSync(path.join(dir, 'emails'));
      writeFileSync(path.join(dir, 'emails', 'a.html'), PAGE);
      writeFileSync(path.join(dir, 'emails', 'b.html'), PAGE);
      chmodSync(path.join(dir, 'emails', 'b.html'), 0o444);
      writeFileSync(path.join(outside, 'c.html'), PAGE);
      symlinkSync(path.join(outside, 'c.html'), path.join(dir, 'emails', 'c.html'));
      const r = spawnSync(process.execPath, [CLI, path.join(dir, 'emails', 'a.html'), path.join(dir, 'emails', 'b.html'), path.join(dir, 'emails', 'c.html'), '--fix', '--format', 'json', '--exit-zero'], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 0, r.stderr);
      const report = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; messageId?: string }> }>;
      const ids = (name: string) => report.find((f) => f.filePath.endsWith(name))!.messages.map((m) => m.messageId);
      assert.ok(!readFileSync(path.join(dir, 'emails', 'a.html'), 'utf8').includes('deliverlint-disable'), 'a.html fixed');
      assert.deepEqual(ids('a.html'), []);
      assert.equal(readFileSync(path.join(dir, 'emails', 'b.html'), 'utf8'), PAGE, 'the read-only file is untouched');
      assert.ok(ids('b.html').includes('notWritten'));
      assert.equal(readFileSync(path.join(outside, 'c.html'), 'utf8'), PAGE, 'nothing written through the link');
      assert.ok(ids('c.html').includes('notWritten'));
      assert.deepEqual(readdirSync(path.join(dir, 'emails')).sort(), ['a.html', 'b.html', 'c.html'], 'no temporary file left');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('--fix keeps the byte order mark', { skip: !existsSync(CLI) ? 'needs dist/cli.js' : false }, () => {
  test('a UTF-8 file with a BOM is fixed and keeps its BOM and line endings', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deliverlint-bom-'));
    try {
      const page = '\uFEFF<!DOCTYPE html>\r\n<html><body><table role="presentation"><tr><td>\r\n<!-- deliverlint-disable-next-line merge-tag-unclosed -->\r\n<p>Sale. Harbor Goods, 1 Pier Rd, Portland, OR 97201. <a href="https://harbor.example.com/unsubscribe">Unsubscribe</a></p>\r\n</td></tr></table></body></html>\r\n';
      const file = path.join(dir, 'news.html');
      writeFileSync(file, page);
      const r = spawnSync(process.execPath, [CLI, file, '--fix', '--exit-zero'], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 0, r.stderr);
      const bytes = readFileSync(file);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is still there');
      const text = bytes.toString('utf8');
      assert.ok(!text.includes('deliverlint-disable'), 'the unused directive was removed');
      assert.equal(text, page.replace('<!-- deliverlint-disable-next-line merge-tag-unclosed -->\r\n', ''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
