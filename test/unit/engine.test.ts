// The engine's own behaviour: classification order, directives, configuration layering,
// every ESP's quick-fix token, clipping, includes, and input that must never crash it.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { describe, test } from 'node:test';
import { describeJudgement } from '../../server/src/core/classify';
import { defaultConfig, findConfigFile, matchingGlob, mergeConfig, parseConfigText } from '../../server/src/core/config';
import { detectKind } from '../../server/src/core/input';
import { ESPS, type LintRequest, type ResolvedConfig } from '../../server/src/core/types';
import { applyEdits } from '../../server/src/core/text';
import { nodeReader } from '../../server/src/host/files';
import { linter } from '../../server/src/linter';
import { suppressionEdit } from '../../server/src/core/suppress';

const { lint, fixText } = linter;

function newsletter(footer: string, opts: { head?: string; beforeBody?: string; lang?: string } = {}): string {
  return `<!DOCTYPE html>
<html lang="${opts.lang ?? 'en'}">
<head>
  <meta charset="utf-8">
  <title>Spring offers from Harbor Outfitters</title>${opts.head ?? ''}
</head>
${opts.beforeBody ?? ''}<body style="margin:0;padding:0;background:#f3f3f3;">
  <div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">Rain shells and trail shoes, 25% off this week</div>
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
    <tr>
      <td align="center" style="padding:24px;">
        <!--[if mso]><table role="presentation" width="600"><tr><td><![endif]-->
        <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff;">
          <tr>
            <td style="padding:32px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:24px;color:#333333;">
              Hi {{ first_name }}, rain shells and trail shoes are 25% off this week.
              <a href="https://harbor.example.com/spring" style="color:#0b57d0;">Shop spring</a>
            </td>
          </tr>
          <tr>
            <td style="padding:16px 32px;font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#888888;">
              ${footer}
            </td>
          </tr>
        </table>
        <!--[if mso]></td></tr></table><![endif]-->
      </td>
    </tr>
  </table>
</body>
</html>
`;
}

const ADDRESS = 'Harbor Outfitters LLC, 310 Wharf Road, Portland, ME 04101';
const UNSUB = '<a href="https://harbor.example.com/unsubscribe?t={{ token }}">Unsubscribe</a>';

function run(text: string, config: Partial<ResolvedConfig> = {}, extra: Partial<LintRequest> = {}) {
  return lint({ text, filePath: extra.filePath ?? '/project/emails/spring.html', config: { ...defaultConfig(), root: '/project', ...config }, ...extra });
}
const ids = (r: ReturnType<typeof run>) => r.findings.map((f) => f.ruleId);

describe('classification', () => {
  const bare = newsletter('Harbor Outfitters');

  test('default is marketing, and the finding says so', () => {
    const r = run(bare);
    assert.equal(r.category.signal, 'default');
    const f = r.findings.find((x) => x.ruleId === 'unsubscribe-link-missing');
    assert.ok(f);
    assert.equal(f.severity, 'error');
    assert.equal(f.messageId, 'missing');
    // The finding carries this run's classification, the sentence its message shows: why the file
    // was judged an email, then why it is marketing.
    assert.deepEqual(f.data, { category: describeJudgement(r.category, r.composition!.role, 'en') });
    assert.equal(
      f.message.slice(f.message.indexOf('Judged')),
      'Judged an email because it has layout tables, Outlook (MSO) conditional comments, a place in a mail folder. Classified as marketing by default; mark transactional mail with <!-- deliverlint-category transactional --> or the "transactional" globs.',
    );
  });

  test('content heuristic marks a password reset transactional; no unsubscribe or address findings', () => {
    const text = bare.replace('Spring offers from Harbor Outfitters', 'Reset your password').replace('rain shells and trail shoes are 25% off this week.', 'use the link below to reset your password.');
    const r = run(text);
    assert.equal(r.category.category, 'transactional');
    assert.equal(r.category.signal, 'heuristic');
    assert.deepEqual(ids(r), []);
  });

  test('Japanese transactional wording is recognised (パスワード再設定, 領収書)', () => {
    for (const phrase of ['パスワード再設定のご案内', '領収書を発行しました']) {
      const r = run(newsletter('株式会社ハーバー', { lang: 'ja' }).replace('Spring offers from Harbor Outfitters', phrase));
      assert.equal(r.category.category, 'transactional', phrase);
    }
  });

  test('config glob beats the heuristic, and a directive beats the glob', () => {
    const reset = bare.replace('Spring offers from Harbor Outfitters', 'Reset your password');
    const byGlob = run(reset, { marketing: ['emails/**'] });
    assert.equal(byGlob.category.signal, 'config');
    assert.equal(byGlob.category.category, 'marketing');
    assert.ok(ids(byGlob).includes('unsubscribe-link-missing'));
    assert.equal(byGlob.category.detail, 'emails/**', 'the glob that decided');
    assert.deepEqual(byGlob.findings.find((f) => f.ruleId === 'unsubscribe-link-missing')!.data, { category: describeJudgement(byGlob.category, byGlob.composition!.role, 'en') });

    const byDirective = run(bare.replace('<body', '<!-- deliverlint-category transactional -->\n<body'), { marketing: ['emails/**'] });
    assert.equal(byDirective.category.signal, 'directive');
    assert.equal(byDirective.category.category, 'transactional');
    assert.deepEqual(ids(byDirective), []);
  });

  test('a send config pointing at the template classifies it when no glob or directive does', () => {
    const r = run(bare, {}, { categoryHint: { category: 'transactional', detail: 'campaigns/receipt.campaign.yaml' } });
    assert.equal(r.category.signal, 'send-config');
    assert.deepEqual(ids(r), []);
  });
});

describe('directives', () => {
  test('disable-next-line covers only the next line and the named rule', () => {
    const text = newsletter(ADDRESS, { beforeBody: '<!-- deliverlint-disable-next-line unsubscribe-link-missing -- footer comes from the ESP -->\n' });
    assert.deepEqual(ids(run(text)), []);
    const wrongRule = newsletter(ADDRESS, { beforeBody: '<!-- deliverlint-disable-next-line postal-address-missing -->\n' });
    assert.deepEqual(ids(run(wrongRule)).sort(), ['unsubscribe-link-missing', 'unused-directive']);
  });

  test('disable / enable ranges and disable-file', () => {
    const body = newsletter(`${ADDRESS} ${UNSUB}`).replace('Hi {{ first_name }},', 'Hi {{ first_name,');
    assert.deepEqual(ids(run(body)), ['merge-tag-unclosed']);
    const ranged = body.replace('<table role="presentation" width="100%"', '<!-- deliverlint-disable merge-tag-unclosed -->\n<table role="presentation" width="100%"');
    assert.deepEqual(ids(run(ranged)), []);
    const reenabled = body.replace('<table role="presentation" width="100%"', '<!-- deliverlint-disable merge-tag-unclosed --><!-- deliverlint-enable merge-tag-unclosed -->\n<table role="presentation" width="100%"');
    assert.deepEqual(ids(run(reenabled)).sort(), ['merge-tag-unclosed', 'unused-directive']);
    const file = body.replace('<html lang="en">', '<html lang="en">\n<!-- deliverlint-disable-file merge-tag-unclosed -->');
    assert.deepEqual(ids(run(file)), []);
  });

  test('an unused directive is a hint with a fix that removes it', () => {
    const text = newsletter(`${ADDRESS} ${UNSUB}`, { beforeBody: '<!-- deliverlint-disable-file unsubscribe-link-missing -->\n' });
    const r = run(text);
    assert.deepEqual(ids(r), ['unused-directive']);
    assert.equal(r.findings[0]!.severity, 'hint');
    const fixed = applyEdits(text, r.findings[0]!.fixes[0]!.edits).text;
    assert.equal(fixed, newsletter(`${ADDRESS} ${UNSUB}`));
  });
});

describe('configuration', () => {
  test('rc-file syntax errors carry offsets and leave the defaults in force', () => {
    const text = '{\n  "rules": { "unsubscribe-link-missing": "warning", }\n  "esp": "ses"\n}';
    const parsed = parseConfigText(text);
    assert.ok(parsed.problems.length > 0);
    assert.equal(text.slice(parsed.problems[0]!.start, parsed.problems[0]!.start + 5), '"esp"');
    assert.deepEqual(parsed.layer, {});
  });

  test('wrong values are reported on the value and dropped, comments are allowed', () => {
    const text = '{\n  // our ESP\n  "esp": "sparkpost",\n  "rules": { "postal-address-missing": "loud", "unsubscribe-link-missing": "warning" },\n  "colour": 1\n}';
    const parsed = parseConfigText(text);
    const at = parsed.problems.map((p) => text.slice(p.start, p.end));
    assert.deepEqual(at, ['"sparkpost"', '"loud"', '"colour"']);
    assert.deepEqual(parsed.layer.rules, { 'unsubscribe-link-missing': 'warning' });
    assert.equal(parsed.layer.esp, undefined);
  });

  test('layers: defaults, then the rc file, then editor settings', () => {
    const rc = parseConfigText('{ "esp": "ses", "jurisdictions": ["us", "jp"], "sender": { "name": "Harbor" } }').layer;
    const merged = mergeConfig(mergeConfig(defaultConfig(), rc), { esp: 'mailchimp', sender: { name: '', contact: 'help@harbor.example.com' } });
    assert.equal(merged.esp, 'mailchimp');
    assert.deepEqual(merged.jurisdictions, ['us', 'jp']);
    assert.deepEqual(merged.sender, { name: 'Harbor', contact: 'help@harbor.example.com' });
  });

  test('severity overrides and off', () => {
    const text = newsletter(ADDRESS);
    assert.equal(run(text, { rules: { 'unsubscribe-link-missing': 'info' } }).findings[0]!.severity, 'info');
    assert.deepEqual(ids(run(text, { rules: { 'unsubscribe-link-missing': 'off' } })), []);
  });
});

describe('quick fix tokens', () => {
  for (const esp of ESPS) {
    test(`the footer fix for esp "${esp}" inserts a token the rule then recognises`, () => {
      const text = newsletter(ADDRESS);
      const config = { esp };
      const r = run(text, config);
      const fix = r.findings.find((f) => f.ruleId === 'unsubscribe-link-missing')!.fixes[0]!;
      assert.equal(fix.safe, esp !== 'none', 'only a configured ESP or URL makes the fix safe');
      const fixed = applyEdits(text, fix.edits).text;
      // Without an ESP the link is the placeholder, which is reported until a person replaces it.
      assert.deepEqual(ids(run(fixed, config)), esp === 'none' ? ['unsubscribe-link-unusable'] : []);
      // Into the footer cell that holds the address, on a line of its own indented like the cell's text.
      assert.match(fixed, /\n {14}<br><a href="[^"]+">Unsubscribe<\/a>\n {12}<\/td>/);
    });
  }

  test('fixText applies safe fixes until none are left and is idempotent', () => {
    const text = newsletter('Harbor Outfitters');
    const config: ResolvedConfig = { ...defaultConfig(), esp: 'sendgrid', sender: { postalAddress: ADDRESS } };
    const once = fixText({ text, config });
    assert.deepEqual(once.result.findings.map((f) => f.ruleId), []);
    assert.equal(fixText({ text: once.text, config }).text, once.text);
  });

  test('CRLF files get CRLF in the inserted footer', () => {
    const text = newsletter(ADDRESS).replace(/\n/g, '\r\n');
    const fix = run(text, { esp: 'ses' }).findings[0]!.fixes[0]!;
    const fixed = applyEdits(text, fix.edits).text;
    assert.ok(!/[^\r]\n/.test(fixed), 'no bare LF after the fix');
  });
});

describe('unusable links', () => {
  test('a link past Gmail\'s 102 KB clipping point is reported; the same link early is not', () => {
    const filler = Array.from({ length: 900 }, (_, i) => `<tr><td style="padding:8px;font-family:Arial;font-size:14px;">Item ${i}: {{ items[${i}].title }} – {{ items[${i}].price }}</td></tr>`).join('\n');
    const late = newsletter(`${ADDRESS} ${UNSUB}`).replace('<tr>\n            <td style="padding:16px 32px', `${filler}\n<tr>\n            <td style="padding:16px 32px`);
    assert.ok(Buffer.byteLength(late) > 110 * 1024);
    const r = run(late);
    // The message past the clip (gmail-clip-size, where Gmail cuts), and the link after that point.
    assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.messageId}:${f.severity}`), ['gmail-clip-size:clipped:warning', 'unsubscribe-link-unusable:clipped:warning']);
    const link = r.findings.find((f) => f.ruleId === 'unsubscribe-link-unusable')!;
    assert.equal(late.slice(link.start, link.start + 2), '<a');
    const early = newsletter(`${ADDRESS} ${UNSUB}`).replace('<table role="presentation" width="100%"', `<p>${UNSUB}</p><table role="presentation" width="100%"`).replace(UNSUB + '\n', '\n');
    assert.deepEqual(ids(run(early.replace('<tr>\n            <td style="padding:16px 32px', `${filler}\n<tr>\n            <td style="padding:16px 32px`))), ['gmail-clip-size']);
  });

  test('Japanese text: clipping counts UTF-8 bytes, not characters', () => {
    // About 40,000 characters but 120 KB: three bytes a character.
    const filler = Array.from({ length: 1000 }, (_, i) => `<p>商品${i % 10}のご案内です。今週のおすすめ商品と季節のセール情報をお届けします。</p>`).join('\n');
    const late = newsletter(`${ADDRESS} ${UNSUB}`, { lang: 'ja' }).replace('<tr>\n            <td style="padding:16px 32px', `<tr><td>${filler}</td></tr>\n<tr>\n            <td style="padding:16px 32px`);
    assert.ok(late.length < 102 * 1024 && Buffer.byteLength(late) > 110 * 1024, `${late.length} characters, ${Buffer.byteLength(late)} bytes`);
    assert.deepEqual(run(late, { jurisdictions: ['us'], jurisdictionsSet: true }).findings.map((f) => `${f.ruleId}:${f.messageId}`), ['gmail-clip-size:clipped', 'unsubscribe-link-unusable:clipped']);
  });

  test('hidden by an ancestor several levels up', () => {
    const text = newsletter(`${ADDRESS} <table style="display:none"><tr><td><span>${UNSUB}</span></td></tr></table>`);
    const r = run(text);
    assert.deepEqual(r.findings.map((f) => [f.messageId, f.data]), [['hidden', { declaration: 'display:none', on: 'table' }]]);
  });
});

describe('MJML includes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deliverlint-mjml-'));
  const main = `<mjml lang="en">
  <mj-head>
    <mj-title>News from the harbor</mj-title>
    <mj-preview>This week's arrivals</mj-preview>
  </mj-head>
  <mj-body>
    <mj-section><mj-column><mj-text>Hello {{ name }}</mj-text></mj-column></mj-section>
    <mj-include path="./parts/footer" />
  </mj-body>
</mjml>
`;
  writeFileSync(join(dir, 'main.mjml'), main);

  test('an unsubscribe link in an included footer counts', () => {
    mkdirSync(join(dir, 'parts'), { recursive: true });
    writeFileSync(join(dir, 'parts', 'footer.mjml'), `<mj-section><mj-column><mj-text>${ADDRESS}<br>${UNSUB}</mj-text></mj-column></mj-section>`);
    const r = lint({ text: main, filePath: join(dir, 'main.mjml'), config: defaultConfig(), reader: nodeReader });
    assert.deepEqual(ids(r), []);
  });

  test('an include that cannot be followed leaves the footer unverified, never missing', () => {
    const unverified = (r: ReturnType<typeof lint>, reason: string) => {
      assert.deepEqual(
        r.findings.map((f) => [f.ruleId, f.messageId, f.severity, f.data?.['name']]),
        [['unsubscribe-link-missing', 'unverifiable', 'info', './parts/footer'.replace('footer', reason === 'missing' ? 'nope' : 'footer')]],
      );
      assert.equal(r.findings[0]!.data?.['reason'], { missing: 'no such file', unread: 'the template was linted without its folder' }[reason]);
    };
    // No reader: nothing can be followed.
    unverified(lint({ text: main, filePath: join(dir, 'main.mjml'), config: defaultConfig() }), 'unread');
    // A missing file: said so, at the include.
    const missing = main.replace('./parts/footer', './parts/nope');
    const r = lint({ text: missing, filePath: join(dir, 'main.mjml'), config: defaultConfig(), reader: nodeReader });
    unverified(r, 'missing');
    assert.equal(missing.slice(r.findings[0]!.start, r.findings[0]!.start + 12), '<mj-include ');
  });

  test('include cycles end', () => {
    const cyc = mkdtempSync(join(tmpdir(), 'deliverlint-cycle-'));
    writeFileSync(join(cyc, 'a.mjml'), '<mj-include path="./b.mjml" />');
    writeFileSync(join(cyc, 'b.mjml'), '<mj-include path="./a.mjml" />');
    const text = `<mjml><mj-body><mj-include path="./a.mjml" /></mj-body></mjml>`;
    const r = lint({ text, filePath: join(cyc, 'main.mjml'), config: defaultConfig(), reader: nodeReader });
    assert.ok(ids(r).includes('unsubscribe-link-missing'));
  });
});

describe('kinds and bad input', () => {
  test('the kind comes from the name, else the content', () => {
    assert.equal(detectKind('a.mjml', ''), 'mjml');
    assert.equal(detectKind('a.njk', ''), 'html');
    assert.equal(detectKind('template.txt', '<!-- header -->\n<mjml><mj-body></mj-body></mjml>'), 'mjml');
    assert.equal(detectKind('template', '<!doctype html><html>'), 'html');
    assert.equal(detectKind('notes.txt', 'just words'), undefined);
  });

  const cases: Array<[string, string]> = [
    ['empty file', ''],
    ['whitespace only', '\n\n   \n'],
    ['unclosed comment', newsletter(`${ADDRESS} ${UNSUB}`).replace('<table role="presentation" width="100%"', '<!-- draft: remove before send\n<table role="presentation" width="100%"')],
    ['unclosed tags', '<html><body><table><tr><td><a href="https://x.example.com/unsubscribe">Unsubscribe'],
    ['half-typed merge tag at the end', newsletter(`${ADDRESS} ${UNSUB}`) + '{{ first_'],
    ['10,000 nested elements', `<html><body>${'<div>'.repeat(10_000)}text${'</div>'.repeat(10_000)}</body></html>`],
    ['10,000 unclosed nested elements', `<html><body>${'<table><tr><td>'.repeat(10_000)}`],
    ['attribute without end', '<html><body><a href="https://x.example.com/unsubscribe'],
    ['lone surrogates and control characters', `<html><body>\uD800 \u0007 ${UNSUB}</body></html>`],
  ];
  for (const [name, text] of cases) {
    test(`${name}: lints without throwing`, () => {
      const r = run(text);
      for (const f of r.findings) {
        assert.ok(f.start >= 0 && f.start <= f.end && f.end <= text.length, `${f.ruleId} range inside the text`);
        assert.ok(!f.messageId.startsWith('internal'), `rule crashed: ${f.message}`);
      }
    });
  }

  test('a 5 MB template lints and still finds its footer', () => {
    const row = '<tr><td style="padding:8px;font-family:Arial;font-size:14px;color:#333;">{{ product.name }} – now {{ product.price }}</td></tr>\n';
    const text = newsletter(`${ADDRESS} ${UNSUB}`).replace('<tr>\n            <td style="padding:16px 32px', row.repeat(Math.ceil((5 * 1024 * 1024) / row.length)) + '<tr>\n            <td style="padding:16px 32px');
    assert.ok(text.length > 5 * 1024 * 1024);
    const r = run(text);
    assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.messageId}`), ['gmail-clip-size:clipped', 'unsubscribe-link-unusable:clipped']);
  });

  test('NUL bytes make the file unreadable with one finding', () => {
    const r = run('<html>\u0000\u0001\u0002</html>');
    assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.messageId}`), ['file-unreadable:binary']);
  });
});

describe('jurisdictions', () => {
  test('under jp alone the address is reported once, by sender-identity-missing', () => {
    const text = newsletter(`株式会社ハーバー ${UNSUB}`, { lang: 'ja' });
    assert.deepEqual(ids(run(text, { jurisdictions: ['jp'] })), ['sender-identity-missing']);
    assert.deepEqual(ids(run(text, { jurisdictions: ['us', 'jp'] })).sort(), ['postal-address-missing', 'sender-identity-missing']);
    assert.deepEqual(ids(run(text, { jurisdictions: ['eu'] })), ['postal-address-missing']);
  });
});

describe('payload globs', () => {
  test('a JSON file named by the payloads globs is linted as that payload even when its content does not say so', () => {
    // An SES template send with only Template + Destination: no key the content sniffing knows.
    const text = '{\n  "Destination": { "ToAddresses": ["a@example.net"] },\n  "Template": { "TemplateName": "spring", "TemplateData": "{}" },\n  "ConfigurationSetName": "marketing-events"\n}\n';
    const filePath = '/project/sends/spring.json';
    assert.equal(run(text, {}, { filePath }).findings.length, 0);
    const r = run(text, { payloads: { ses: ['sends/*.json'], sendgrid: [] } }, { filePath });
    assert.equal(r.kind, 'ses');
  });
});

describe('matching globs against paths', () => {
  const root = resolve(tmpdir(), 'project');
  const globs = ['**/dist/**', 'build/', 'emails/**/*.html', '*.mjml', '../shared/*.html'];
  const cases: Array<[path: string, expected: string | undefined]> = [
    [join(root, 'emails', 'spring', 'a.html'), 'emails/**/*.html'],
    [join(root, 'x', 'dist', 'a.html'), '**/dist/**'],
    [join(root, 'deep', 'b.mjml'), '*.mjml'],
    [join(root, 'build') + sep, 'build/'],
    [join(root, 'build'), undefined],
    [join(root, 'emails', 'a.txt'), undefined],
    // Paths path.relative has to normalize or walk out of the root for.
    [`${root}${sep}emails${sep}.${sep}spring${sep}a.html`, 'emails/**/*.html'],
    [`${root}${sep}x${sep}..${sep}emails${sep}a.html`, 'emails/**/*.html'],
    [`${root}${sep}${sep}emails${sep}a.html`, 'emails/**/*.html'],
    [join(root, '..', 'shared', 'c.html'), '../shared/*.html'],
    [join(root, '.github', 'dist', 'd.html'), '**/dist/**'],
  ];
  test('a path inside the root matches as path.relative would have it, folders asked as dir/ included', () => {
    for (const [p, expected] of cases) {
      assert.equal(matchingGlob(p, globs, root), expected, p);
    }
  });
});

describe('suppression in campaign files', () => {
  test('disable-next-line is written as a YAML comment and silences the finding without leaving an unused directive', () => {
    const file = join(__dirname, '..', 'fixtures', 'rules', 'from-domain-freemail', 'invalid', 'gmail-from.campaign.yaml');
    const text = readFileSync(file, 'utf8');
    const config = { ...defaultConfig(), root: '/' };
    const r = lint({ text, filePath: file, config, reader: nodeReader });
    const f = r.findings.find((x) => x.ruleId === 'from-domain-freemail')!;
    const edit = suppressionEdit(text, f.start, f.ruleId, 'line', 'campaign')!;
    assert.match(edit.text, /^# deliverlint-disable-next-line from-domain-freemail\n$/);
    const after = lint({ text: applyEdits(text, [edit]).text, filePath: file, config, reader: nodeReader });
    assert.deepEqual(after.findings.map((x) => x.ruleId).filter((id) => id === 'from-domain-freemail' || id === 'unused-directive'), []);
    assert.equal(suppressionEdit('{"FromEmailAddress":"a@gmail.com"}', 2, 'from-domain-freemail', 'line', 'ses'), undefined);
  });
});

describe('Japanese-language mail and the jurisdictions', () => {
  const JA_FOOTER = `<p>配信停止をご希望の方は<a href="https://shop.example.jp/unsubscribe?u={{id}}">配信停止</a>からお手続きください。</p>`;
  const JA_BODY = `<p>{{last_name}}様、いつもご利用いただきありがとうございます。秋の新作コートが入荷しました。期間限定で送料無料のキャンペーンを実施しています。</p>`;
  const text = `<!DOCTYPE html><html lang="ja"><body><table role="presentation" cellpadding="0"><tr><td>${JA_BODY}${JA_FOOTER}</td></tr></table></body></html>`;

  test('with no jurisdictions chosen, Japanese marketing mail gets the 特定電子メール法 checks, and says why', () => {
    const r = run(text);
    const f = r.findings.find((x) => x.ruleId === 'sender-identity-missing');
    assert.equal(f?.messageId, 'missingInJapanese');
    assert.match(String(f?.data?.['missing']), /送信者の住所/);
  });

  test('an explicit choice wins: jurisdictions set without jp means no Japanese checks', () => {
    const config = mergeConfig(defaultConfig(), { jurisdictions: ['us'] });
    const r = lint({ text, filePath: '/project/emails/autumn.html', config: { ...config, root: '/project' } });
    assert.deepEqual(r.findings.filter((x) => x.ruleId === 'sender-identity-missing'), []);
  });

  test('English mail is not taken for Japanese', () => {
    const r = run(newsletter(`${ADDRESS} ${UNSUB}`));
    assert.deepEqual(r.findings.filter((x) => x.ruleId === 'sender-identity-missing'), []);
  });
});

describe('safe fixes keep where links go', () => {
  test('fix-all turns an http: unsubscribe link into https: on the same URL, and never into another target', () => {
    const config = { ...defaultConfig(), root: '/project', esp: 'sendgrid' as const };
    const text = newsletter(`${ADDRESS} <a href="http://trailhead.example.com/email-preferences?u=42">Email preferences</a>`);
    const out = fixText({ text, filePath: '/project/emails/digest.html', config });
    assert.ok(out.text.includes('href="https://trailhead.example.com/email-preferences?u=42"'), 'the same URL over https');
    assert.ok(!out.text.includes('{{{unsubscribe}}}'), 'the destination was not replaced');
    // The replacement is still offered to a person, unsafe.
    const f = lint({ text, filePath: '/project/emails/digest.html', config }).findings.find((x) => x.messageId === 'insecureHref');
    assert.deepEqual(f?.fixes.map((x) => x.safe), [true, false]);
  });

  test('an unsubscribe link with an empty target is left for a person: fix-all does not point it anywhere', () => {
    const config = { ...defaultConfig(), root: '/project', esp: 'sendgrid' as const };
    const text = newsletter(`${ADDRESS} <a href="">Unsubscribe</a>`);
    assert.equal(fixText({ text, filePath: '/project/emails/digest.html', config }).text, text);
  });
});

describe('globs that could backtrack for minutes', () => {
  const EVIL = '*a*a*a*a*a*a*a*a*a*a*a*a*ab';
  test('are refused with a problem at the glob, and never matched (quickly)', () => {
    const { layer, problems } = parseConfigText(JSON.stringify({ ignore: ['**/node_modules/**', EVIL] }));
    assert.deepEqual(layer.ignore, ['**/node_modules/**', EVIL]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /never matched: it has more than 4 wildcards in one path segment/);
    const started = performance.now();
    assert.equal(matchingGlob(`/project/${'a'.repeat(60)}.html`, [EVIL], '/project'), undefined);
    assert.ok(performance.now() - started < 100, 'answered at once');
  });
  test('ordinary globs still match', () => {
    assert.equal(matchingGlob('/project/emails/spring-sale.html', ['**/*-sale*.html'], '/project'), '**/*-sale*.html');
  });
});

describe('rc file lookup', () => {
  test('stops at the repository root: an rc file above a checkout does not apply', () => {
    const base = mkdtempSync(join(tmpdir(), 'deliverlint-rc-'));
    mkdirSync(join(base, 'repo', '.git'), { recursive: true });
    mkdirSync(join(base, 'repo', 'emails'), { recursive: true });
    writeFileSync(join(base, '.deliverlintrc.json'), '{"ignore": ["**"]}');
    const exists = (p: string) => existsSync(p);
    assert.equal(findConfigFile(join(base, 'repo', 'emails'), exists), undefined);
    writeFileSync(join(base, 'repo', '.deliverlintrc.json'), '{}');
    assert.equal(findConfigFile(join(base, 'repo', 'emails'), exists), join(base, 'repo', '.deliverlintrc.json'));
  });
});

describe('findings are capped per rule and per file', () => {
  test('a template with 3,000 unused directives gives 100 findings of the rule and one summary', () => {
    const text = newsletter(`${ADDRESS} ${UNSUB}${'<!-- deliverlint-disable-next-line postal-address-missing -->\n<p>Hi</p>\n'.repeat(3000)}`);
    const r = run(text);
    const unused = r.findings.filter((f) => f.ruleId === 'unused-directive');
    assert.equal(unused.filter((f) => f.messageId !== 'truncated').length, 100);
    assert.deepEqual(unused.filter((f) => f.messageId === 'truncated').map((f) => f.data), [{ count: 2900 }]);
    // And the 200 KB message is past Gmail's clip.
    assert.deepEqual(r.findings.filter((f) => f.ruleId !== 'unused-directive').map((f) => f.ruleId), ['gmail-clip-size']);
    assert.equal(r.findings.length, 102);
  });
});
