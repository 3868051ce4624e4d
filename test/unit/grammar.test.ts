// Tokenizes with the engine VS Code uses (vscode-textmate on Oniguruma) and the grammars exactly as
// package.json contributes them, injections included. VS Code's own HTML grammar is not in this
// repository, so a small stand-in plays text.html.basic: tags, quoted attribute values, comments.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type IRawGrammar, type StateStack } from 'vscode-textmate';

const root = path.resolve(__dirname, '..', '..');

interface GrammarContribution {
  scopeName: string;
  path: string;
  language?: string;
  injectTo?: string[];
}

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { grammars: GrammarContribution[] };
};
const contributed = manifest.contributes.grammars;

const htmlStandIn = {
  scopeName: 'text.html.basic',
  patterns: [
    { name: 'comment.block.html', begin: '<!--', end: '-->' },
    {
      name: 'meta.tag.html',
      begin: '(</?)([A-Za-z][A-Za-z0-9:-]*)',
      beginCaptures: { 1: { name: 'punctuation.definition.tag.begin.html' }, 2: { name: 'entity.name.tag.html' } },
      end: '/?>',
      endCaptures: { 0: { name: 'punctuation.definition.tag.end.html' } },
      patterns: [
        { name: 'entity.other.attribute-name.html', match: '[^\\s"\'<>/=]+' },
        { name: 'string.quoted.double.html', begin: '"', end: '"' },
        { name: 'string.quoted.single.html', begin: "'", end: "'" },
      ],
    },
  ],
};

const onigLib = (async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  return {
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  };
})();

const registry = new Registry({
  onigLib,
  async loadGrammar(scopeName): Promise<IRawGrammar | null> {
    if (scopeName === 'text.html.basic') return parseRawGrammar(JSON.stringify(htmlStandIn), 'html.json');
    const entry = contributed.find((g) => g.scopeName === scopeName);
    if (!entry) return null; // e.g. source.css: VS Code has it, this test does not need it
    const file = path.join(root, entry.path);
    return parseRawGrammar(readFileSync(file, 'utf8'), file);
  },
  getInjections: (scopeName) => contributed.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
});

interface Token {
  line: number;
  start: number;
  end: number;
  text: string;
  scopes: string[];
}

async function tokenize(scopeName: string, source: string): Promise<Token[]> {
  const grammar: IGrammar | null = await registry.loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} loads`);
  const tokens: Token[] = [];
  let state: StateStack = INITIAL;
  source.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    assert.equal(result.stoppedEarly, false, `line ${line} tokenized to the end`);
    for (const t of result.tokens) {
      tokens.push({ line, start: t.startIndex, end: t.endIndex, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** Tokens that cover the `nth` occurrence of `needle` (0-based) in `source`, which must exist. */
function tokensOf(tokens: Token[], source: string, needle: string, nth = 0): Token[] {
  const lines = source.split('\n');
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    let from = 0;
    for (;;) {
      const at = lines[line]!.indexOf(needle, from);
      if (at < 0) break;
      if (seen++ === nth) {
        const end = at + needle.length;
        const covering = tokens.filter((t) => t.line === line && t.start < end && t.end > at);
        assert.ok(covering.length > 0, `tokens for ${needle}`);
        return covering;
      }
      from = at + 1;
    }
  }
  assert.fail(`"${needle}" occurs fewer than ${nth + 1} times`);
}

const isMergeTag = (scope: string) => scope.startsWith('meta.merge-tag.');

function assertMergeTag(tokens: Token[], source: string, needle: string, nth = 0, inside?: string): void {
  for (const t of tokensOf(tokens, source, needle, nth)) {
    assert.ok(t.scopes.some(isMergeTag), `"${t.text}" of ${needle} (#${nth}) has a merge-tag scope: ${t.scopes.join(' ')}`);
    if (inside) assert.ok(t.scopes.includes(inside), `"${t.text}" of ${needle} (#${nth}) is inside ${inside}: ${t.scopes.join(' ')}`);
  }
  const name = needle.replace(/^\W+|\W+$/g, '');
  const nameTokens = tokensOf(tokens, source, name, 0).filter((t) => t.text.trim() !== '');
  assert.ok(
    nameTokens.some((t) => t.scopes.includes('variable.other.merge-tag.deliverlint')),
    `the name in ${needle} is a variable: ${nameTokens.map((t) => t.scopes.join(' ')).join(' | ')}`,
  );
}

function assertNoMergeTag(tokens: Token[], source: string, needle: string): void {
  for (const t of tokensOf(tokens, source, needle)) {
    assert.ok(!t.scopes.some(isMergeTag), `"${t.text}" of ${needle} is not a merge tag: ${t.scopes.join(' ')}`);
  }
}

const UNSUBSCRIBE_TAGS = [
  '*|UNSUB|*',
  '{{amazonSESUnsubscribeUrl}}',
  '<%asm_group_unsubscribe_raw_url%>',
  '%%unsub_center_url%%',
  '%unsubscribe_url%',
  '{{{ pm:unsubscribe }}}',
  '{{${set_user_to_unsubscribed_url}}}',
  '{% unsubscribe_link %}',
  '{{ unsubscribe_link }}',
];

test('the manifest wires the injection into HTML, Handlebars and MJML (ours and the official MJML extension\'s)', () => {
  const injection = contributed.find((g) => g.scopeName === 'deliverlint.merge-tags.injection');
  assert.ok(injection);
  assert.deepEqual([...(injection.injectTo ?? [])].sort(), ['text.html.basic', 'text.html.handlebars', 'text.mjml.basic', 'text.mjml.deliverlint']);
  const raw = JSON.parse(readFileSync(path.join(root, injection.path), 'utf8')) as { scopeName: string; injectionSelector: string };
  assert.equal(raw.scopeName, injection.scopeName);
  assert.match(raw.injectionSelector, /L:text\.html/);
  const mjml = contributed.find((g) => g.language === 'mjml');
  // Not text.mjml.basic, the official MJML extension's scope: two grammars under one scope name
  // replace each other in the editor's grammar registry.
  assert.equal(mjml?.scopeName, 'text.mjml.deliverlint');
});

for (const tag of UNSUBSCRIBE_TAGS) {
  test(`HTML: ${tag} is a merge tag in an href and in text`, async () => {
    const source = `<p>Stop: <a href="${tag}" class="u">unsubscribe</a> or paste ${tag} in a browser.</p>`;
    const tokens = await tokenize('text.html.basic', source);
    assertMergeTag(tokens, source, tag, 0, 'string.quoted.double.html');
    assertMergeTag(tokens, source, tag, 1);
    // The host grammar carries on after the tag: the rest of the attribute string and the next attribute.
    assert.ok(tokensOf(tokens, source, 'class').some((t) => t.scopes.includes('entity.other.attribute-name.html')));
    assert.ok(tokensOf(tokens, source, '</p>').some((t) => t.scopes.includes('entity.name.tag.html')));
  });

  test(`MJML: ${tag} is a merge tag in an mj-button href and in mj-text`, async () => {
    const source = [
      '<mj-column>',
      `  <mj-button href="${tag}" font-size="12px">Unsubscribe</mj-button>`,
      `  <mj-text><p>Or open ${tag}</p></mj-text>`,
      '</mj-column>',
    ].join('\n');
    const tokens = await tokenize('text.mjml.deliverlint', source);
    assertMergeTag(tokens, source, tag, 0, 'string.quoted.double.mjml');
    assertMergeTag(tokens, source, tag, 1, 'meta.embedded.block.html');
    assert.ok(tokensOf(tokens, source, 'font-size').some((t) => t.scopes.includes('entity.other.attribute-name.mjml')));
  });
}

test('Mailchimp conditionals, AMPscript blocks and Handlebars blocks are merge tags', async () => {
  const source = [
    '*|IF:FNAME|*Hi *|FNAME|*,*|ELSE:|*Hi,*|END:IF|*',
    '%%[ SET @u = RedirectTo(@unsubUrl) ]%% <a href="%%=RedirectTo(@u)=%%">x</a>',
    '{{#if first_name}}Hi {{first_name}}{{/if}} {%- if customer.name -%}{{ customer.name | upcase }}{% endif %}',
  ].join('\n');
  const tokens = await tokenize('text.html.basic', source);
  for (const needle of ['*|IF:FNAME|*', '*|END:IF|*', '%%[ SET @u = RedirectTo(@unsubUrl) ]%%', '%%=RedirectTo(@u)=%%', '{{#if first_name}}', '{{/if}}', '{%- if customer.name -%}']) {
    for (const t of tokensOf(tokens, source, needle)) assert.ok(t.scopes.some(isMergeTag), `${needle}: "${t.text}" ${t.scopes.join(' ')}`);
  }
  assert.ok(tokensOf(tokens, source, 'IF').some((t) => t.scopes.includes('keyword.control.deliverlint')));
  assert.ok(tokensOf(tokens, source, '@unsubUrl').some((t) => t.scopes.includes('variable.other.merge-tag.deliverlint')));
  assert.ok(tokensOf(tokens, source, 'RedirectTo').some((t) => t.scopes.includes('support.function.deliverlint')));
  assert.ok(tokensOf(tokens, source, 'endif').some((t) => t.scopes.includes('keyword.control.deliverlint')));
  // Text between tags is not swallowed.
  assertNoMergeTag(tokens, source, 'Hi,');
});

test('percent signs, URL escapes and CSS braces are not taken for merge tags', async () => {
  const source = [
    '<table width="100%" style="width:50%; height:50%"><tr><td>Save 20% today, 30% tomorrow</td></tr></table>',
    '<a href="https://example.com/?q=%E3%81%82%E3%81%84">jp</a>',
    '<style>@media screen{#outlook a{padding:0}}</style> after',
  ].join('\n');
  const tokens = await tokenize('text.html.basic', source);
  assertNoMergeTag(tokens, source, '100%');
  assertNoMergeTag(tokens, source, 'width:50%; height:50%');
  assertNoMergeTag(tokens, source, 'Save 20% today, 30% tomorrow');
  assertNoMergeTag(tokens, source, '%E3%81%82%E3%81%84');
  assertNoMergeTag(tokens, source, '{#outlook a{padding:0}}');
  for (const t of tokensOf(tokens, source, 'after')) assert.ok(!t.scopes.some((s) => s.startsWith('comment')), t.scopes.join(' '));
});

test('MJML: tags, attributes and closing tags get MJML scopes', async () => {
  const source = [
    '<mjml lang="ja">',
    '  <mj-body>',
    "    <mj-section css-class='footer'>",
    '      <mj-button href="https://example.com/unsubscribe"',
    '                 background-color="#000">配信停止</mj-button>',
    '      <mj-divider />',
    '    </mj-section>',
    '  </mj-body>',
    '</mjml>',
  ].join('\n');
  const tokens = await tokenize('text.mjml.deliverlint', source);
  for (const name of ['mjml', 'mj-body', 'mj-section', 'mj-divider']) {
    assert.ok(tokensOf(tokens, source, name).some((t) => t.text === name && t.scopes.includes('entity.name.tag.mjml')), name);
  }
  const buttons = [0, 1].map((nth) => tokensOf(tokens, source, 'mj-button', nth));
  for (const b of buttons) assert.ok(b.some((t) => t.text === 'mj-button' && t.scopes.includes('entity.name.tag.mjml')), 'mj-button is an MJML tag');
  assert.ok(tokensOf(tokens, source, 'background-color').some((t) => t.scopes.includes('entity.other.attribute-name.mjml')));
  assert.ok(tokensOf(tokens, source, '"#000"').every((t) => t.scopes.includes('string.quoted.double.mjml')));
  assert.ok(tokensOf(tokens, source, "'footer'").every((t) => t.scopes.includes('string.quoted.single.mjml')));
  assert.ok(tokensOf(tokens, source, '配信停止').every((t) => t.scopes.includes('meta.embedded.block.html')));
  // After the button's body ends, MJML tags are MJML again, not embedded HTML.
  assert.ok(tokensOf(tokens, source, 'mj-divider').every((t) => !t.scopes.includes('meta.embedded.block.html')));
});

test('MJML: HTML inside mj-text stays embedded across lines and closing HTML tags', async () => {
  const source = [
    '<mj-text align="center">',
    '  <p>Line one</p>',
    '  <p>Line <b>two</b></p>',
    '</mj-text><mj-raw><table><tr><td>raw</td></tr></table></mj-raw><mj-text></mj-text><mj-spacer />',
    '<!-- <mj-button href="x">commented out</mj-button> -->',
  ].join('\n');
  const tokens = await tokenize('text.mjml.deliverlint', source);
  for (const needle of ['p', 'b', 'table', 'td']) {
    assert.ok(
      tokensOf(tokens, source, `<${needle}>`).some((t) => t.scopes.includes('entity.name.tag.html') && t.scopes.includes('meta.embedded.block.html')),
      `<${needle}> is HTML inside the MJML body`,
    );
  }
  assert.ok(tokensOf(tokens, source, 'two').every((t) => t.scopes.includes('meta.embedded.block.html')));
  for (const nth of [0, 1]) {
    const close = tokensOf(tokens, source, 'mj-text>', nth).find((t) => t.text === 'mj-text');
    assert.ok(close?.scopes.includes('entity.name.tag.mjml'), `mj-text #${nth}`);
  }
  const spacer = tokensOf(tokens, source, 'mj-spacer').find((t) => t.text === 'mj-spacer');
  assert.ok(spacer?.scopes.includes('entity.name.tag.mjml') && !spacer.scopes.includes('meta.embedded.block.html'), 'mj-spacer after an empty mj-text');
  assert.ok(tokensOf(tokens, source, 'commented out').every((t) => t.scopes.includes('comment.block.mjml')));
});

test('MJML: mj-style holds CSS and mj-include keeps its attributes', async () => {
  const source = [
    '<mj-head>',
    '  <mj-include path="./partials/footer.mjml" />',
    '  <mj-style inline="inline">',
    '    .footer a { color: {{brand_color}}; }',
    '  </mj-style>',
    '</mj-head>',
  ].join('\n');
  const tokens = await tokenize('text.mjml.deliverlint', source);
  assert.ok(tokensOf(tokens, source, 'mj-include').some((t) => t.scopes.includes('entity.name.tag.mjml')));
  assert.ok(tokensOf(tokens, source, '"./partials/footer.mjml"').every((t) => t.scopes.includes('string.quoted.double.mjml')));
  assert.ok(tokensOf(tokens, source, '.footer a').every((t) => t.scopes.includes('meta.embedded.block.css')));
  assertMergeTag(tokens, source, '{{brand_color}}', 0, 'meta.embedded.block.css');
  const close = tokensOf(tokens, source, '</mj-style>').find((t) => t.text === 'mj-style');
  assert.ok(close?.scopes.includes('entity.name.tag.mjml') && !close.scopes.includes('meta.embedded.block.css'));
});
