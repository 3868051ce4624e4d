// validateMjml builds the tree mjml's validator reads itself (buildMjmlTree in
// server/src/core/parse/mjml.ts) instead of calling mjml-parser-xml, and runs the validator's rules
// itself. Here mjml-parser-xml and mjml-validator, called as they were before, are the reference:
// the same tree (lines, tags, attributes in order, booleans, contents, the root chosen), the same
// error when there is no tree, and the same problems in the same order, on every MJML fixture and
// example, generated templates and a generated corpus, and every prefix of inputs that exercise
// the parser's corners.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { buildMjmlTree, validateMjml, type MjmlNode } from '../../server/src/core/parse/mjml';
import table from '../../server/src/core/parse/mjml-components.json';
import { mjmlCorpusFiles, mjmlTemplate } from '../../bench/generate';

const ROOT = resolve(__dirname, '..', '..');

const parse = require('mjml-parser-xml') as (xml: string, options: Record<string, unknown>) => MjmlNode;
const validator = require('mjml-validator') as typeof import('mjml-validator');
const { initializeType } = require('mjml-core/lib/types/type') as { initializeType: unknown };

const components: Record<string, unknown> = {};
for (const [name, c] of Object.entries(table.components)) {
  components[name] = { allowedAttributes: c.allowedAttributes, endingTag: c.endingTag, getTagName: () => name };
}
const revived: Record<string, Array<string | RegExp>> = {};
for (const [parent, children] of Object.entries(table.dependencies as Record<string, Array<string | { pattern: string; flags: string }>>)) {
  revived[parent] = children.map((c) => (typeof c === 'string' ? c : new RegExp(c.pattern, c.flags)));
}
const dependencies = validator.assignDependencies({}, validator.dependencies, revived);

/** What validateMjml did before: mjml-parser-xml, then mjml-validator with mjml's own type checkers. */
function reference(text: string): { tree: MjmlNode; problems: unknown[] } {
  const tree = parse(text, { components, keepComments: false, ignoreIncludes: true });
  const problems = validator.default(tree, { components, dependencies, initializeType }).map((e) => ({ line: e.line, tagName: e.tagName, message: e.message.trim() }));
  return { tree, problems };
}

/** Every node in document order, attributes as JSON so their order counts. */
function flatten(node: MjmlNode, out: unknown[] = [], depth = 0): unknown[] {
  out.push({
    depth,
    line: node.line,
    tagName: node.tagName,
    attributes: JSON.stringify(node.attributes),
    content: node.content,
    file: node.file,
    absoluteFilePath: node.absoluteFilePath,
    includedIn: node.includedIn,
    children: node.children?.length ?? 'none',
  });
  for (const c of node.children ?? []) flatten(c, out, depth + 1);
  return out;
}

function outcome(fn: () => unknown): unknown {
  try {
    return { value: fn() };
  } catch (err) {
    return { error: err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err) };
  }
}

function assertSame(text: string, label: string): void {
  const ref = outcome(() => reference(text)) as { value?: { tree: MjmlNode; problems: unknown[] }; error?: string };
  const ours = outcome(() => flatten(buildMjmlTree(text))) as { value?: unknown[]; error?: string };
  if (ref.error !== undefined) {
    assert.equal(ours.error, ref.error, `${label}: mjml-parser-xml threw`);
    assert.equal((outcome(() => validateMjml(text)) as { error?: string }).error, ref.error, `${label}: validateMjml's error`);
    return;
  }
  assert.deepEqual(ours.value, flatten(ref.value!.tree), `${label}: tree`);
  assert.deepEqual(validateMjml(text), ref.value!.problems, `${label}: problems`);
}

function mjmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return mjmlFiles(p);
    return name.endsWith('.mjml') ? [p] : [];
  });
}

test('fixtures and examples: the same tree and problems as mjml-parser-xml and mjml-validator', () => {
  const files = [...mjmlFiles(join(ROOT, 'test', 'fixtures')), ...mjmlFiles(join(ROOT, 'examples'))];
  assert.ok(files.length >= 3);
  for (const f of files) assertSame(readFileSync(f, 'utf8'), f);
});

test('generated templates and a generated corpus with problems', () => {
  for (const seed of [1, 2, 3]) assertSame(mjmlTemplate(40_000, seed), `mjml ${seed}`);
  const corpus = mjmlCorpusFiles({ templates: 60 }, 5).filter((f) => f.rel.endsWith('.mjml'));
  let problems = 0;
  for (const f of corpus) {
    assertSame(f.text, f.rel);
    problems += validateMjml(f.text).length;
  }
  assert.ok(problems > 0, 'the corpus has some invalid MJML');
});

const CORNERS = `<mjml>
  <mj-head>
    <mj-title>A <b>bold</b> title</mj-title>
    <mj-attributes><mj-all padding="0" /><mj-class name="x" color="red" /></mj-attributes>
    <mj-style inline="inline">a > b { color: red; } </mj-style>
    <mj-raw><meta name="x"></mj-raw>
  </mj-head>
  <MJ-BODY Width="600px" data-x>
    <!-- a comment <mj-text> -->
    <mj-include path="./x.mjml" />
    <mj-include path="./y.mjml"></mj-include>
    <mj-section full-width="true" padding="10" text-align="false" css-class="a b">
      text between <mj-column width="50%">
        <mj-text>  <p>Hi <mj-text nested="1">inner</mj-text> <br> there</p>  </mj-text>
        <mj-text />
        <mj-button href="x" align="centre" colour="#fff">Go</mj-button>
        <mj-image src="a.png" alt="A">
        <![CDATA[ <mj-text> ]]>
        <mj-unknown foo="bar">text</mj-unknown>
        <mj-raw>{{#if member}}</mj-raw><mj-spacer height="10px"></mj-spacer><mj-raw>{{/if}}</mj-raw>
      </mj-column>
      </mj-text>
    </mj-section>
    <mj-column><mj-section></mj-section></mj-column>
  </MJ-BODY>
</mjml>
<mj-body>after the root</mj-body>
`;

// Every kind of problem the validator reports, several on one element.
const INVALID = `<mjml>
  <mj-head>
    <mj-attributes><mj-text padding="x" /><mj-all font-family="a" /><mj-bogus /></mj-attributes>
    <mj-title>t</mj-title>
    <mj-text>text in the head</mj-text>
  </mj-head>
  <mj-body width="600" background-color="notacolor" foo="1" bar="2">
    <mj-all padding="0" />
    <mj-section padding="10px 5" border-radius="4px" text-align="middle" direction="ltr" full-width="yes">
      <mj-text color="#zzz" font-size="16" line-height="1.5" align="centre" padding="1px 2px 3px 4px 5px">x</mj-text>
      <mj-column width="120%" vertical-align="center" padding-top="a"><mj-section /><mj-hero /></mj-column>
      <mj-column><mj-image src="a" width="auto" height="auto" fluid-on-mobile="maybe" /><mj-divider border-width="1" /></mj-column>
      <mj-wrapper><mj-section /></mj-wrapper>
      <mj-button href="x" inner-padding="1px" border-radius="50%" width="100%" colour="red" Align="left">b</mj-button>
    </mj-section>
    <mj-social><mj-social-element name="facebook" icon-size="2" /><mj-text>no</mj-text></mj-social>
    <mj-navbar><mj-navbar-link href="x" /></mj-navbar>
    <mj-accordion><mj-accordion-element><mj-accordion-title>t</mj-accordion-title></mj-accordion-element></mj-accordion>
    <mj-carousel><mj-carousel-image src="a" /><mj-column /></mj-carousel>
    <mj-spacer height="ten" /><mj-table width="1"><tr><td>x</td></tr></mj-table>
  </mj-body>
</mjml>
`;

test('every kind of problem: the same problems in the same order', () => {
  assert.ok(reference(INVALID).problems.length >= 20);
  assertSame(INVALID, 'invalid');
});

test('every prefix of inputs at the parser corners', () => {
  for (const snippet of [CORNERS, INVALID, '<mj-text>only an ending tag</mj-text>', 'text only, no tag', '<mjml><mj-body><mj-section><mj-column><mj-text>x</mj-column></mj-body>']) {
    for (let cut = 0; cut <= snippet.length; cut++) assertSame(snippet.slice(0, cut), `prefix ${cut} of ${JSON.stringify(snippet.slice(0, 30))}`);
  }
});

test('deep nesting and stray end tags: the same tree and problems (parserStack.ts, the validator without recursion)', () => {
  const deep = `<mjml><mj-body>${'<mj-wrapper><mj-section><mj-column>'.repeat(300)}<mj-text>x</mj-text>${'</mj-column></mj-section>'.repeat(150)}</mj-text></mj-hero></mj-body></mj-body>\n<mj-section></mj-wrapper>`;
  assertSame(deep, 'deep');
});
