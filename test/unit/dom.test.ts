// parseDom (server/src/core/parse/dom.ts) builds domhandler nodes with plain constructors, for
// speed. It must build exactly what htmlparser2's parseDocument builds: same prototypes, same own
// properties in the same order, same values, same tree. Compared node by node on every template
// fixture, the examples, a generated newsletter and inputs that exercise the parser's corners.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseDocument } from 'htmlparser2';
import type { AnyNode } from 'domhandler';
import { parseDom, type DomOptions } from '../../server/src/core/parse/dom';
import { htmlTemplate, mjmlTemplate } from '../../bench/generate';

const ROOT = resolve(__dirname, '..', '..');

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return templates(p);
    return /\.(?:html?|mjml|hbs|eml)$/.test(name) ? [p] : [];
  });
}

/** Walks both trees together (iteratively) and fails at the first difference, naming where. */
function assertSameTree(expected: AnyNode, actual: AnyNode, label: string): number {
  const index = new Map<AnyNode, number>();
  const order: AnyNode[] = [];
  const collect = (root: AnyNode) => {
    const stack = [root];
    while (stack.length) {
      const n = stack.pop()!;
      index.set(n, order.length);
      order.push(n);
      const children = 'children' in n ? n.children : [];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  };
  const pairs: Array<[AnyNode, AnyNode]> = [[expected, actual]];
  collect(expected);
  const expectedOrder = order.splice(0);
  const expectedIndex = new Map(index);
  index.clear();
  collect(actual);
  const actualOrder = order;
  assert.equal(actualOrder.length, expectedOrder.length, `${label}: node count`);
  for (let i = 0; i < expectedOrder.length; i++) pairs.push([expectedOrder[i]!, actualOrder[i]!]);
  const ref = (n: unknown, map: Map<AnyNode, number>) => (n === null || n === undefined ? n : map.get(n as AnyNode));
  for (const [e, a] of pairs) {
    const where = `${label}: node ${ref(e, expectedIndex)} (${e.type}${'name' in e ? ` <${e.name}>` : ''} at ${e.startIndex})`;
    assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(e), `${where}: prototype`);
    assert.deepEqual(Object.keys(a), Object.keys(e), `${where}: own properties`);
    for (const key of Object.keys(e)) {
      const ev = (e as unknown as Record<string, unknown>)[key];
      const av = (a as unknown as Record<string, unknown>)[key];
      if (key === 'parent' || key === 'prev' || key === 'next') assert.equal(ref(av, index), ref(ev, expectedIndex), `${where}: ${key}`);
      else if (key === 'children') assert.deepEqual((av as AnyNode[]).map((c) => ref(c, index)), (ev as AnyNode[]).map((c) => ref(c, expectedIndex)), `${where}: children`);
      else if (key === 'attribs') assert.deepEqual(Object.entries(av as object), Object.entries(ev as object), `${where}: attribs`);
      else assert.equal(av, ev, `${where}: ${key}`);
    }
  }
  return expectedOrder.length;
}

const OPTION_SETS: DomOptions[] = [
  { withStartIndices: true, withEndIndices: true, recognizeSelfClosing: false, lowerCaseAttributeNames: true },
  { withStartIndices: true, withEndIndices: true, recognizeSelfClosing: true, lowerCaseAttributeNames: true },
  {},
];

const CORNERS: Record<string, string> = {
  'script and style': '<html><head><style>td{color:red}</style><script>if (a < b) { x = "</p>" }</script></head><body><p>x</p></body></html>',
  'conditional comments': '<!--[if mso]><table><tr><td><![endif]--><!--[if !mso]><!-- --><a href="#">x</a><!--<![endif]-->',
  'entities split text': '<p>Caf&eacute; &amp; bar &#x1F600; &unknown; &lt;b&gt;</p>',
  'unclosed and stray tags': '<table><tr><td>a<td>b</tr><p>c<p>d</div></span><br/><img src=x alt="y"></table>',
  'cdata, pi, doctype': '<?xml version="1.0"?><!DOCTYPE html><![CDATA[ raw ]]><svg><![CDATA[ a ]]></svg><p>t</p>',
  'mixed case attributes': '<A HREF="https://x.example" Title="T" data-X=1>Link</A><IMG SRC=y>',
  'comments back to back': '<!-- a --><!-- b -->text<!---->tail<!-- unterminated',
  'merge tags': '<p>{{#if member}}Hi {{first_name}}{{/if}} *|UNSUB|* <%asm_group_unsubscribe_raw_url%> {% if x %}y{% endif %}</p>',
  // The tokenizer runs without decoding; parseDom decodes texts and values itself, in the tokenizer's modes.
  'entities: legacy and numeric forms in text': '<p>&copy 2026 &amp&notit; &notin; &#128;&#x80; &#0; &#xD800; &#1114112; &AMP; &#65&#x41 tail &am</p><p>&</p><p>a&amp</p>',
  'entities in attribute values': '<a href="https://x.example/?a=1&amp;b=2&copy=3&notit=4&lt=5" title=\'&quot;Q&quot;\' data-x=a&amp;b alt="&#x3C;img&#62;" class=&>x</a><img alt="Caf&eacute" src="a&b">',
  'entities in raw-text and RCDATA elements': '<head><title>A &amp; B &lt;</title><style>a::after{content:"&amp;"}</style><script>x = "&amp;" && y</script></head><body><textarea>&lt;p&gt; &amp</textarea><xmp>&amp;</xmp><iframe>&amp;</iframe><noembed>&amp;</noembed><noframes>&amp;</noframes><noscript>&amp;</noscript><p>&amp;</p><plaintext>&amp; <b>&lt;</b></body>',
  'entities around tags and comments': 'a&amp;<b>&lt;</b>&amp<!-- &amp; -->&gt;<br/>&#x4E2D;&#25991;',
  'entities in svg and math': '<svg><title>&amp;</title><style>&amp;</style><text>&lt;</text></svg><math><mi>&pi;</mi></math><p>&hearts;</p>' +
    '<svg><foreignObject><style>&amp;</style><p>&amp;</p></foreignObject><desc><script>&amp;</script></desc><style>&lt;</style></svg><math><mi><xmp>&amp;</xmp></mi><style>&amp;</style></math><style>&amp;</style>',
  'entities after a self-closed raw-text tag': '<p>a</p><script/>&amp;<style/>&lt;<p>&gt;</p>',
  'entities in mixed-case raw-text tags': '<SCRIPT>&amp;</SCRIPT><Style>&amp;</Style><TiTlE>&amp;</TiTlE>',
  empty: '',
  'text only': 'just text, no markup',
};

describe('parseDom builds the same DOM as parseDocument', () => {
  const files = [...templates(join(ROOT, 'test', 'fixtures')), ...templates(join(ROOT, 'examples'))];

  test(`${files.length} fixture and example files, three option sets`, () => {
    assert.ok(files.length > 20, 'fixtures found');
    let nodes = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const options of OPTION_SETS) nodes += assertSameTree(parseDocument(text, options), parseDom(text, options), file);
    }
    assert.ok(nodes > 1000);
  });

  test('generated newsletters (HTML and MJML)', () => {
    const inputs = [htmlTemplate({ bytes: 60_000, seed: 3, esp: 'mailchimp', withProblems: true }), htmlTemplate({ bytes: 30_000, seed: 4, japanese: true }), mjmlTemplate(40_000)];
    for (const text of inputs) for (const options of OPTION_SETS) assertSameTree(parseDocument(text, options), parseDom(text, options), 'generated');
  });

  for (const [name, text] of Object.entries(CORNERS)) {
    test(name, () => {
      for (const options of OPTION_SETS) assertSameTree(parseDocument(text, options), parseDom(text, options), name);
    });
  }

  test('refuses xmlMode, which it does not implement', () => {
    assert.throws(() => parseDom('<a/>', { xmlMode: true }), /HTML-mode/);
  });
});
