// The HCL reader (server/src/core/parse/infra/hcl.ts): what it reads with positions, what it
// leaves as unknown, and hostile input (deep nesting, unterminated strings and heredocs) in
// linear time without throwing.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHcl } from '../../server/src/core/parse/infra/hcl';
import { get, str } from '../../server/src/core/parse/infra/tree';
import { defaultConfig } from '../../server/src/core/config';
import { linter } from '../../server/src/linter';

const SAMPLE = `# comment
// another
/* block
   comment */
resource "aws_sesv2_configuration_set" "main" {
  configuration_set_name = "news"
  tags = { team = "mail", "cost-center" = 42 }
  policy = <<-EOT
    {"Version": "2012-10-17"}
  EOT
  name_prefix = "\${var.env}-news"
  count = var.enabled ? 1 : 0
  list = ["A", "B",
    "C", # trailing
  ]
  reputation_options {
    reputation_metrics_enabled = true
  }
}
`;

describe('HCL reader', () => {
  test('blocks, labels, attributes and literal values with their offsets', () => {
    const { blocks, problems } = parseHcl(SAMPLE);
    assert.deepEqual(problems, []);
    assert.equal(blocks.length, 1);
    const b = blocks[0]!;
    assert.deepEqual([b.type, ...b.labels], ['resource', 'aws_sesv2_configuration_set', 'main']);
    const name = get(b.body, 'configuration_set_name')!;
    assert.equal(str(name), 'news');
    assert.equal(SAMPLE.slice(name.start, name.end), '"news"');
    assert.equal(str(get(b.body, 'tags', 'cost-center')), '42');
    const list = get(b.body, 'list')!;
    assert.equal(list.t, 'list');
    assert.deepEqual(list.t === 'list' && list.items.map(str), ['A', 'B', 'C']);
    const rep = get(b.body, 'reputation_options', 'reputation_metrics_enabled')!;
    assert.equal(rep.t === 'scalar' && rep.value, true);
    assert.equal(SAMPLE.slice(rep.start, rep.end), 'true');
  });

  test('computed values are unknown, with their text', () => {
    const b = parseHcl(SAMPLE).blocks[0]!;
    for (const key of ['policy', 'name_prefix', 'count']) assert.equal(get(b.body, key)?.t, 'unknown', key);
    const count = get(b.body, 'count')!;
    assert.equal(count.t === 'unknown' && count.ref, 'var.enabled ? 1 : 0');
  });

  test('broken input gives problems, never an exception', () => {
    for (const text of ['resource "a" "b" {\n  x = "unterminated\n}\n', 'x = <<EOT\nnever closed\n', 'resource "a" {', '}}}}', '= = =', 'a b c\n', 'x = [1, 2', 'x = {a = ']) {
      assert.doesNotThrow(() => parseHcl(text), text);
    }
  });
});

describe('hostile HCL stays linear', () => {
  const time = (f: () => void) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const best = (f: () => void) => Math.min(time(f), time(f), time(f));

  test('100,000 nested blocks and brackets: a problem, no stack overflow', () => {
    const blocks = `${'a {\n'.repeat(100_000)}${'}\n'.repeat(100_000)}`;
    assert.ok(parseHcl(blocks).problems.length >= 1);
    const lists = `x = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    assert.doesNotThrow(() => parseHcl(lists));
    const r = linter.lint({ text: `resource "sendgrid_event_webhook" "w" {\n  ${'a {\n'.repeat(50_000)}`, filePath: '/ws/main.tf', config: defaultConfig() });
    assert.ok(r.findings.every((f) => f.ruleId === 'send-config-invalid'));
  });

  test('n against 4n: nesting, unterminated strings and heredocs, many resources', () => {
    const shapes: Array<(n: number) => string> = [
      (n) => `x = ${'['.repeat(n)}${']'.repeat(n)}\n`,
      (n) => `${'b {\n'.repeat(Math.min(n, 200))}${'}\n'.repeat(Math.min(n, 200))}${'y = "open\n'.repeat(n)}`,
      (n) => `x = <<EOT\n${'line\n'.repeat(n)}`,
      (n) => `x = "${'${'.repeat(n)}\n`,
      (n) => Array.from({ length: n / 10 }, (_, i) => `resource "sendgrid_event_webhook" "w${i}" {\n  bounce = false\n  url = "https://example.com/\${var.x}"\n}\n`).join(''),
    ];
    for (const make of shapes) {
      const small = make(20_000);
      const big = make(80_000);
      parseHcl(small);
      const a = best(() => parseHcl(small));
      const b = best(() => parseHcl(big));
      assert.ok(b < a * 8 + 20, `${make.toString().slice(0, 60)}: n ${a.toFixed(1)} ms, 4n ${b.toFixed(1)} ms`);
    }
  });
});
