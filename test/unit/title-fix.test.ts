// title-missing's campaign fix: the subject of a campaign file written as its template's <title>.
// Each case applies the edit to the template, parses and lints it again.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { applyEdits } from '../../server/src/core/text';
import type { FileReader, Finding, ResolvedConfig } from '../../server/src/core/types';
import { nodeReader } from '../../server/src/host/files';
import { linter } from '../../server/src/linter';
import { titleEdit, titleText } from '../../server/src/rules/shared/titleFix';
import { titleFixesFromCampaigns } from '../../server/src/rules/title-missing';
import { CampaignIndex } from '../../server/src/lsp/campaignIndex';

const { lint } = linter;
const TEMPLATES = join(__dirname, '..', 'fixtures', 'rules', '_templates');
const CAMPAIGNS = join(__dirname, '..', 'fixtures', 'rules', 'title-missing', 'invalid');
const keys = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId}:${f.messageId}`).sort();

function fix(text: string, kind: 'html' | 'mjml', subject: string): string {
  const edit = titleEdit(text, kind, subject);
  assert.ok(edit, 'an edit is offered');
  return applyEdits(text, [edit]).text;
}

describe('titleText', () => {
  test('escapes markup characters in the text', () => {
    assert.equal(titleText('Tom & Jerry <3 > all'), 'Tom &amp; Jerry &lt;3 &gt; all');
  });
  test('keeps merge tags as written', () => {
    assert.equal(titleText('{{ first_name }}, 40% off & more'), '{{ first_name }}, 40% off &amp; more');
    assert.equal(titleText('{% if vip > 1 %}VIP{% endif %} <sale>'), '{% if vip > 1 %}VIP{% endif %} &lt;sale&gt;');
    assert.equal(titleText('*|FNAME|* & <%= name %> & [[Subject]]'), '*|FNAME|* &amp; <%= name %> &amp; [[Subject]]');
  });
  test('an opener without its closer is text', () => {
    assert.equal(titleText('a {{ b < c'), 'a {{ b &lt; c');
    assert.equal(titleText('{{ x }} & <% y'), '{{ x }} &amp; &lt;% y');
  });
  test('stays fast on openers with no closer', () => {
    const s = '{{'.repeat(200_000) + '<%'.repeat(200_000);
    const t0 = performance.now();
    titleText(s);
    assert.ok(performance.now() - t0 < 1000);
  });
});

describe('titleEdit', () => {
  test('adds the title as the first child of <head>, indented like its children', () => {
    const text = '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n</head>\n<body><p>Hi</p></body>\n</html>\n';
    assert.equal(fix(text, 'html', 'Sale & more'), '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <title>Sale &amp; more</title>\n  <meta charset="utf-8">\n</head>\n<body><p>Hi</p></body>\n</html>\n');
  });
  test('fills an empty title, keeping its tags', () => {
    const text = '<html>\r\n<head>\r\n\t<title> </title>\r\n</head>\r\n<body>Hi</body>\r\n</html>';
    assert.equal(fix(text, 'html', 'Sale'), '<html>\r\n<head>\r\n\t<title>Sale</title>\r\n</head>\r\n<body>Hi</body>\r\n</html>');
  });
  test('writes a head after <html> when there is none, in the file\'s line endings', () => {
    const text = '<html lang="en">\r\n<body>\r\n  <p>Hi</p>\r\n</body>\r\n</html>';
    assert.equal(fix(text, 'html', 'Sale'), '<html lang="en">\r\n<head>\r\n  <title>Sale</title>\r\n</head>\r\n<body>\r\n  <p>Hi</p>\r\n</body>\r\n</html>');
  });
  test('an empty head gets the title one step in', () => {
    assert.equal(fix('<html>\n  <head>\n  </head>\n</html>', 'html', 'S'), '<html>\n  <head>\n    <title>S</title>\n  </head>\n</html>');
  });
  test('a title or head inside a comment or an MSO conditional is not the title', () => {
    const text = '<html>\n<head>\n<!--[if mso]><title></title><![endif]-->\n</head>\n<body>Hi</body>\n</html>';
    assert.equal(fix(text, 'html', 'S'), '<html>\n<head>\n<title>S</title>\n<!--[if mso]><title></title><![endif]-->\n</head>\n<body>Hi</body>\n</html>');
  });
  test('no edit for a title with text, an unclosed title, or a file without <html>', () => {
    assert.equal(titleEdit('<html><head><title>Sale</title></head></html>', 'html', 'S'), undefined);
    assert.equal(titleEdit('<html><head><title></head><body>x</body></html>', 'html', 'S'), undefined);
    assert.equal(titleEdit('<table><tr><td>Partial</td></tr></table>', 'html', 'S'), undefined);
  });
  test('MJML: mj-title inside mj-head, or a new mj-head after <mjml>', () => {
    assert.equal(fix('<mjml>\n  <mj-head>\n    <mj-preview>Hi</mj-preview>\n  </mj-head>\n</mjml>', 'mjml', 'S'), '<mjml>\n  <mj-head>\n    <mj-title>S</mj-title>\n    <mj-preview>Hi</mj-preview>\n  </mj-head>\n</mjml>');
    assert.equal(fix('<mjml lang="en">\n  <mj-body></mj-body>\n</mjml>', 'mjml', 'S'), '<mjml lang="en">\n  <mj-head>\n    <mj-title>S</mj-title>\n  </mj-head>\n  <mj-body></mj-body>\n</mjml>');
    assert.equal(fix('<mjml><mj-head><mj-title></mj-title></mj-head><mj-body></mj-body></mjml>', 'mjml', 'S'), '<mjml><mj-head><mj-title>S</mj-title></mj-head><mj-body></mj-body></mjml>');
  });
});

describe('title-missing on a campaign file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deliverlint-title-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const config: ResolvedConfig = { ...defaultConfig(), root: join(__dirname, '..', 'fixtures') };

  for (const [campaign, template] of [
    ['winter-sale-untitled.campaign.yaml', 'winter-sale-untitled.html'],
    ['spring-catalogue.campaign.json', 'spring-untitled.mjml'],
  ] as const) {
    test(`${campaign}: the offered fix gives ${template} its title, and both lint clean of title-missing`, () => {
      const campaignPath = join(CAMPAIGNS, campaign);
      const templatePath = join(TEMPLATES, template);
      const text = readFileSync(campaignPath, 'utf8');
      const result = lint({ text, filePath: campaignPath, config, reader: nodeReader });
      const finding = result.findings.find((f) => f.ruleId === 'title-missing');
      assert.ok(finding, 'title-missing reports on the campaign');
      assert.equal(text.slice(finding.start, finding.end).replace(/^"|"$/g, ''), `../../_templates/${template}`);
      assert.equal(finding.fixes.length, 1);
      const fixOffered = finding.fixes[0]!;
      assert.equal(fixOffered.safe, false, 'a fix to another file is never safe');
      assert.equal(fixOffered.filePath, templatePath);

      const before = readFileSync(templatePath, 'utf8');
      const fixed = applyEdits(before, fixOffered.edits).text;
      const e = fixOffered.edits[0]!;
      assert.equal(fixed.slice(0, e.start), before.slice(0, e.start));
      assert.equal(fixed.slice(e.start + e.text.length), before.slice(e.end));
      const lintTemplate = (t: string) => lint({ text: t, filePath: templatePath, config, reader: nodeReader });
      const was = lintTemplate(before);
      const now = lintTemplate(fixed);
      assert.ok(was.findings.some((f) => f.ruleId === 'title-missing'));
      assert.deepEqual(keys(now.findings), keys(was.findings.filter((f) => f.ruleId !== 'title-missing')));

      // The campaign, linted against the fixed template, has nothing left to say about the title.
      const copy = join(dir, template);
      writeFileSync(copy, fixed);
      const reader: FileReader = { ...nodeReader, readFile: (p) => (p === templatePath ? readFileSync(copy, 'utf8') : nodeReader.readFile(p)) };
      const again = lint({ text, filePath: campaignPath, config, reader });
      assert.deepEqual(again.findings.filter((f) => f.ruleId === 'title-missing'), []);
      assert.deepEqual(keys(again.findings), keys(result.findings.filter((f) => f.ruleId !== 'title-missing')));
    });
  }

  test('the subject goes in escaped, its merge tags as written', () => {
    const campaignPath = join(CAMPAIGNS, 'winter-sale-untitled.campaign.yaml');
    const result = lint({ text: readFileSync(campaignPath, 'utf8'), filePath: campaignPath, config, reader: nodeReader });
    const edit = result.findings.find((f) => f.ruleId === 'title-missing')!.fixes[0]!.edits[0]!;
    assert.equal(edit.text, '\n  <title>Winter sale: 40% off outerwear &amp; boots, {{ first_name }}</title>');
  });

  test('no finding without a subject, with a titled template, or with the rule off', () => {
    const base = readFileSync(join(CAMPAIGNS, 'winter-sale-untitled.campaign.yaml'), 'utf8');
    const at = join(CAMPAIGNS, 'x.campaign.yaml');
    const count = (text: string, cfg = config) => lint({ text, filePath: at, config: cfg, reader: nodeReader }).findings.filter((f) => f.ruleId === 'title-missing').length;
    assert.equal(count(base), 1);
    assert.equal(count(base.replace(/^subject:.*\n/m, '')), 0);
    assert.equal(count(base.replace(/^subject:.*\n/m, 'subject: ""\n')), 0);
    assert.equal(count(base.replace('winter-sale-untitled.html', 'winter-sale.html')), 0);
    assert.equal(count(base, { ...config, rules: { ...config.rules, 'title-missing': 'off' } }), 0);
  });
});

describe('the language server\'s campaign index', () => {
  test('maps a template to the campaign files naming it with a subject, and forgets them', () => {
    const idx = new CampaignIndex();
    const root = join(tmpdir(), 'p');
    const yaml = (subject: string, template = 'templates/a.html') => `category: marketing\nsubject: "${subject}"\ntemplate: ${template}\n`;
    idx.record(join(root, 'b.campaign.yaml'), yaml('Second'));
    idx.record(join(root, 'a.campaign.json'), JSON.stringify({ subject: 'First', template: 'templates/a.html' }));
    idx.record(join(root, 'c.campaign.yaml'), 'category: marketing\ntemplate: templates/a.html\n'); // no subject
    idx.record(join(root, 'notes.yaml'), yaml('Not a campaign'));
    const tpl = join(root, 'templates', 'a.html');
    assert.deepEqual(idx.subjectsFor(tpl).map((c) => c.subject), ['First', 'Second']);
    idx.record(join(root, 'b.campaign.yaml'), yaml('Second', 'templates/other.html'));
    assert.deepEqual(idx.subjectsFor(tpl).map((c) => c.subject), ['First']);
    idx.forget(root, true);
    assert.deepEqual(idx.subjectsFor(tpl), []);
    assert.deepEqual(idx.subjectsFor(join(root, 'templates', 'other.html')), []);
  });

  test('one fix per distinct subject, each an edit of the template itself', () => {
    const text = '<html>\n<head>\n</head>\n<body>Hi</body>\n</html>';
    const fixes = titleFixesFromCampaigns(text, 'html', [{ campaign: '/p/a.campaign.yaml', subject: 'Sale' }, { campaign: '/p/b.campaign.yaml', subject: 'Sale' }, { campaign: '/p/c.campaign.yaml', subject: 'VIP & friends' }], 'en');
    assert.deepEqual(fixes.map((f) => [f.title, f.safe, f.filePath]), [
      ['Write the subject "Sale" of a.campaign.yaml as the title', false, undefined],
      ['Write the subject "VIP & friends" of c.campaign.yaml as the title', false, undefined],
    ]);
    const fixed = applyEdits(text, fixes[1]!.edits).text;
    assert.equal(fixed, '<html>\n<head>\n  <title>VIP &amp; friends</title>\n</head>\n<body>Hi</body>\n</html>');
    assert.deepEqual(titleFixesFromCampaigns('<html><head><title>Set</title></head></html>', 'html', [{ campaign: '/p/a.campaign.yaml', subject: 'Sale' }], 'en'), []);
  });
});
