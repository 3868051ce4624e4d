// Hostile markup must cost about linearly: each input is linted through the real linter at n and at
// 4n, and the 4n run must take under 12 times the n run (linear gives 4, quadratic 16) and stay
// within an absolute budget. The bounds are generous so a busy CI machine does not fail them; a
// quadratic path at these sizes misses both by far (100,000 nested tables took 55 s before the
// parser's stack was replaced, 100,000 nested unsubscribe links minutes).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { findProbableUnsubscribeVariable } from '../../server/src/core/detect/unsubscribe';
import { parseTemplate } from '../../server/src/core/parse/template';
import type { LintResult } from '../../server/src/core/types';
import { linter } from '../../server/src/linter';

function lintTimed(filePath: string, text: string): { ms: number; result: LintResult } {
  const started = performance.now();
  const result = linter.lint({ text, filePath, config: defaultConfig() });
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
}

function assertScales(name: string, c: Case): void {
  // Warm up (JIT, lazy loads such as mjml's validator) on a small input.
  lintTimed(c.file, c.make(Math.max(1, c.n / 50)));
  let small = lintTimed(c.file, c.make(c.n));
  let large = lintTimed(c.file, c.make(4 * c.n));
  assert.deepEqual(internalFailures(small.result), [], `${name} at n`);
  assert.deepEqual(internalFailures(large.result), [], `${name} at 4n`);
  c.check?.(large.result);
  // Timer noise dominates runs of a few milliseconds: they count as 20.
  const ratioOf = () => large.ms / Math.max(small.ms, 20);
  if (ratioOf() >= 12 || large.ms >= c.budgetMs) {
    // One reading can take a major collection or a core busy with other work: measure both sizes
    // once more and keep the faster run of each. A quadratic input stays sixteen times slower.
    const again = lintTimed(c.file, c.make(c.n));
    if (again.ms < small.ms) small = again;
    const againLarge = lintTimed(c.file, c.make(4 * c.n));
    if (againLarge.ms < large.ms) large = againLarge;
  }
  const ratio = ratioOf();
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

  test('100,000 comments naming an unsubscribe variable (the probable-variable search skips comments)', () =>
    assertScales('comments with a variable', {
      file: 'news.html',
      make: (n) => page('<!-- ${unsubscribe_url} -->\n'.repeat(n)),
      n: 25_000,
      budgetMs: 15_000,
      check: (r) => assert.ok(r.findings.some((f) => f.ruleId === 'unsubscribe-link-missing' && f.messageId === 'missing')),
    }));

  test('100,000 attributes on one tag', () =>
    assertScales('attributes', {
      file: 'news.html',
      make: (n) => page(`<a ${Array.from({ length: n }, (_, i) => `data-x${i}="v"`).join(' ')} href="https://shop.example.com/unsubscribe">Unsubscribe</a>`),
      n: 25_000,
      budgetMs: 10_000,
      check: (r) => assert.ok(!ruleIds(r).has('unsubscribe-link-missing')),
    }));

  test('100,000 repeats of attributes on one tag', () =>
    assertScales('repeated attributes', {
      file: 'news.html',
      make: (n) => page(`<a ${Array.from({ length: n }, (_, i) => `data-x${i % 50}="v${i}"`).join(' ')} href="https://shop.example.com/unsubscribe">Unsubscribe</a>`),
      n: 25_000,
      budgetMs: 10_000,
      check: (r) => assert.ok(ruleIds(r).has('attribute-duplicate')),
    }));

  test('100,000 merge tags, closed and unclosed', () =>
    assertScales('merge tags', {
      file: 'news.hbs',
      make: (n) => page(`${'{{first_name}} {{#if vip}}{{ half '.repeat(n)}${UNSUB}`),
      n: 25_000,
      budgetMs: 10_000,
    }));

  test('100,000 attribute values opening a template tag that nothing closes', () =>
    assertScales('openers in values', {
      file: 'news.html',
      make: (n) => page(`${'<a href="{{x" title="{%y">z</a>\n'.repeat(n)}${UNSUB}`),
      n: 25_000,
      budgetMs: 15_000,
    }));

  test('a single line of 1 MB', () =>
    assertScales('one long line', {
      file: 'news.html',
      make: (n) => page(`${'<span style="color:#333">word </span>'.repeat(n / 8)}${'x'.repeat(n)}${UNSUB}`),
      n: 256 * 1024,
      budgetMs: 10_000,
    }));

  test('100,000 partial includes that cannot be followed', () =>
    assertScales('includes', {
      file: 'news.hbs',
      make: (n) => page(`${Array.from({ length: n }, (_, i) => `{{> part${i}}}`).join('\n')}${UNSUB}`),
      n: 25_000,
      budgetMs: 15_000,
    }));

  test('100,000 mj-include tags', () =>
    assertScales('mj-includes', {
      file: 'news.mjml',
      make: (n) => `<mjml><mj-body>${'<mj-include path="./footer.mjml" />\n'.repeat(n)}</mj-body></mjml>`,
      n: 25_000,
      budgetMs: 15_000,
    }));

  test('a message of 20,000 MIME parts', () =>
    assertScales('MIME parts', {
      file: 'news.eml',
      make: (n) => `From: news@shop.example.com\r\nTo: a@x.example\r\nSubject: Hi\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${'--b\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n'.repeat(n)}--b--\r\n`,
      n: 5_000,
      budgetMs: 20_000,
    }));
});

test('a link with more than 32 links open inside it misses the innermost ones\' text, the rest is kept', () => {
  const model = parseTemplate(`<body>${Array.from({ length: 40 }, (_, i) => `<a href="/l${i}"><b>t${i} `).join('')}${'</b></a>'.repeat(40)}<a href="/last">Last</a></body>`, 'html');
  assert.equal(model.links.length, 41);
  // The outermost link stopped collecting when the 33rd opened inside it.
  assert.equal(model.links[0]!.text, Array.from({ length: 32 }, (_, i) => `t${i}`).join(' '));
  assert.equal(model.links[39]!.text, 't39');
  assert.equal(model.links[8]!.text, Array.from({ length: 32 }, (_, i) => `t${i + 8}`).join(' '));
  assert.equal(model.links[40]!.text, 'Last');
});

test('the probable-variable search skips comments given in any order', () => {
  const text = 'a ${unsubscribe_url} b ${unsubscribe_url} c ${unsubscribe_url}';
  const at = [...text.matchAll(/\$\{unsubscribe_url\}/g)].map((m) => m.index!);
  const comment = (i: number) => ({ start: at[i]! - 1, end: at[i]! + 5 });
  assert.equal(findProbableUnsubscribeVariable(text, [comment(1), comment(0)])?.start, at[2]);
  assert.equal(findProbableUnsubscribeVariable(text, [comment(2), comment(0)])?.start, at[1]);
  // One range covering several matches, and a range inside it.
  assert.equal(findProbableUnsubscribeVariable(text, [{ start: 0, end: at[1]! + 1 }, { start: 3, end: 4 }])?.start, at[2]);
  assert.equal(findProbableUnsubscribeVariable(text, [])?.start, at[0]);
});

describe('client-unsupported scans CSS about linearly on hostile input', () => {
  const email = (head: string, inner: string) => `<!DOCTYPE html><html lang="en"><head>${head}</head><body><table role="presentation"><tr><td>${inner}${UNSUB}</td></tr></table></body></html>`;
  test('many <style> blocks, each with an unclosed comment and an unclosed string', () =>
    assertScales('unclosed css comments', {
      file: 'news.html',
      make: (n) => email('<style>.a { float: left; /* </style><style>.b { content: "x </style>'.repeat(n), ''),
      n: 20_000,
      budgetMs: 15_000,
      check: (r) => assert.ok(ruleIds(r).has('client-unsupported')),
    }));
  test('one <style> block of declarations with no end, calls and braces', () =>
    assertScales('css without ends', {
      file: 'news.html',
      make: (n) => email(`<style>.a { ${'x: calc( {{ y '.repeat(n)}</style>`, '<p style="position: relative">x</p>'),
      n: 20_000,
      budgetMs: 15_000,
      check: (r) => assert.ok(ruleIds(r).has('client-unsupported')),
    }));
  test('a style attribute of 100,000 declarations, and 100,000 styled elements', () =>
    assertScales('many declarations', {
      file: 'news.html',
      make: (n) => email('', `<p style="${'position: absolute; width: calc(1px + 2px); '.repeat(n)}">x</p>${'<span style="float: left; min-width: 3px">y</span>'.repeat(n)}`),
      n: 25_000,
      budgetMs: 15_000,
      check: (r) => assert.ok(ruleIds(r).has('client-unsupported')),
    }));
});
