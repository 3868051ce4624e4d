// Every rule has a doc page that matches its meta, every rule file is registered, and the examples
// on the pages do what the pages say. The index table in docs/rules/README.md is generated from the
// registry and checked by generated-lists.test.ts.
// Run: node --import tsx --test test/unit/docs.test.ts

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultConfig, mergeConfig, type ConfigLayer } from '../../server/src/core/config';
import type { Rule } from '../../server/src/core/rule';
import { QUALITY_GROUPS } from '../../server/src/core/rule';
import { RULES } from '../../server/src/rules';
import { linter } from '../../server/src/linter';

const { lint } = linter;

const root = path.resolve(__dirname, '..', '..');
const docsDir = path.join(root, 'docs', 'rules');
const rulesDir = path.join(root, 'server', 'src', 'rules');

const page = (id: string) => path.join(docsDir, `${id}.md`);
const yesNo = (b: boolean | undefined) => (b ? 'yes' : 'no');

/** The `## ` headings of a page, without the hashes. */
function headings(md: string): string[] {
  return [...md.replace(/```[\s\S]*?```/g, '').matchAll(/^##\s+(.+?)\s*$/gm)].map((m) => m[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

for (const rule of RULES) {
  const { id } = rule.meta;
  test(`${id}: has a doc page that matches its meta`, () => {
    assert.ok(existsSync(page(id)), `docs/rules/${id}.md is missing`);
    const md = readFileSync(page(id), 'utf8');
    assert.equal(md.split('\n')[0], `# ${id}`, 'the page must start with "# <rule-id>"');
    assert.match(md, /^# .*\n\n[A-Za-z`]/, 'the title must be followed by a one-paragraph summary (the rule table in docs/rules/README.md shows it)');

    const severity = /default severity[^\n]*?`(off|hint|info|warning|error)`/i.exec(md);
    assert.ok(severity, 'the page must state the default severity, as "Default severity: `<level>`"');
    assert.equal(severity[1], rule.meta.defaultSeverity, 'documented default severity differs from meta.defaultSeverity');

    const marketing = /marketing mail only:?\**\s*(yes|no)\b/i.exec(md);
    assert.ok(marketing, 'the page must say whether the rule is for marketing mail only');
    assert.equal(marketing[1]!.toLowerCase(), yesNo(rule.meta.marketingOnly), 'documented "marketing mail only" differs from meta.marketingOnly');

    const fixable = /fixable:?\**\s*(yes|no)\b/i.exec(md);
    assert.ok(fixable, 'the page must say whether the rule is fixable');
    assert.equal(fixable[1]!.toLowerCase(), yesNo(rule.meta.fixable), 'documented "fixable" differs from meta.fixable');

    const sections = headings(md);
    for (const section of ['Why', 'What is checked', 'How to fix']) {
      assert.ok(sections.includes(section), `the page needs a "## ${section}" section (has: ${sections.join(', ')})`);
    }
  });
}

test('every doc page belongs to a registered rule', () => {
  const ids = new Set(RULES.map((r) => r.meta.id));
  const pages = readdirSync(docsDir).filter((f) => f.endsWith('.md') && f !== 'README.md');
  const orphans = pages.filter((f) => !ids.has(f.slice(0, -'.md'.length)));
  assert.deepEqual(orphans, [], 'doc pages with no rule of that id in server/src/rules/index.ts');
});

test('every rule file in server/src/rules is registered in RULES', () => {
  const files = readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'index.ts');
  assert.ok(files.length > 0);
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(rulesDir, file)) as { rule?: Rule };
    const id = file.slice(0, -'.ts'.length);
    assert.ok(mod.rule, `server/src/rules/${file} must export \`rule\``);
    assert.equal(mod.rule.meta.id, id, `server/src/rules/${file}: meta.id must equal the file name`);
    assert.ok(RULES.includes(mod.rule), `server/src/rules/${file} is not registered in RULES (server/src/rules/index.ts)`);
  }
  const ids = RULES.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length, 'a rule id is registered twice');
});

test('links between the rule pages point at existing pages and headings', () => {
  const mdFiles = readdirSync(docsDir).filter((f) => f.endsWith('.md'));
  const anchors = new Map(mdFiles.map((f) => [f, new Set(headings(readFileSync(path.join(docsDir, f), 'utf8')).map(slug))]));
  for (const f of mdFiles) {
    const md = readFileSync(path.join(docsDir, f), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of md.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue; // external
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const resolved = file === '' ? f : file;
      assert.ok(anchors.has(resolved), `${f}: link to missing page ${target}`);
      if (anchor) assert.ok(anchors.get(resolved)!.has(anchor), `${f}: link to missing heading ${target}`);
    }
  }
});

// Examples are marked for this test with an HTML comment right above the code block:
//   <!-- example: invalid -->            the block gives at least one finding of the page's rule
//   <!-- example: valid {"esp":"ses"} --> the block gives no finding at all, under that config
// ```xml blocks are linted as MJML, ```html blocks as HTML.
const EXAMPLE = /<!-- example: (valid|invalid)(?: (\{.*?\}))? -->\r?\n```(\w+)\r?\n([\s\S]*?)\r?\n```/g;

for (const rule of RULES) {
  const { id } = rule.meta;
  test(`${id}: the examples on its page behave as documented`, () => {
    if (!existsSync(page(id))) return; // reported by the page test
    const md = readFileSync(page(id), 'utf8');
    for (const m of md.matchAll(EXAMPLE)) {
      const [, expect, configJson, lang, code] = m as unknown as [string, 'valid' | 'invalid', string | undefined, string, string];
      const line = md.slice(0, m.index).split('\n').length + 1;
      // As in the rule fixtures: a page's examples show its rule, and the markup-quality rules of
      // other pages (a preheader, a <title>) are left out unless the example's config names them.
      const base = defaultConfig();
      const quiet = { ...base, rules: { ...base.rules } };
      for (const other of RULES) if (QUALITY_GROUPS.has(other.meta.group) && other.meta.id !== id) quiet.rules[other.meta.id] = 'off';
      const config = mergeConfig(quiet, configJson ? (JSON.parse(configJson) as ConfigLayer) : undefined);
      const result = lint({ text: code, kind: lang === 'xml' || lang === 'mjml' ? 'mjml' : 'html', config, locale: 'en' });
      const summary = result.findings.map((f) => `${f.ruleId}/${f.messageId}`).join(', ');
      if (expect === 'invalid') {
        assert.ok(result.findings.some((f) => f.ruleId === id), `${id}.md:${line}: invalid example gives no ${id} finding (got: ${summary || 'none'})`);
      } else {
        assert.deepEqual(summary, '', `${id}.md:${line}: valid example gives findings`);
      }
    }
  });
}
