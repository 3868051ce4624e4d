// hiddenChecker (each element's cascade worked out once, from its parent's) must answer what the
// plain walk up from each element (hiddenReason) answers: on random nested markup with every kind
// of hiding and font-size declaration, for every element, with and without a stopping element and
// a source. And it must stay linear where the walk is not: 100,000 nested links.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hiddenChecker, hiddenReason } from '../../server/src/core/detect/hidden';
import { parseTemplate, type MarkupElement } from '../../server/src/core/parse/template';
import { seededRandom, seededStrings } from './seeded-strings';

const DECLARATIONS = [
  'display:none',
  'display:block',
  'visibility:hidden',
  'visibility:visible',
  'visibility:inherit',
  'visibility:collapse',
  'mso-hide:all',
  'opacity:0',
  'opacity:0.5',
  'overflow:hidden;max-height:0',
  'overflow:hidden;height:0px',
  'font-size:0',
  'font-size:0px',
  'font-size:12px',
  'font-size:5px',
  'font-size:4pt',
  'font-size:50%',
  'font-size:0.3em',
  'font-size:2em',
  'font-size:200%',
  'font-size:small',
  'font-size:smaller',
  'font-size:inherit',
  'font-size:calc(1px + 1vw)',
  'font-size:14px !important',
  'color:red',
];
const TAGS = ['div', 'td', 'span', 'p', 'a', 'mj-text', 'mj-button', 'b'];

/** A random tree as HTML, from a seeded stream of numbers. */
function randomMarkup(seed: number): string {
  const random = seededRandom(seed);
  const rand = (n: number) => random.next(n);
  const words = seededStrings(['Unsubscribe', 'here', ' ', 'x', 'font-size:', '13px', ';', '>'], 40, 4, seed);
  let out = '';
  const open: string[] = [];
  for (let i = 0; i < 120; i++) {
    const r = rand(10);
    if (r < 5 || open.length === 0) {
      const tag = TAGS[rand(TAGS.length)]!;
      const styles = Array.from({ length: rand(3) }, () => DECLARATIONS[rand(DECLARATIONS.length)]).join(';');
      const attrs = [
        tag === 'a' ? ` href="https://x.example/u${i}"` : '',
        styles ? ` style="${styles}"` : '',
        rand(12) === 0 ? ' hidden' : '',
        tag.startsWith('mj-') && rand(3) === 0 ? ` font-size="${['0px', '12px', '4px', '50%'][rand(4)]}"` : '',
      ].join('');
      out += `<${tag}${attrs}>`;
      open.push(tag);
    } else if (r < 8) {
      out += words[rand(words.length)];
    } else {
      out += `</${open.pop()}>`;
    }
  }
  // Some left open: implied ends at the end of the body or the file.
  if (rand(2)) while (open.length) out += `</${open.pop()}>`;
  return `<html><body style="${DECLARATIONS[rand(DECLARATIONS.length)]}"><table><tr><td>${out}</td></tr></table></body></html>`;
}

function elementsOf(links: readonly { element: MarkupElement }[]): MarkupElement[] {
  const seen = new Set<MarkupElement>();
  for (const l of links) for (let e: MarkupElement | null = l.element; e; e = e.parent) seen.add(e);
  return [...seen];
}

describe('hiddenChecker answers what the plain walk answers', () => {
  test('random nested markup: every element, with and without stopAt and source', () => {
    let compared = 0;
    let hidden = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const text = randomMarkup(seed);
      const model = parseTemplate(text, seed % 5 === 0 ? 'mjml' : 'html');
      const elements = elementsOf(model.links);
      const stops = [model.body?.element, undefined];
      for (const stopAt of stops) {
        for (const source of [text, undefined]) {
          const check = hiddenChecker(stopAt, source);
          // Asked in an order unlike the document's, so remembered cascades are reused out of order.
          for (const el of [...elements].reverse()) {
            const expected = hiddenReason(el, stopAt, source);
            assert.deepEqual(check(el), expected, `seed ${seed}, <${el.name}> at ${el.startIndex}, stopAt ${stopAt ? 'body' : 'none'}, source ${source ? 'yes' : 'no'}`);
            compared++;
            if (expected) hidden++;
          }
        }
      }
    }
    // The generator must produce both answers often, or the comparison says little.
    assert.ok(compared > 5000 && hidden > compared / 10 && hidden < compared * 0.9, `compared ${compared}, hidden ${hidden}`);
  });

  test('100,000 nested links with font sizes: linear, where the walk from each link is quadratic', () => {
    const n = 100_000;
    const text = `<html><body><div style="font-size:0">${'<a href="https://x.example/unsubscribe"><span style="font-size:50%">Unsubscribe '.repeat(n)}${'</span></a>'.repeat(n)}</div></body></html>`;
    const model = parseTemplate(text, 'html');
    assert.equal(model.links.length, n);
    const started = performance.now();
    const check = hiddenChecker(model.body?.element, text);
    let count = 0;
    for (const link of model.links) if (check(link.element)) count++;
    const ms = performance.now() - started;
    assert.equal(count, n);
    assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
  });
});
