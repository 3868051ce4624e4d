// The accessibility facts the builder collects (parse/template/a11y.ts) and the judgements the
// accessibility rules build on them: which tables hold data, what a spacer is, which language or
// direction a text has, WCAG's contrast ratio. The rules' own behaviour is in their fixtures.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig, mergeConfig } from '../../server/src/core/config';
import { parseTemplate, tagAttributes, tagHasTemplateAttributes } from '../../server/src/core/parse/template';
import { rightToLeftScript } from '../../server/src/rules/html-dir-missing';
import { langFix } from '../../server/src/rules/html-lang-missing';
import { isSpacer } from '../../server/src/rules/img-alt-missing';
import { contrast, paint } from '../../server/src/rules/text-contrast-low';
import { linter } from '../../server/src/linter';

describe('a11y facts', () => {
  test('a header cell marks its own table as data, not the layout table around it', () => {
    const m = parseTemplate('<html><body><table width="600"><tr><td><table><tr><th>Item</th></tr></table></td></tr><tr><td><table cellpadding="0"><tr><td>x</td></tr></table></td></tr></table></body></html>', 'html');
    assert.deepEqual(m.a11y.tables.map((t) => t.data), [false, true, false]);
  });

  test('images, headings, the root and the elements holding text are collected in order; MSO conditionals are not read', () => {
    const m = parseTemplate('<html lang="en"><body><h1>A</h1><p>Text <b>bold</b></p><img src="a.png"><!--[if mso]><img src="b.png"><![endif]--><h3>C</h3></body></html>', 'html');
    assert.equal(m.a11y.html?.name, 'html');
    assert.deepEqual(m.a11y.images.map((e) => e.name), ['img']);
    assert.deepEqual(m.a11y.headings.map((e) => e.name), ['h1', 'h3']);
    assert.deepEqual(m.a11y.textElements.map((e) => e.name), ['h1', 'p', 'b', 'h3']);
  });

  test('attributes the model does not keep are read from the tag as written', () => {
    const text = '<table role="presentation" cellpadding=0 data-x=\'a>b\' border>';
    const m = parseTemplate(`<html><body>${text}</table></body></html>`, 'html');
    const attrs = tagAttributes(m.text, m.a11y.tables[0]!.element);
    assert.deepEqual([...attrs], [['role', 'presentation'], ['cellpadding', '0'], ['data-x', 'a>b'], ['border', '']]);
  });

  test('template syntax outside quoted values makes a tag\'s attributes unknown; inside them it does not', () => {
    const m = parseTemplate('<html><body><img {{ attrs }} src="a.png"><img src="{{ url }}" alt="{{ name }}"></body></html>', 'html');
    assert.deepEqual(m.a11y.images.map((e) => tagHasTemplateAttributes(m.text, e)), [true, false]);
  });
});

describe('judgements', () => {
  test('spacers: a side of 2px or less, or a spacer file name', () => {
    const spacer = (a: Record<string, string>) => isSpacer(new Map(Object.entries(a)));
    assert.equal(spacer({ width: '1', height: '1' }), true);
    assert.equal(spacer({ width: '100%', height: '2' }), true);
    assert.equal(spacer({ style: 'width:1px;height:20px' }), true);
    assert.equal(spacer({ src: 'https://cdn.example.com/img/spacer.gif', width: '600' }), true);
    assert.equal(spacer({ src: 'https://cdn.example.com/img/clear-skies-banner.jpg', width: '600' }), false);
    assert.equal(spacer({ src: 'https://cdn.example.com/roses.jpg', width: '552', height: '300' }), false);
  });

  test('the language of a text: Japanese from kana, English from its common words, else only from jurisdictions and offered', () => {
    const config = defaultConfig();
    assert.deepEqual(langFix('いつもご利用いただきありがとうございます。春のカタログができあがりました。ぜひご覧ください。', config, 'en', false), { lang: 'ja', safe: true });
    assert.deepEqual(langFix('Our spring catalogue is out, with the roses and the fruit trees you asked about and the new seeds for your garden.', config, 'en', false), { lang: 'en', safe: true });
    const german = 'Unser Frühjahrskatalog ist da, mit den Rosen und Obstbäumen, nach denen Sie gefragt haben, und neuen Samen für kleine Gärten.';
    assert.equal(langFix(german, config, 'en', false), undefined);
    assert.deepEqual(langFix(german, mergeConfig(config, { jurisdictions: ['us'] }), 'en', false), { lang: 'en', safe: false });
  });

  test('right to left only where most letters are Hebrew or Arabic script', () => {
    assert.equal(rightToLeftScript('קטלוג האביב שלנו יצא לאור, עם הוורדים ועצי הפרי שביקשתם'), 'Hebrew');
    assert.equal(rightToLeftScript('صدر كتالوج الربيع الخاص بنا، مع الورود وأشجار الفاكهة'), 'Arabic script');
    assert.equal(rightToLeftScript('Our catalogue is out in English with one word of Hebrew: שלום, and a long English sentence after it.'), undefined);
  });

  test('WCAG contrast ratios', () => {
    const ratio = (a: string, b: string) => Math.round(contrast(paint(a) as number, paint(b) as number) * 100) / 100;
    assert.equal(ratio('#000', '#fff'), 21);
    assert.equal(ratio('white', 'rgb(255, 255, 255)'), 1);
    assert.equal(ratio('#767676', '#ffffff'), 4.54);
    assert.equal(paint('{{ brand }}'), 'unknown');
    assert.equal(paint('rgba(0,0,0,0.5)'), 'unknown');
  });
});

describe('hostile input', () => {
  // Every level paints and holds text: the colours of each element are resolved once, not once per descendant.
  test('text-contrast-low and the other accessibility rules stay about linear over 8,000 nested, styled cells', () => {
    const config = mergeConfig(defaultConfig(), { rules: { 'text-contrast-low': 'warning' } });
    const make = (n: number) =>
      `<!DOCTYPE html><html><body>${'<table width="1" cellpadding="0"><tr><td bgcolor="#ffffff" style="color:#aaaaaa">x<h3>y</h3><img src="s.gif" width="1"><a href="https://e.example.com/">here</a>'.repeat(n)}${'</td></tr></table>'.repeat(n)}</body></html>`;
    const time = (n: number) => {
      const text = make(n);
      const started = performance.now();
      const result = linter.lint({ text, filePath: 'news.html', config });
      assert.deepEqual(result.findings.filter((f) => f.messageId === 'internal'), []);
      return performance.now() - started;
    };
    time(200);
    const small = time(2_000);
    const large = time(8_000);
    assert.ok(large / Math.max(small, 20) < 12, `${small.toFixed(0)} ms at n, ${large.toFixed(0)} ms at 4n`);
  });
});
