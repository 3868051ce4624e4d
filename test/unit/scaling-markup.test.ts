// Hostile markup must cost about linearly: each input is linted through the real linter at n and at
// 4n, and the 4n run must take under 12 times the n run (linear gives 4, quadratic 16) and stay
// within an absolute budget. The bounds are generous so a busy CI machine does not fail them; a
// quadratic path at these sizes misses both by far (100,000 nested tables took 55 s before the
// parser's stack was replaced, 100,000 nested unsubscribe links minutes).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import type { FileReader, LintResult } from '../../server/src/core/types';
import { linter } from '../../server/src/linter';

/** A reader that holds a few files in memory (partials, includes). */
function memoryReader(files: Record<string, string>): FileReader {
  return { readFile: (p: string) => files[p.replace(/\\/g, '/')] };
}

function lintTimed(filePath: string, text: string, reader?: FileReader): { ms: number; result: LintResult } {
  const started = performance.now();
  const result = linter.lint({ text, filePath, config: defaultConfig(), reader });
  return { ms: performance.now() - started, result };
}

/** Rule crashes and parse failures the engine turned into findings: none allowed. */
function internalFailures(result: LintResult): string[] {
  return result.findings.filter((f) => f.messageId === 'internal' || (f.ruleId === 'file-unreadable' && f.messageId === 'failed') || (f.ruleId === 'mjml-invalid' && f.messageId === 'parse')).map((f) => f.message);
}

interface Case {
  file: string;
  make: (n: number) => string;
  n: number;
  /** Milliseconds the 4n run may take at most. */
  budgetMs: number;
  /** What the 4n run's result must show, beyond "no internal failure". */
  check?: (result: LintResult) => void;
  files?: (n: number) => Record<string, string>;
}

function assertScales(name: string, c: Case): void {
  const reader = (n: number) => (c.files ? memoryReader(c.files(n)) : undefined);
  // Warm up (JIT, lazy loads such as mjml's validator) on a small input.
  lintTimed(c.file, c.make(Math.max(1, c.n / 50)), reader(Math.max(1, c.n / 50)));
  const small = lintTimed(c.file, c.make(c.n), reader(c.n));
  const large = lintTimed(c.file, c.make(4 * c.n), reader(4 * c.n));
  assert.deepEqual(internalFailures(small.result), [], `${name} at n`);
  assert.deepEqual(internalFailures(large.result), [], `${name} at 4n`);
  c.check?.(large.result);
  // Timer noise dominates runs of a few milliseconds: they count as 20.
  const ratio = large.ms / Math.max(small.ms, 20);
  assert.ok(ratio < 12, `${name}: ${small.ms.toFixed(0)} ms at n=${c.n}, ${large.ms.toFixed(0)} ms at 4n (x${ratio.toFixed(1)})`);
  assert.ok(large.ms < c.budgetMs, `${name}: ${large.ms.toFixed(0)} ms at 4n, budget ${c.budgetMs} ms`);
}

const UNSUB = '<a href="https://shop.example.com/unsubscribe?u=1">Unsubscribe</a>';
const page = (inner: string) => `<!DOCTYPE html><html><body><table role="presentation"><tr><td>${inner}</td></tr></table></body></html>`;
const ruleIds = (r: LintResult) => new Set(r.findings.map((f) => f.ruleId));

describe('markup scales about linearly on hostile input', () => {
  test('100,000 nested <div>s around an unsubscribe link', () =>
    assertScales('nested divs', {
      file: 'news.html',
      make: (n) => page(`${'<div style="font-size:100%">'.repeat(n)}${UNSUB}${'</div>'.repeat(n)}`),
      n: 25_000,
      budgetMs: 15_000,
      check: (r) => assert.ok(!ruleIds(r).has('unsubscribe-link-missing')),
    }));

  test('100,000 nested tables', () =>
    assertScales('nested tables', {
      file: 'news.html',
      make: (n) => `<html><body>${'<table><tr><td>'.repeat(n)}${UNSUB}${'</td></tr></table>'.repeat(n)}</body></html>`,
      n: 25_000,
      budgetMs: 20_000,
      check: (r) => assert.ok(!ruleIds(r).has('unsubscribe-link-missing')),
    }));

  test('end tags that match no open element, under 100,000 open ones', () =>
    assertScales('stray end tags', {
      file: 'news.html',
      make: (n) => page(`${'<div>'.repeat(n)}${'</span>'.repeat(n)}${UNSUB}`),
      n: 25_000,
      budgetMs: 15_000,
    }));

  test('<mj-section> nested 100,000 deep: mjml\'s problems, no stack overflow', () =>
    assertScales('nested mj-section', {
      file: 'news.mjml',
      make: (n) => `<mjml><mj-body>${'<mj-section>'.repeat(n)}<mj-column><mj-button href="https://shop.example.com/unsubscribe">Unsubscribe</mj-button></mj-column>${'</mj-section>'.repeat(n)}</mj-body></mjml>`,
      n: 25_000,
      budgetMs: 20_000,
      check: (r) => assert.ok(r.findings.some((f) => f.ruleId === 'mjml-invalid' && f.messageId !== 'parse')),
    }));

  test('mj-section nested 100,000 deep over 100,000 lines', () =>
    assertScales('nested mj-section, one a line', {
      file: 'news.mjml',
      make: (n) => `<mjml><mj-body>\n${'<mj-section foo="1">\n'.repeat(n)}${'</mj-section>\n'.repeat(n)}</mj-body></mjml>\n`,
      n: 25_000,
      budgetMs: 20_000,
    }));

  test('100,000 sibling unsubscribe links past Gmail\'s clipping point', () =>
    assertScales('sibling links', {
      file: 'news.html',
      make: (n) => page(`${UNSUB}\n`.repeat(n)),
      n: 25_000,
      budgetMs: 15_000,
      check: (r) => assert.ok(r.findings.some((f) => f.ruleId === 'unsubscribe-link-unusable' && f.messageId === 'clipped')),
    }));

  test('100,000 nested unsubscribe links, each hidden by a font size', () =>
    assertScales('nested links', {
      file: 'news.html',
      make: (n) => page(`<div style="font-size:0">${'<a href="https://shop.example.com/unsubscribe"><span style="font-size:50%">Unsubscribe '.repeat(n)}${'</span></a>'.repeat(n)}</div>`),
      n: 25_000,
      budgetMs: 15_000,
      check: (r) => assert.ok(r.findings.some((f) => f.ruleId === 'unsubscribe-link-unusable' && f.messageId === 'hidden')),
    }));

  test('100,000 nested MJML elements with an href', () =>
    assertScales('nested mj-wrapper links', {
      file: 'news.mjml',
      make: (n) => `<mjml><mj-body>${'<mj-wrapper href="https://shop.example.com/unsubscribe" font-size="0px">Unsubscribe '.repeat(n)}${'</mj-wrapper>'.repeat(n)}</mj-body></mjml>`,
      n: 25_000,
      budgetMs: 20_000,
    }));

  test('a body of 100,000 capitalised words (the address shapes)', () =>
    assertScales('capitalised words', {
      file: 'news.html',
      make: (n) => page(`${'Springfield Unsubscribe '.repeat(n)}`),
      n: 25_000,
      budgetMs: 15_000,
      check: (r) => assert.ok(ruleIds(r).has('postal-address-missing')),
    }));
});
