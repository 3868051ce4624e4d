// Fixes on send configurations change only what they fix. Every fix offered on campaign files
// (YAML block and flow, JSON) and SES / SendGrid payloads, in LF and CRLF, with comments, `0123`,
// `1e3`, folded scalars and a byte order mark, is applied; then:
// - the bytes the edit replaced reappear in its text in order (it only inserts), or are exactly
//   the one scalar a "set" fix replaces;
// - the file still parses as what it was (YAML stays YAML, flow stays flow), with the same line
//   ending throughout and its BOM, and every value it held before is still there, unchanged;
// - linting it again: the fixed finding is gone and no new finding appears.
// Also: wrongly typed values are findings, never rule failures, and a malformed headers
// container gets no fix that would replace it.
// Run: node --import tsx --test test/unit/send-fixes.test.ts

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { parseTree, getNodeValue } from 'jsonc-parser';
import { defaultConfig } from '../../server/src/core/config';
import { applyEdits } from '../../server/src/core/text';
import type { Finding, Fix, Locale, ResolvedConfig } from '../../server/src/core/types';
import { linter } from '../../server/src/linter';

const config: ResolvedConfig = { ...defaultConfig(), consent: { tagPrefix: 'consent_', requireInPayloads: true } };
const NOW = new Date('2026-11-01T00:00:00Z');

const lint = (text: string, filePath: string, locale: Locale = 'en') => linter.lint({ text, filePath, config, locale, now: NOW });
const key = (f: Finding) => `${f.ruleId}/${f.messageId}`;

/** Whether `part` appears in `whole` in order (characters may be inserted between). */
function subsequence(part: string, whole: string): boolean {
  let i = 0;
  for (let j = 0; j < whole.length && i < part.length; j++) if (whole[j] === part[i]) i++;
  return i === part.length;
}

const crlf = (t: string) => t.replace(/\r?\n/g, '\r\n');
const bom = (t: string) => `\uFEFF${t}`;

/** Every value of a parsed document, by path, as JSON text (to compare before and after). */
function leaves(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, `${path}/${k}`, out);
  } else out.set(path, JSON.stringify(value));
  return out;
}

function parsed(text: string, json: boolean): unknown {
  const t = text.replace(/^\uFEFF/, '');
  if (json) {
    const errors: unknown[] = [];
    const root = parseTree(t, errors as never, { allowTrailingComma: true });
    assert.deepEqual(errors, [], 'still JSON');
    return getNodeValue(root!);
  }
  const doc = parseDocument(t);
  assert.deepEqual(doc.errors.map((e) => e.message), [], 'still YAML');
  return doc.toJS();
}

/** Applies `fix` to `text` and checks everything the header of this file promises. */
function checkFix(name: string, text: string, filePath: string, finding: Finding, fix: Fix, json: boolean, setting?: string) {
  const label = `${name}: ${finding.ruleId} "${fix.title}"`;
  assert.equal(fix.edits.length, 1, label);
  const e = fix.edits[0]!;
  const replaced = text.slice(e.start, e.end);
  // A "set" fix replaces one scalar, nothing around it.
  if (setting !== undefined) assert.ok(subsequence(replaced, e.text) || /^(?:"[^"\n]*"|'[^'\n]*'|[^\s,:{}[\]#'"]+)$/.test(replaced), `${label}: replaced ${JSON.stringify(replaced)}`);
  else assert.ok(subsequence(replaced, e.text), `${label}: the edit drops ${JSON.stringify(replaced)} for ${JSON.stringify(e.text)}`);
  const fixed = applyEdits(text, fix.edits).text;
  if (text.startsWith('\uFEFF')) assert.ok(fixed.startsWith('\uFEFF'), `${label}: BOM kept`);
  if (text.includes('\r\n')) assert.equal(fixed.split('\n').length, fixed.split('\r\n').length, `${label}: CRLF throughout`);
  else assert.ok(!fixed.includes('\r'), `${label}: LF throughout`);
  const before = parsed(text, json);
  const after = parsed(fixed, json);
  // An empty value (`consent:`) may become the map the fix fills; nothing else may change.
  const lost = [...leaves(before)].filter(([p, v]) => leaves(after).get(p) !== v && p !== setting && v !== 'null');
  assert.deepEqual(lost, [], `${label}: values changed\n${fixed}`);
  if (!json && !text.replace(/^\uFEFF/, '').trimStart().startsWith('{')) {
    // nothing more: block stays block by construction of the check above
  } else if (!json) {
    assert.equal((parseDocument(fixed.replace(/^\uFEFF/, '')).contents as { flow?: boolean }).flow, true, `${label}: flow stays flow\n${fixed}`);
  }
  const was = lint(text, filePath).findings.map(key);
  const again = lint(fixed, filePath).findings;
  assert.ok(!again.some((f) => key(f) === key(finding) && f.fixes.some((x) => x.title === fix.title)), `${label}: still reported\n${fixed}`);
  // A skeleton with placeholders may leave its own rule asking for the real values, and any
  // placeholder a fix wrote is reported until replaced (core/placeholders.ts).
  // ListManagementOptions for a body without SES's unsubscribe tag brings that combination's own
  // finding (SES's headers but no link in the body): the fix is offered, never applied alone.
  const ensuing = (f: Finding) => f.messageId === 'placeholder' || (!fix.safe && key(f) === 'ses-list-management-mismatch/optionsWithoutToken');
  const fresh = again.filter((f) => !was.includes(key(f)) && !(f.ruleId === finding.ruleId && !fix.safe) && !ensuing(f));
  assert.deepEqual(fresh.map(key), [], `${label}: new findings\n${fixed}`);
  return fixed;
}

function checkAllFixes(name: string, text: string, filePath: string, json: boolean, expectFixes: string[]) {
  const result = lint(text, filePath);
  assert.ok(!result.findings.some((f) => f.messageId === 'internal'), result.findings.map((f) => f.message).join('\n'));
  const offered: string[] = [];
  for (const f of result.findings) {
    for (const fix of f.fixes) {
      offered.push(f.ruleId);
      const setting = f.ruleId === 'from-domain-unaligned' ? (/dkim\.domain/.test(fix.title) ? '/dkim/domain' : '/mailFrom') : undefined;
      checkFix(name, text, filePath, f, fix, json, setting);
    }
  }
  for (const id of expectFixes) assert.ok(offered.includes(id), `${name}: no fix of ${id} offered (${offered.join(', ')})`);
}

// ---- campaign files ------------------------------------------------------------------------

const CAMPAIGN_YAML = `# Winter sale: reviewed by growth and legal
name: >
  Winter sale
  2026 (folded)
category: marketing   # marketing rules apply
esp: sendgrid
from: "Harbor Outfitters <news@harbor.example.com>"
dkim:
  domain: sendgrid.net   # the ESP's own signature
  selector: "0123"
dmarc: {adkim: r, aspf: r}
headers:
  X-Batch: 1e3        # kept as written
  X-Campaign: '0123'
template: ../../_templates/winter-sale.html
jurisdictions: [us, eu]
# the consent block is still to be written
`;

const CAMPAIGN_NO_HEADERS = `category: marketing
esp: ses
from: news@harbor.example.com
configurationSet: marketing-events
mailFrom: bounce.harbor.example.com
consent:
  basis: express   # from the signup form
  source: https://harbor.example.com/signup
notes_total: 0123
`;

const CAMPAIGN_POST_MISSING = `category: marketing
esp: ses
from: news@harbor.example.com
configurationSet: marketing-events
headers:
  List-Unsubscribe: "<https://harbor.example.com/u/one-click>"   # from the ESP's docs
consent:
`;

const FLOW_ONE_LINE = `{category: marketing, esp: ses, from: news@harbor.example.com, configurationSet: marketing-events}\n`;
const FLOW_LINES = `{
  category: marketing,   # a comment JSON cannot hold
  esp: ses,
  from: 'news@harbor.example.com',   # quoted in this file
  configurationSet: marketing-events # the last item
}
`;

const CAMPAIGN_JSON = `{
\t"category": "marketing",
\t"esp": "sendgrid",
\t"from": "Harbor Outfitters <news@harbor.example.com>",
\t"dkim": { "domain": "sendgrid.net", "selector": "s1" },
\t"headers": {
\t\t"X-Batch": "1e3"
\t}
}
`;

describe('campaign fixes edit one place', () => {
  const yamlCases: Array<[string, string, string[]]> = [
    ['block YAML', CAMPAIGN_YAML, ['list-unsubscribe-missing', 'consent-metadata-missing', 'from-domain-unaligned']],
    ['block YAML, no headers', CAMPAIGN_NO_HEADERS, ['list-unsubscribe-missing', 'consent-metadata-missing']],
    ['block YAML, Post missing, empty consent', CAMPAIGN_POST_MISSING, ['list-unsubscribe-one-click-missing', 'consent-metadata-missing']],
    ['flow YAML on one line', FLOW_ONE_LINE, ['list-unsubscribe-missing', 'consent-metadata-missing']],
    ['flow YAML on several lines', FLOW_LINES, ['list-unsubscribe-missing', 'consent-metadata-missing']],
  ];
  for (const [name, text, fixes] of yamlCases) {
    for (const [variant, t] of [['LF', text], ['CRLF', crlf(text)], ['BOM, CRLF', bom(crlf(text))], ['no final line break', text.trimEnd()]] as const) {
      test(`${name} (${variant})`, () => checkAllFixes(`${name} (${variant})`, t, '/repo/campaigns/winter.campaign.yaml', false, fixes));
    }
  }

  test('a flow-style YAML campaign named .campaign.json is edited as YAML', () => {
    checkAllFixes('flow YAML named .json', FLOW_LINES, '/repo/campaigns/winter.campaign.json', false, ['list-unsubscribe-missing']);
  });

  for (const [variant, t] of [['LF', CAMPAIGN_JSON], ['CRLF', crlf(CAMPAIGN_JSON)], ['one line', JSON.stringify(JSON.parse(CAMPAIGN_JSON))]] as const) {
    test(`JSON campaign (${variant})`, () => checkAllFixes(`JSON campaign (${variant})`, t, '/repo/campaigns/winter.campaign.json', true, ['list-unsubscribe-missing', 'consent-metadata-missing', 'from-domain-unaligned']));
  }

  test('the header fix writes into the headers map, in the file\'s style', () => {
    const r = lint(CAMPAIGN_YAML, '/repo/campaigns/winter.campaign.yaml');
    const fix = r.findings.find((f) => f.ruleId === 'list-unsubscribe-missing')!.fixes.find((f) => !f.title.startsWith('Let SES'))!;
    const fixed = applyEdits(CAMPAIGN_YAML, fix.edits).text;
    assert.ok(fixed.includes("  X-Campaign: '0123'\n  List-Unsubscribe: <"), fixed);
    assert.ok(fixed.includes('  X-Batch: 1e3        # kept as written\n'), fixed);
    const flow = lint(FLOW_ONE_LINE, '/repo/campaigns/winter.campaign.yaml').findings.find((f) => f.ruleId === 'list-unsubscribe-missing')!.fixes.find((f) => !f.title.startsWith('Let SES'))!;
    const flowFixed = applyEdits(FLOW_ONE_LINE, flow.edits).text;
    const lines = lint(FLOW_LINES, '/repo/campaigns/winter.campaign.yaml').findings.find((f) => f.ruleId === 'list-unsubscribe-missing')!.fixes.find((f) => !f.title.startsWith('Let SES'))!;
    assert.ok(applyEdits(FLOW_LINES, lines.edits).text.endsWith("  configurationSet: marketing-events, # the last item\n  headers: {List-Unsubscribe: '<https://example.com/unsubscribe>', List-Unsubscribe-Post: List-Unsubscribe=One-Click}\n}\n"), applyEdits(FLOW_LINES, lines.edits).text);
    assert.match(flowFixed, /^\{category: marketing, esp: ses, from: news@harbor\.example\.com, configurationSet: marketing-events, headers: \{List-Unsubscribe: "<[^"]+>", List-Unsubscribe-Post: List-Unsubscribe=One-Click\}\}\n$/);
  });
});

// ---- payloads ------------------------------------------------------------------------------

const HTML = '<!DOCTYPE html><html><body><table role=\\"presentation\\"><tr><td><p>Winter boots are 30% off.</p><p>Harbor Outfitters LLC, 310 Wharf Road, Portland, ME 04101 <a href=\\"https://shop.harbor.example.com/unsubscribe?u={{token}}\\">Unsubscribe</a></p></td></tr></table></body></html>';

const SES = `{
  "FromEmailAddress": "Harbor Outfitters <news@harbor.example.com>",
  "Destination": { "ToAddresses": ["jordan.lee@example.net"] },
  "Content": {
    "Simple": {
      "Subject": { "Data": "Winter boots" },
      "Body": { "Html": { "Data": "${HTML}" } },
      "Headers": [
        { "Name": "X-Batch", "Value": "1e3" } // a comment after the last header
      ]
    }
  },
  "EmailTags": [{ "Name": "consent_basis", "Value": "express" }],
  "ConfigurationSetName": "marketing-events",
  "Priority": 1e3
}
`;

const SES_NO_HEADERS = `{
    "FromEmailAddress": "news@harbor.example.com",
    "Destination": { "ToAddresses": ["jordan.lee@example.net"] },
    "Content": { "Simple": { "Subject": { "Data": "Winter" }, "Body": { "Html": { "Data": "${HTML}" } } } },
    "ConfigurationSetName": "marketing-events",
    "Ratio": 0.10
}
`;

const SENDGRID = `{
  "personalizations": [{ "to": [{ "email": "jordan.lee@example.net" }] }],
  "from": { "email": "news@harbor.example.com" },
  "subject": "Winter boots",
  "content": [{ "type": "text/html", "value": "${HTML}" }],
  "headers": { "List-Unsubscribe": "<https://harbor.example.com/u/one-click>" },
  "custom_args": { "consent_basis": "express", "batch": "1e3" }, /* kept */
  "send_at": 1.7e9
}
`;

describe('payload fixes edit one place', () => {
  const cases: Array<[string, string, string[]]> = [
    ['SES with a comment', SES, ['list-unsubscribe-missing', 'consent-metadata-missing']],
    ['SES without Headers', SES_NO_HEADERS, ['list-unsubscribe-missing', 'consent-metadata-missing']],
    ['SendGrid', SENDGRID, ['list-unsubscribe-one-click-missing', 'consent-metadata-missing']],
  ];
  for (const [name, text, fixes] of cases) {
    const oneLine = JSON.stringify(JSON.parse(text.replace(/ \/\/[^\n]*| \/\*[^*]*\*\//g, '')));
    for (const [variant, t] of [['LF', text], ['CRLF', crlf(text)], ['BOM', bom(text)], ['tabs', text.replace(/^( +)/gm, (m) => '\t'.repeat(m.length / 2))], ['one line', oneLine]] as const) {
      test(`${name} (${variant})`, () => checkAllFixes(`${name} (${variant})`, t, '/repo/payloads/send.json', true, fixes));
    }
  }

  test('a header that is there is not written again', () => {
    for (const [name, text, path] of [
      ['SES', SES.replace('{ "Name": "X-Batch", "Value": "1e3" }', '{ "Name": "list-unsubscribe-post", "Value": "List-Unsubscribe=One-Click" }'), '/repo/payloads/send.json'],
      ['campaign', CAMPAIGN_YAML.replace('  X-Batch: 1e3        # kept as written', '  List-Unsubscribe-Post: List-Unsubscribe=One-Click'), '/repo/campaigns/winter.campaign.yaml'],
    ] as const) {
      const fix = lint(text, path).findings.find((f) => f.ruleId === 'list-unsubscribe-missing')!.fixes.find((f) => !f.title.startsWith('Let SES'))!;
      const fixed = applyEdits(text, fix.edits).text;
      assert.equal(fixed.match(/list-unsubscribe-post/gi)?.length, 1, `${name}:\n${fixed}`);
      assert.equal(fixed.match(/List-Unsubscribe(?=["':])/g)?.length, 1, `${name}:\n${fixed}`);
    }
  });

  test('a compact payload stays compact', () => {
    const compact = JSON.stringify(JSON.parse(SES_NO_HEADERS));
    const fix = lint(compact, '/repo/payloads/send.json').findings.find((f) => f.ruleId === 'list-unsubscribe-missing')!.fixes.find((f) => !f.title.startsWith('Let SES'))!;
    const fixed = applyEdits(compact, fix.edits).text;
    assert.ok(!fixed.includes('\n'), fixed);
    assert.ok(fixed.includes('"Headers":[{"Name":"List-Unsubscribe","Value":"<'), fixed);
  });
});

// ---- wrong types and malformed containers ---------------------------------------------------

describe('wrongly typed values are findings, never rule failures', () => {
  const base = 'category: marketing\nesp: ses\nconfigurationSet: marketing-events\n';
  const cases: Array<[string, string, string, string]> = [
    ['headers: 7\nfrom: news@harbor.example.com\n', 'headers', 'map', 'number'],
    ['headers: [a, b]\nfrom: news@harbor.example.com\n', 'headers', 'map', 'list'],
    ['from: {x: 1}\n', 'from', 'text', 'map'],
    ['shared: &a [1, 2]\nheaders: *a\nfrom: news@harbor.example.com\n', 'headers', 'map', 'list'],
    ['template: 12\nfrom: news@harbor.example.com\n', 'template', 'text', 'number'],
    ['consent: [basis]\nfrom: news@harbor.example.com\n', 'consent', 'map', 'list'],
    ['dkim: 5\nfrom: news@harbor.example.com\n', 'dkim', 'map', 'number'],
    ['dkim: {domain: harbor.example.com, selector: 0123}\nfrom: news@harbor.example.com\n', 'dkim.selector', 'text', 'number'],
    ['listManagement: yes\nfrom: news@harbor.example.com\n', 'listManagement', 'boolean', 'text'],
  ];
  for (const [extra, k, expected, actual] of cases) {
    test(`${extra.split('\n')[0]!.includes('*a') ? 'an alias to a list as headers' : extra.split('\n')[0]}`, () => {
      const text = base + extra;
      for (const locale of ['en', 'ja'] as const) {
        const r = lint(text, '/repo/c.campaign.yaml', locale);
        assert.deepEqual(r.findings.filter((f) => f.messageId === 'internal').map((f) => f.message), []);
        const wrong = r.findings.find((f) => f.ruleId === 'send-config-invalid' && f.messageId === 'wrongType');
        assert.ok(wrong, r.findings.map(key).join());
        assert.deepEqual([wrong.data?.['key'], wrong.severity], [k, 'error']);
        assert.ok(wrong.message.includes(`"${k}"`) || wrong.message.includes(`「${k}」`), wrong.message);
        const words = { en: { map: 'a map', list: 'a list', text: 'text', number: 'a number', boolean: 'true or false' }, ja: { map: 'マップ', list: 'リスト', text: '文字列', number: '数値', boolean: 'true か false' } }[locale] as Record<string, string>;
        assert.ok(wrong.message.includes(words[expected]!) && wrong.message.includes(words[actual]!), wrong.message);
        if (locale === 'ja') assert.match(wrong.message, /[ぁ-んァ-ン]/);
        // Whatever else is offered leaves the user's text in place.
        for (const f of r.findings) for (const fix of f.fixes) for (const e of fix.edits) assert.ok(subsequence(text.slice(e.start, e.end), e.text) || !fix.safe, `${f.ruleId}: ${JSON.stringify(e)}`);
      }
    });
  }

  test('a JSON campaign with headers of the wrong type', () => {
    const text = '{"category": "marketing", "from": "news@harbor.example.com", "headers": ["List-Unsubscribe: <https://x.example/u>"]}';
    const r = lint(text, '/repo/c.campaign.json');
    assert.ok(r.findings.some((f) => f.messageId === 'wrongType' && f.data?.['key'] === 'headers'), r.findings.map(key).join());
    assert.deepEqual(r.findings.find((f) => f.ruleId === 'list-unsubscribe-missing')?.fixes, []);
  });
});

describe('a headers container of the wrong shape gets no fix that replaces it', () => {
  test('SES Headers written as an object', () => {
    const text = SES_NO_HEADERS.replace('"Body":', '"Headers": { "X-Batch": "1e3", "X-Team": "growth" }, "Body":');
    const r = lint(text, '/repo/payloads/send.json');
    const wrong = r.findings.find((f) => f.messageId === 'wrongType');
    assert.equal(wrong?.data?.['key'], 'Content.Simple.Headers');
    assert.equal(text.slice(wrong!.start, wrong!.start + 1), '{');
    // No fix writes into the headers; the one offered adds ListManagementOptions beside them, so
    // SES writes the header itself.
    const headersAt = text.indexOf('"Headers"');
    const headersEnd = text.indexOf('}', headersAt) + 1;
    const fixes = r.findings.find((f) => f.ruleId === 'list-unsubscribe-missing')?.fixes ?? [];
    assert.deepEqual(fixes.map((f) => f.title), ['Let SES add List-Unsubscribe: add ListManagementOptions (fill in your contact list and topic)']);
    assert.ok(fixes.every((f) => f.edits.every((e) => e.end <= headersAt || e.start >= headersEnd)), 'no edit inside the headers');
    const fixed = linter.fixText({ text, filePath: '/repo/payloads/send.json', config, now: NOW }).text;
    assert.ok(fixed.includes('"Headers": { "X-Batch": "1e3", "X-Team": "growth" }'), fixed);
  });

  test('SendGrid headers written as an array', () => {
    const text = SENDGRID.replace('"headers": { "List-Unsubscribe": "<https://harbor.example.com/u/one-click>" }', '"headers": [{ "X-Team": "growth" }]');
    const r = lint(text, '/repo/payloads/send.json');
    assert.equal(r.findings.find((f) => f.messageId === 'wrongType')?.data?.['key'], 'headers');
    assert.deepEqual(r.findings.find((f) => f.ruleId === 'list-unsubscribe-missing')?.fixes, []);
    const fixed = linter.fixText({ text, filePath: '/repo/payloads/send.json', config, now: NOW }).text;
    assert.ok(fixed.includes('"headers": [{ "X-Team": "growth" }]'), fixed);
  });

  test('SES EmailTags written as an object, SendGrid custom_args as an array', () => {
    const ses = SES_NO_HEADERS.replace('"ConfigurationSetName"', '"EmailTags": { "consent_basis": "express" },\n    "ConfigurationSetName"');
    const r1 = lint(ses, '/repo/payloads/send.json');
    assert.equal(r1.findings.find((f) => f.messageId === 'wrongType')?.data?.['key'], 'EmailTags');
    assert.deepEqual(r1.findings.find((f) => f.ruleId === 'consent-metadata-missing')?.fixes, []);
    const sg = SENDGRID.replace('"custom_args": { "consent_basis": "express", "batch": "1e3" }', '"custom_args": ["consent_basis"]');
    const r2 = lint(sg, '/repo/payloads/send.json');
    assert.ok(r2.findings.some((f) => f.messageId === 'wrongType' && f.data?.['key'] === 'custom_args'), r2.findings.map(key).join());
    assert.ok(!r2.findings.some((f) => f.messageId === 'internal'));
    assert.deepEqual(r2.findings.find((f) => f.ruleId === 'consent-metadata-missing')?.fixes, []);
  });
});

// ---- generated campaigns -------------------------------------------------------------------

describe('generated campaigns', () => {
  test('values of every type, block and flow, LF and CRLF: no rule fails, every fix leaves valid YAML', () => {
    let state = 7;
    const rand = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
    const scalars = ['news@harbor.example.com', '"Harbor <news@harbor.example.com>"', "'x'", '12', '0123', '1e3', 'yes', 'true', '~', '', '[a, b]', '{a: 1}', '>\n  folded\n  text', '|\n  lit', '*anc'];
    const maps = ['\n  List-Unsubscribe: <https://harbor.example.com/u>', '\n  basis: express\n  source: web', '\n  domain: sendgrid.net', '{}', '{X: 1, Y: "2"}', '\n  - a\n  - b', '7', '*anc', ''];
    const keys = ['name', 'esp', 'from', 'mailFrom', 'dkim', 'headers', 'template', 'consent', 'jurisdictions', 'configurationSet', 'listManagement', 'sendAt', 'extra'];
    const withUrl: ResolvedConfig = { ...config, sender: { unsubscribeUrl: 'https://harbor.example.com/u' } };
    let checked = 0;
    for (let i = 0; i < 150; i++) {
      const lines = ['anchor: &anc [1, 2]', 'category: marketing'];
      const used = new Set<string>();
      for (let k = 0; k < 6; k++) {
        const name = pick(keys);
        if (used.has(name)) continue;
        used.add(name);
        const v = ['dkim', 'headers', 'consent'].includes(name) ? pick(maps) : name === 'esp' ? pick(['ses', 'sendgrid', '12']) : pick(scalars);
        lines.push(`${name}:${v.startsWith('\n') || !v ? '' : ' '}${v}${rand() < 0.3 ? '  # note' : ''}`);
      }
      const flow = rand() < 0.3;
      let text = flow ? `{${lines.filter((l) => !/\n|#|: [>|]/.test(l)).join(',\n ')}}\n` : `${lines.join('\n')}${rand() < 0.8 ? '\n' : ''}`;
      if (rand() < 0.3) text = crlf(text);
      const r = linter.lint({ text, filePath: '/repo/g.campaign.yaml', config: withUrl, now: NOW });
      assert.deepEqual(r.findings.filter((f) => f.messageId === 'internal').map((f) => f.message), [], text);
      for (const f of r.findings) {
        for (const fix of f.fixes) {
          checked++;
          const e = fix.edits[0]!;
          const fixed = applyEdits(text, fix.edits).text;
          assert.deepEqual(parseDocument(fixed).errors.map((x) => x.message), [], `${f.ruleId}\n${text}\n=>\n${fixed}`);
          assert.ok(subsequence(text.slice(e.start, e.end), e.text) || f.ruleId === 'from-domain-unaligned', `${f.ruleId}: ${JSON.stringify(e)}`);
          if (text.includes('\r\n')) assert.equal(fixed.split('\n').length, fixed.split('\r\n').length, JSON.stringify(fixed));
          if (flow) assert.equal((parseDocument(fixed).contents as { flow?: boolean }).flow, true, fixed);
        }
      }
    }
    assert.ok(checked > 100, `${checked} fixes checked`);
  });
});

describe('generated payloads', () => {
  test('SES and SendGrid shapes of every type, pretty, compact and CRLF: no rule fails, every fix leaves valid JSON', () => {
    let state = 11;
    const rand = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
    const anything = ['1e3', '"x"', 'null', 'true', '[]', '{}', '[1, "a"]', '{"Name": "X-A", "Value": "1"}', '[{"Name": "X-A", "Value": "1"}]', '{"X-A": "1"}', '[{"X-A": "1"}]'];
    const withUrl: ResolvedConfig = { ...config, sender: { unsubscribeUrl: 'https://harbor.example.com/u' } };
    let checked = 0;
    for (let i = 0; i < 120; i++) {
      const ses = rand() < 0.5;
      const body = `"${HTML}"`;
      const text0 = ses
        ? `{"FromEmailAddress": "news@harbor.example.com", "Destination": {"ToAddresses": ["a@example.net"]}, "Content": {"Simple": {"Subject": {"Data": "S"}, "Body": {"Html": {"Data": ${body}}}${rand() < 0.7 ? `, "Headers": ${pick(anything)}` : ''}}}${rand() < 0.7 ? `, "EmailTags": ${pick(anything)}` : ''}, "ConfigurationSetName": "m"}`
        : `{"personalizations": [{"to": [{"email": "a@example.net"}]${rand() < 0.3 ? `, "headers": ${pick(anything)}` : ''}}], "from": {"email": "news@harbor.example.com"}, "content": [{"type": "text/html", "value": ${body}}]${rand() < 0.7 ? `, "headers": ${pick(anything)}` : ''}${rand() < 0.7 ? `, "custom_args": ${pick(anything)}` : ''}}`;
      const pretty = rand() < 0.5 ? JSON.stringify(JSON.parse(text0), null, rand() < 0.5 ? 2 : '\t') : text0;
      const text = rand() < 0.3 ? crlf(pretty) : pretty;
      const r = linter.lint({ text, filePath: '/repo/p.json', config: withUrl, now: NOW });
      assert.deepEqual(r.findings.filter((f) => f.messageId === 'internal').map((f) => f.message), [], text);
      for (const f of r.findings) {
        for (const fix of f.fixes) {
          checked++;
          const e = fix.edits[0]!;
          const fixed = applyEdits(text, fix.edits).text;
          assert.doesNotThrow(() => JSON.parse(fixed), `${f.ruleId}\n${text}\n=>\n${fixed}`);
          assert.ok(subsequence(text.slice(e.start, e.end), e.text), `${f.ruleId}: ${JSON.stringify(e)}`);
          if (text.includes('\r\n')) assert.equal(fixed.split('\n').length, fixed.split('\r\n').length, JSON.stringify(fixed));
          const before = leaves(JSON.parse(text));
          const after = leaves(JSON.parse(fixed));
          assert.deepEqual([...before].filter(([p, v]) => after.get(p) !== v && v !== 'null'), [], `${f.ruleId}\n${fixed}`);
        }
      }
    }
    assert.ok(checked > 60, `${checked} fixes checked`);
  });
});

test('a null headers or tags value reads as absent: no finding about it, and no fix writes into it', () => {
  const text = SES_NO_HEADERS.replace('"Body":', '"Headers": null, "Body":').replace('"ConfigurationSetName"', '"EmailTags": null,\n    "ConfigurationSetName"');
  const r = lint(text, '/repo/payloads/send.json');
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'send-config-invalid').map(key), []);
  for (const f of r.findings) for (const fix of f.fixes) assert.ok(subsequence(text.slice(fix.edits[0]!.start, fix.edits[0]!.end), fix.edits[0]!.text), f.ruleId);
});
