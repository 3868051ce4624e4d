// In-process measurements, bundled by the bench with the production esbuild options (so the core
// runs as it ships) and run in a fresh node process per side: template lint against a bare
// htmlparser2 parse, and MJML lint against mjml's full compile.
//   node bench/generated/inproc.js <task.json>   prints a JSON result on stdout

import * as fs from 'node:fs';
import { parseDocument } from 'htmlparser2';
import { defaultConfig, mergeConfig } from '../server/src/core/config';
import { linter } from '../server/src/linter';
import { RULES } from '../server/src/rules';

const { lint } = linter;
import type { DocumentKind, ResolvedConfig } from '../server/src/core/types';

export interface InprocTask {
  task: 'templateLint' | 'mjml';
  /** Which side this process measures: the lint, or the reference (bare parse / mjml compile). */
  /** `lintAll`: the lint with every rule on, off-by-default ones too (ratioAllRules). */
  side: 'lint' | 'lintAll' | 'base';
  files: Array<{ path: string; sizeKB: number; warmup: number; runs: number }>;
}

export interface Sample {
  sizeKB: number;
  bytes: number;
  ms: number[];
  /** Lint side: the findings, to check the input is linted as intended. */
  findings: string[];
}

// Every template rule on: us and jp turn on both postal-address-missing and sender-identity-missing.
const config: ResolvedConfig = mergeConfig(defaultConfig(), {
  esp: 'sendgrid',
  jurisdictions: ['us', 'jp'],
  sender: { name: 'Trailhead Supply Co.', unsubscribeUrl: 'https://trailhead.example.com/unsubscribe?t={{token}}' },
});

// The same with every rule on: rules that are off by default at their own severity would stay off,
// so each is set to warning (client-unsupported's partial support stays off, as by default).
const allRulesConfig: ResolvedConfig = { ...config, rules: Object.fromEntries(RULES.map((r) => [r.meta.id, r.meta.defaultSeverity === 'off' ? 'warning' : r.meta.defaultSeverity])) };

// Each side runs in a process of its own, as each runs in real life (the server never calls the
// library's parseDocument; the compile never shares a process with the linter), and the bench
// alternates the processes so drift hits both. No forced gc() between runs: measured, a full
// collection before each run made the next one up to ten times slower (the emptied heap grows
// back through many scavenges), which measures the forced collection, not the work.
function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function run(task: InprocTask): Sample[] {
  const kind: DocumentKind = task.task === 'mjml' ? 'mjml' : 'html';
  let work: (text: string, filePath: string) => unknown;
  const lintConfig = task.side === 'lintAll' ? allRulesConfig : config;
  if (task.side === 'lint' || task.side === 'lintAll') {
    work = (text, filePath) => lint({ text, kind, filePath, config: lintConfig, locale: 'en' });
  } else if (task.task === 'mjml') {
    // The full mjml compiler (a devDependency): what a save-time "compile to HTML" would cost.
    const mjml = require('mjml') as (text: string, options: Record<string, unknown>) => { html: string };
    work = (text) => mjml(text, { validationLevel: 'soft', keepComments: true });
  } else {
    // A bare htmlparser2 DOM parse with the library's defaults: reading the file once.
    work = (text) => parseDocument(text);
  }
  return task.files.map((f) => {
    const text = fs.readFileSync(f.path, 'utf8');
    for (let i = 0; i < f.warmup; i++) work(text, f.path);
    const ms: number[] = [];
    for (let i = 0; i < f.runs; i++) ms.push(time(() => work(text, f.path)));
    const findings = task.side !== 'base' ? lint({ text, kind, filePath: f.path, config: lintConfig, locale: 'en' }).findings.map((x) => `${x.ruleId}:${x.messageId}`) : [];
    return { sizeKB: f.sizeKB, bytes: Buffer.byteLength(text), ms, findings };
  });
}

const taskFile = process.argv[2];
if (!taskFile) {
  process.stderr.write('usage: inproc.js <task.json>\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify(run(JSON.parse(fs.readFileSync(taskFile, 'utf8')) as InprocTask)) + '\n');
