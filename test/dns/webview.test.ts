// The VS Code report view: hostile record text stays text (escaped, no script but ours), the page
// carries a strict content security policy. (What prefills the inputs: test/dns/inputs.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSelectors } from '../../client/src/domainCheckInput';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainLabels } from '../../client/src/domainCheckLabels';
import { escapeHtml, renderReportHtml, type LabelKey, type Labels } from '../../client/src/domainCheckView';
import { useDnsServer } from './setup';
import { check } from './zones';

const { server } = useDnsServer();

const KEYS: LabelKey[] = ['title', 'copyJson', 'copyRecord', 'summary', 'summaryOne', 'verdicts', 'met', 'notMet', 'unknown', 'spf', 'record', 'none', 'lookup', 'lookups', 'voidLookup', 'voidLookups', 'includeTree', 'dmarc', 'foundAt', 'policy', 'organizationalDomain', 'pslOrganizationalDomain', 'treeWalk', 'dkim', 'selector', 'key', 'status', 'noSelector', 'otherRecords', 'findings', 'noFindings', 'publish', 'lookupFailed', 'stateOk', 'stateInfo', 'stateWarning', 'stateError', 'answered', 'nullMx', 'nodeMissing', 'nodeMultiple', 'nodeLoop', 'nodeNotFollowed', 'nodeSyntaxError', 'nodeMacro'];
// Labels are translated strings: a hostile translation must not break the page either.
const labels = Object.fromEntries(KEYS.map((k) => [k, k === 'title' ? 'Domain <b>{0}</b>' : `${k}`])) as Labels;

test('escapeHtml escapes the five characters that matter', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});

test('hostile TXT records render as text under a strict CSP, and only the nonce\'d script runs', async () => {
  const report = await check('hostile.test', { server: server().address, selectors: ['s1'] });
  // The DNS answer itself carried the hostile text.
  assert.ok(report.spf.tree!.children[0]!.record!.includes('<script>alert(3)</script>'));
  assert.ok(report.dmarc.record!.includes('"><script>alert(4)</script>'));
  const nonce = 'bm9uY2Utdi0xMjM=';
  const html = renderReportHtml(report, { nonce, cspSource: 'vscode-webview://abc', labels });

  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(csp, 'the page has a CSP meta tag');
  assert.match(csp[1]!, /^default-src 'none'; /);
  assert.match(csp[1]!, new RegExp(`script-src 'nonce-${nonce}'`));
  assert.match(csp[1]!, new RegExp(`style-src vscode-webview://abc 'nonce-${nonce}'`));
  assert.doesNotMatch(csp[1]!, /unsafe-inline|unsafe-eval|\*/);

  // Exactly one script and one style element, both carrying the nonce.
  assert.deepEqual([...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]), [`<script nonce="${nonce}">`]);
  assert.deepEqual([...html.matchAll(/<style\b[^>]*>/gi)].map((m) => m[0]), [`<style nonce="${nonce}">`]);
  assert.equal((html.match(/<\/style>/gi) ?? []).length, 1, 'record text cannot close the style element');
  assert.equal((html.match(/<\/script>/gi) ?? []).length, 1);
  assert.doesNotMatch(html, /<img\b/i);
  assert.doesNotMatch(html, /<[^>]+\sonerror=/i);
  // The hostile text is there, escaped.
  assert.ok(html.includes('&lt;script&gt;alert(3)&lt;/script&gt;'));
  assert.ok(html.includes('&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;'));
  assert.ok(html.includes('Domain &lt;b&gt;hostile.test&lt;/b&gt;'));
  // The report's parts are all there.
  for (const part of ['verdicts', 'includeTree', 'foundAt', 'otherRecords', 'findings', 'copyJson']) assert.ok(html.includes(part), part);
});

test('the report view shows the SPF include tree with counts and each finding with the record to publish', async () => {
  const report = await check('eleven.test', { server: server().address, selectors: ['s1'] });
  const html = renderReportHtml(report, { nonce: 'n', cspSource: 'src', labels: { ...labels, lookups: '{0} lookups' } });
  assert.ok(html.includes('include:_esp2.eleven.test</span> <span class="count">4 lookups'));
  assert.ok(html.includes('<pre>v=DMARC1; p=none; rua=mailto:dmarc-reports@eleven.test</pre>'));
  const copyable = report.findings.map((f, i) => (f.fix?.value !== undefined ? i : -1)).filter((i) => i >= 0);
  assert.deepEqual([...html.matchAll(/class="copy-fix" data-index="(\d+)"/g)].map((m) => Number(m[1])), copyable);
});

const english: Labels = { ...labels, lookup: '{0} DNS lookup', lookups: '{0} DNS lookups', summary: 'Checked {0}: {1} DNS queries in {2} ms.', summaryOne: 'Checked {0}: {1} DNS query in {2} ms.', lookupFailed: 'unknown (lookup failed)', stateOk: 'ok', stateWarning: 'warning', stateError: 'error', stateInfo: 'info', none: 'none' };

test('counts of one are singular: "1 DNS lookup", not "1 DNS lookups"', async () => {
  const report = await check('good.test', { server: server().address, selectors: ['s1'] });
  const html = renderReportHtml(report, { nonce: 'n', cspSource: 'src', labels: english });
  assert.ok(html.includes('include:_spf.good.test</span> <span class="count">1 DNS lookup</span>'), 'the include costs one lookup');
  assert.doesNotMatch(html, /\b1 DNS lookups/);
  assert.doesNotMatch(html, /\b1 DNS queries/);
});

test('the overview states come from the findings: a 1024-bit key with a warning is not "ok"', async () => {
  const report = await check('keys.test', { server: server().address, selectors: ['k1024', 'k2048'] });
  const html = renderReportHtml(report, { nonce: 'n', cspSource: 'src', labels: english });
  const row = (sel: string) => new RegExp(`<tr><td><code>${sel}</code>.*?</tr>`).exec(html)?.[0] ?? '';
  assert.match(row('k1024'), /badge-warn">warning</);
  assert.doesNotMatch(row('k1024'), />ok</);
  assert.match(row('k2048'), /badge-ok">ok</);
});

test('with the server unreachable every item whose lookup failed shows "unknown (lookup failed)", never "none"', async () => {
  const report = await check('dead.test', { server: server().address, selectors: ['s1'], timeoutMs: 300, runTimeoutMs: 3000 });
  const html = renderReportHtml(report, { nonce: 'n', cspSource: 'src', labels: english });
  // (The tree walk's list may say "none" for a name that did answer, outside the dead zone.)
  const overview = html.slice(html.indexOf('<h2>spf</h2>'), html.indexOf('<h2>findings</h2>')).replace(/<ul class="plain">.*?<\/ul>/s, '');
  assert.doesNotMatch(overview, />none</, 'nothing reads as "not published"');
  // SPF, DMARC record, Found at, policy, DKIM key, MX, MTA-STS, TLS-RPT, BIMI.
  assert.ok((overview.match(/unknown \(lookup failed\)/g) ?? []).length >= 9, overview);
  for (const part of ['MX', 'MTA-STS', 'TLS-RPT', 'BIMI']) assert.match(overview, new RegExp(`<th>${part}</th>.*?unknown \\(lookup failed\\)`), part);
  assert.match(overview, /<th>foundAt<\/th><td><span class="badge badge-bad">unknown \(lookup failed\)/);
});

test('in Japanese, every label and state of the report is Japanese (the labels come from the l10n bundle)', async () => {
  const bundle = JSON.parse(readFileSync(join(__dirname, '..', '..', 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
  const ja = domainLabels({ t: (message: string) => bundle[message] ?? message });
  const english = domainLabels({ t: (message: string) => message });
  const failed = await check('dead.test', { server: server().address, selectors: ['s1'], timeoutMs: 300, runTimeoutMs: 3000, locale: 'ja' });
  const findings = await check('eleven.test', { server: server().address, selectors: ['k1'], locale: 'ja' });
  for (const report of [failed, findings]) {
    const html = renderReportHtml(report, { nonce: 'n', cspSource: 'src', labels: ja, lang: 'ja' });
    const text = html.slice(html.indexOf('<body>'), html.indexOf('<script')).replace(/<[^>]+>/g, '\n');
    // No English label is left, and no raw status word (nxdomain, missing, not-followed ...).
    for (const [key, value] of Object.entries(english)) {
      if (['spf', 'dmarc', 'dkim', 'otherRecords'].includes(key) || /^\{0\}$/.test(value)) continue;
      const words = value.replace(/\{\d\}/g, '').trim();
      assert.ok(!text.split('\n').some((line) => line.trim() === words), `English label "${value}" (${key}) in the Japanese report`);
    }
    assert.doesNotMatch(text, /^\s*(nxdomain|nodata|ok|missing|loop|not-followed|timeout|servfail)\s*$/m, 'a raw status word');
  }
});

test('the selector input splits on commas and spaces and drops duplicates', () => {
  assert.deepEqual(splitSelectors(' s1, s2 s1,,google '), ['s1', 's2', 'google']);
});
