// The lists that follow from the rule registry (server/src/rules/index.ts), computed from it:
//   package.json                       contributes.configuration, deliverlint.rules: one property per rule
//   package.nls.json, package.nls.ja.json  config.rules.<id>: meta.description, and its Japanese from ja.json
//   schemas/deliverlintrc.schema.json  rules: one property per rule
//   docs/rules/README.md, README.md    the rule table (its last column is the summary paragraph at the
//                                      top of each rule's page) and the rule list, between marker comments
// Everything else in those files is hand-written and kept as it is.
// Rewrite the files:  node --import tsx test/tools/rule-lists.ts --write   (npm run generate)
// Without --write it lists the files that are out of date and exits 1.
// test/unit/generated-lists.test.ts fails while any of them differs from what this computes.

import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Rule } from '../../server/src/core/rule';
import { isSendKind, type DocumentKind } from '../../server/src/core/types';
import { RULES } from '../../server/src/rules';

export const ROOT = path.resolve(__dirname, '..', '..');
export const COMMAND = 'npm run generate (node --import tsx test/tools/rule-lists.ts --write)';

export interface GeneratedFile {
  /** Path from the repository root, with forward slashes. */
  file: string;
  /** What the file must hold. */
  expected: string;
}

type Json = Record<string, unknown>;

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
/** The repository's JSON style: two-space indent, a final newline. */
const stringify = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function object(value: unknown, where: string): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where} is not an object`);
  return value as Json;
}

function japaneseDescriptions(): Record<string, string> {
  const ja = JSON.parse(read('server/src/core/l10n/ja.json')) as Record<string, string>;
  return Object.fromEntries(
    RULES.map(({ meta }) => {
      const text = ja[`description/${meta.id}`];
      if (typeof text !== 'string') throw new Error(`server/src/core/l10n/ja.json has no "description/${meta.id}"`);
      return [meta.id, text];
    }),
  );
}

/** One property per rule: the shape of `additionalProperties` (hand-written next to it) plus the description. */
function ruleProperties(rules: Json, describe: (rule: Rule) => string, where: string): Json {
  const shape = object(rules['additionalProperties'], `${where}.additionalProperties`);
  return Object.fromEntries(RULES.map((rule) => [rule.meta.id, { ...shape, description: describe(rule) }]));
}

function packageJson(): GeneratedFile {
  const file = 'package.json';
  const manifest = JSON.parse(read(file)) as Json;
  const contributes = object(manifest['contributes'], 'contributes');
  const configuration = object(contributes['configuration'], 'contributes.configuration');
  const properties = object(configuration['properties'], 'contributes.configuration.properties');
  const rules = object(properties['deliverlint.rules'], 'deliverlint.rules');
  rules['properties'] = ruleProperties(rules, (rule) => `%config.rules.${rule.meta.id}%`, 'deliverlint.rules');
  return { file, expected: stringify(manifest) };
}

/** The config.rules.<id> strings, in registry order right after "config.rules"; other keys stay where they are. */
function nls(file: string, text: (rule: Rule) => string): GeneratedFile {
  const strings = JSON.parse(read(file)) as Record<string, string>;
  if (!('config.rules' in strings)) throw new Error(`${file} has no "config.rules" string to put the rule strings after`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(strings)) {
    if (key.startsWith('config.rules.')) continue;
    out[key] = value;
    if (key === 'config.rules') for (const rule of RULES) out[`config.rules.${rule.meta.id}`] = text(rule);
  }
  return { file, expected: stringify(out) };
}

function rcSchema(): GeneratedFile {
  const file = 'schemas/deliverlintrc.schema.json';
  const schema = JSON.parse(read(file)) as Json;
  const rules = object(object(schema['properties'], 'properties')['rules'], 'properties.rules');
  rules['properties'] = ruleProperties(rules, (rule) => rule.meta.description, 'properties.rules');
  return { file, expected: stringify(schema) };
}

const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

/** Replaces what stands between the marker comments (each on a line of its own). */
function betweenMarkers(file: string, body: string): GeneratedFile {
  const text = read(file);
  const start = text.indexOf(`${START}\n`);
  const end = text.indexOf(`${END}\n`);
  if (start < 0 || end < start) throw new Error(`${file} needs the lines ${START} and ${END} around the generated rule list`);
  const note = '<!-- Generated from the rule registry and the rule pages by `npm run generate`: edit those, not this list. -->\n';
  // Blank lines around the body keep it a block of its own in Markdown.
  return { file, expected: `${text.slice(0, start + START.length + 1)}${note}\n${body}\n${text.slice(end)}` };
}

const KIND_LABEL: Record<DocumentKind, string> = {
  html: 'HTML',
  mjml: 'MJML',
  ses: 'SES',
  sendgrid: 'SendGrid',
  eml: '`.eml`',
  campaign: 'campaign',
  infra: 'CloudFormation, Terraform',
};
const ALL_KINDS = Object.keys(KIND_LABEL) as DocumentKind[];

function files(rule: Rule): string {
  const kinds = rule.meta.appliesTo;
  if (ALL_KINDS.every((k) => kinds.includes(k))) return 'all';
  return ALL_KINDS.filter((k) => kinds.includes(k)).map((k) => KIND_LABEL[k]).join(', ');
}

/** The first paragraph of the rule's page (after its `# id` title), on one line: what the rule reports. */
function summary(rule: Rule): string {
  const file = `docs/rules/${rule.meta.id}.md`;
  const lines = read(file).split('\n');
  let i = 1;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const paragraph: string[] = [];
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) paragraph.push(lines[i]!.trim());
  const text = paragraph.join(' ');
  if (!text || /^(#|\*\*|<!--|```|\|)/.test(text)) throw new Error(`${file}: the title must be followed by a one-paragraph summary of what the rule reports`);
  return text;
}

/** Markdown for a table cell: a pipe, even inside a code span, would end the cell. */
const cell = (text: string) => text.replace(/(?<!\\)\|/g, '\\|');
const yesNo = (b: boolean | undefined) => (b ? 'yes' : 'no');

function rulesTable(): GeneratedFile {
  const rows = RULES.map((rule) => {
    const { meta } = rule;
    const cells = [`[\`${meta.id}\`](${meta.id}.md)`, `\`${meta.defaultSeverity}\``, yesNo(meta.marketingOnly), yesNo(meta.fixable), files(rule), cell(summary(rule))];
    return `| ${cells.join(' | ')} |`;
  });
  const table = [
    '| Rule | Default severity | Marketing mail only | Fixable | Files | What it reports |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ];
  return betweenMarkers('docs/rules/README.md', `${table.join('\n')}\n`);
}

/** Words joined by spaces into lines of at most `width` characters. */
function wrap(words: string[], width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function readmeRuleList(): GeneratedFile {
  // Rules for infrastructure files only get a group of their own; the others are grouped by what else they read.
  const infraOnly = (kinds: readonly DocumentKind[]) => kinds.every((k) => k === 'infra');
  const groups: Array<[string, (kinds: readonly DocumentKind[]) => boolean]> = [
    ['Templates:', (kinds) => !kinds.some(isSendKind)],
    ['Send configurations:', (kinds) => kinds.every(isSendKind)],
    ['Both:', (kinds) => kinds.some(isSendKind) && !kinds.every(isSendKind)],
  ];
  const words: string[] = [];
  for (const [label, test] of [...groups, ['Infrastructure as code:', infraOnly] as const]) {
    const ids = RULES.filter((r) => {
      if (label === 'Infrastructure as code:') return infraOnly(r.meta.appliesTo);
      return !infraOnly(r.meta.appliesTo) && test(r.meta.appliesTo.filter((k) => k !== 'infra'));
    }).map((r) => `\`${r.meta.id}\``);
    if (!ids.length) continue;
    words.push(...label.split(' '), ...ids.map((id, i) => (i === ids.length - 1 ? `${id}.` : `${id},`)));
  }
  return betweenMarkers('README.md', `${wrap(words).join('\n')}\n`);
}

/** Every generated file with the content the registry asks for. */
export function generatedFiles(): GeneratedFile[] {
  const ja = japaneseDescriptions();
  return [
    packageJson(),
    nls('package.nls.json', (rule) => rule.meta.description),
    nls('package.nls.ja.json', (rule) => ja[rule.meta.id]!),
    rcSchema(),
    rulesTable(),
    readmeRuleList(),
  ];
}

export function currentContent(file: string): string {
  return read(file);
}

if (require.main === module) {
  const write = process.argv.includes('--write');
  let stale = 0;
  for (const { file, expected } of generatedFiles()) {
    if (read(file) === expected) continue;
    stale++;
    if (write) {
      writeFileSync(path.join(ROOT, file), expected);
      console.log(`rewrote ${file}`);
    } else console.log(`out of date: ${file}`);
  }
  if (!stale) console.log('all rule lists are up to date');
  else if (!write) {
    console.log(`run: ${COMMAND}`);
    process.exitCode = 1;
  }
}
