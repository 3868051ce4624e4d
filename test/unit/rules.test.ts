// Fixture-driven rule tests. Layout: test/fixtures/rules/<rule-id>/{valid,invalid}/<name>.<ext>
// - valid files must give zero findings (of any rule);
// - invalid files mark each expected finding on its line with a comment `{rule-id}` or
//   `{rule-id:messageId}` (or list them in <name>.expected.json as [{line, ruleId, messageId?}]),
//   and must give exactly those findings;
// - <name>.fixed.<ext> is the text after applying the first fix of each finding of the folder's
//   rule; it is linted again and must have no finding of that rule left, and fixing it again
//   must change nothing;
// - <name>.config.json is a config layer (as in .deliverlintrc.json) for that file.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import { defaultConfig, mergeConfig, parseConfigText } from '../../server/src/core/config';
import { decodeFile } from '../../server/src/core/input';
import { applyEdits } from '../../server/src/core/text';
import { PositionMapper } from '../../server/src/core/position';
import type { FileReader, Finding, LintResult, ResolvedConfig } from '../../server/src/core/types';
import { nodeReader } from '../../server/src/host/files';
import { linter } from '../../server/src/linter';
import { RULES } from '../../server/src/rules';
import { QUALITY_GROUPS } from '../../server/src/core/rule';
import { indexSets, setsOfFile, type ConfigurationSetIndex } from '../../server/src/core/infra/sets';

const { lint, unreadableResult } = linter;

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');
const FIXTURE = /\.(html|htm|mjml|hbs|njk|liquid|json|eml|yaml|yml|erb|eex|heex|twig|j2|tmpl|tpl|php|tf)$/;
const SIDECAR = /\.(?:expected|config)\.json$/;
/** `a.campaign.yaml` -> ['a', '.campaign.yaml']; `a.html` -> ['a', '.html']. */
function split(file: string): [string, string] {
  const m = /(\.campaign)?\.[a-z0-9]+$/.exec(file)!;
  return [file.slice(0, m.index), m[0]];
}
const sidecar = (file: string, kind: 'expected' | 'config') => `${split(file.replace(/\.fixed(?=\.)/, ''))[0]}.${kind}.json`;

/**
 * A fixture tests its own rule and the rules a message must pass. Rules about the quality of the
 * markup (accessibility, rendering: QUALITY_GROUPS) are left out of other rules' fixtures, which are
 * small on purpose (no <title>, no preheader); they are tested in their own folders, on examples/
 * and on the public corpus. A fixture's config can still turn them on.
 */
function fixtureDefaults(file: string): ResolvedConfig {
  const folder = relative(FIXTURES, file).split(sep)[0];
  const config = defaultConfig();
  const rules = { ...config.rules };
  for (const rule of RULES) if (QUALITY_GROUPS.has(rule.meta.group) && rule.meta.id !== folder) rules[rule.meta.id] = 'off';
  return { ...config, rules, root: FIXTURES };
}

function configFor(file: string): ResolvedConfig {
  const side = sidecar(file, 'config');
  const base = fixtureDefaults(file);
  if (!existsSync(side)) return base;
  const parsed = parseConfigText(readFileSync(side, 'utf8'));
  assert.deepEqual(parsed.problems, [], `bad fixture config ${side}`);
  return { ...mergeConfig(base, parsed.layer), root: FIXTURES };
}

/**
 * A rule's fixture folder (valid/ and invalid/ together) is a workspace: the configuration sets its
 * infrastructure files define are what its payloads and campaigns are checked against
 * (configuration-set-unknown), as the CLI and the language server do for a real workspace.
 */
const folderSets = new Map<string, ConfigurationSetIndex>();
function setsOfFolder(ruleDir: string): ConfigurationSetIndex {
  let index = folderSets.get(ruleDir);
  if (!index) {
    const files = ['valid', 'invalid'].flatMap((sub) => {
      const dir = join(ruleDir, sub);
      if (!existsSync(dir)) return [];
      return readdirSync(dir, { withFileTypes: true })
        .filter((f) => f.isFile() && !f.name.includes('.fixed.'))
        .map((f) => setsOfFile(join(dir, f.name), readFileSync(join(dir, f.name), 'utf8')));
    });
    folderSets.set(ruleDir, (index = indexSets(files.filter((f) => f !== undefined))));
  }
  return index;
}

/**
 * Each Terraform fixture is a module of its own: the other .tf files of its folder are other cases,
 * not the rest of its module (test/unit/terraform-module.test.ts tests modules of several files).
 */
const ONE_FILE: FileReader = { readFile: (p) => nodeReader.readFile(p) };
const readerFor = (file: string): FileReader => (/\.tf(?:\.json)?$/i.test(file) ? ONE_FILE : nodeReader);

function lintFile(file: string, text?: string): { text: string; result: LintResult } {
  const config = configFor(file);
  if (text === undefined) {
    const decoded = decodeFile(readFileSync(file));
    if (decoded.text === undefined) return { text: '', result: unreadableResult('html', decoded.unreadable!, config, 'en') };
    text = decoded.text;
  }
  return { text, result: lint({ text, filePath: file, config, reader: readerFor(file), configurationSets: setsOfFolder(dirname(dirname(file))) }) };
}

interface Expected {
  line: number;
  ruleId: string;
  messageId?: string;
}

function expectations(file: string, text: string): Expected[] {
  const side = sidecar(file, 'expected');
  if (existsSync(side)) return JSON.parse(readFileSync(side, 'utf8')) as Expected[];
  const out: Expected[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\{([a-z][a-z0-9-]*)(?::(\w+))?\}/g)) {
      if (RULES.some((r) => r.meta.id === m[1])) out.push({ line: i + 1, ruleId: m[1]!, messageId: m[2] });
    }
  });
  return out;
}

function describeFindings(text: string, findings: Finding[]): string {
  const map = new PositionMapper(text);
  return findings.map((f) => `${map.positionAt(f.start).line + 1}: ${f.ruleId}/${f.messageId} ${f.message}`).join('\n');
}

const templateFiles = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => FIXTURE.test(f) && !SIDECAR.test(f) && !/\.fixed\./.test(f)).map((f) => join(dir, f)) : [];

for (const rule of RULES) {
  const id = rule.meta.id;
  describe(`rule ${id}`, () => {
    test('has valid and invalid fixtures', () => {
      assert.ok(templateFiles(join(FIXTURES, id, 'valid')).length > 0, `${id} needs test/fixtures/rules/${id}/valid/*`);
      assert.ok(templateFiles(join(FIXTURES, id, 'invalid')).length > 0, `${id} needs test/fixtures/rules/${id}/invalid/*`);
    });

    for (const file of templateFiles(join(FIXTURES, id, 'valid'))) {
      test(`valid: ${basename(file)} gives no findings`, () => {
        const { text, result } = lintFile(file);
        assert.equal(result.findings.length, 0, `unexpected findings:\n${describeFindings(text, result.findings)}`);
      });
    }

    for (const file of templateFiles(join(FIXTURES, id, 'invalid'))) {
      test(`invalid: ${basename(file)} gives exactly the marked findings`, () => {
        const { text, result } = lintFile(file);
        const map = new PositionMapper(text);
        const expected = expectations(file, text);
        assert.ok(expected.some((e) => e.ruleId === id), `${basename(file)} marks no ${id} finding`);
        const actual = result.findings.map((f) => ({ line: map.positionAt(f.start).line + 1, ruleId: f.ruleId, messageId: f.messageId }));
        const key = (e: Expected) => `${e.line}:${e.ruleId}`;
        assert.deepEqual(actual.map(key).sort(), expected.map(key).sort(), `findings:\n${describeFindings(text, result.findings)}`);
        for (const e of expected.filter((x) => x.messageId)) {
          assert.ok(actual.some((a) => a.line === e.line && a.ruleId === e.ruleId && a.messageId === e.messageId), `expected ${e.ruleId}:${e.messageId} on line ${e.line}`);
        }
        // Findings point at something: inside the text, never an inverted range.
        for (const f of result.findings) assert.ok(f.start <= f.end && f.end <= text.length);
      });

      const [stem, ext] = split(file);
      const fixedFile = `${stem}.fixed${ext}`;
      if (existsSync(fixedFile)) {
        test(`fix: ${basename(file)} becomes ${basename(fixedFile)}, which lints clean of ${id}`, () => {
          const { text, result } = lintFile(file);
          const fixes = result.findings.filter((f) => f.ruleId === id && f.fixes.length).map((f) => f.fixes[0]!);
          assert.ok(fixes.length > 0, 'the fixture has a fixed twin but no fix was offered');
          const fixed = applyEdits(text, fixes.flatMap((f) => f.edits)).text;
          assert.equal(fixed, readFileSync(fixedFile, 'utf8'));
          // The fixed file still parses as what it is, and nothing else broke: no finding appears
          // that the original did not have.
          if (ext.endsWith('.json')) JSON.parse(fixed);
          const again = lintFile(fixedFile, fixed).result;
          const fixedIds = new Set(result.findings.filter((f) => f.ruleId === id && f.fixes.length).map((f) => f.messageId));
          assert.deepEqual(again.findings.filter((f) => f.ruleId === id && fixedIds.has(f.messageId)).map((f) => f.messageId), [], describeFindings(fixed, again.findings));
          // An unsafe fix (a skeleton with placeholders) may leave its own rule asking a person to
          // finish it, and the placeholders it wrote are reported by whichever rule reads that place.
          const before = new Set(result.findings.map((f) => `${f.ruleId}:${f.messageId}`));
          const allowedFollowUp = (f: Finding) => (f.ruleId === id || f.messageId === 'placeholder') && fixes.some((x) => !x.safe);
          assert.deepEqual(again.findings.filter((f) => !before.has(`${f.ruleId}:${f.messageId}`) && !allowedFollowUp(f)).map((f) => `${f.ruleId}:${f.messageId}`), [], describeFindings(fixed, again.findings));
          // A fix applied twice changes nothing the second time.
          const second = again.findings.filter((f) => f.ruleId === id && f.fixes.length).map((f) => f.fixes[0]!);
          assert.equal(applyEdits(fixed, second.flatMap((f) => f.edits)).text, fixed);
        });
      }
    }
  });
}
