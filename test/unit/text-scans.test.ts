// The template model's text and the detectors' scans were rewritten for speed (docs/benchmarks.md).
// Each fast form is checked here against the plain form it replaced, on the fixtures, the examples,
// generated templates and inputs that exercise the corners.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import { collapseWhitespace, parseTemplate } from '../../server/src/core/parse/template';
import { parseStyle } from '../../server/src/core/detect/hidden';
import { findPostalAddress } from '../../server/src/core/detect/address';
import { hasUnsubscribeToken, TOKEN_CHARACTERS } from '../../server/src/core/detect/unsubscribe';
import { ESP_TOKENS, PLATFORM_TOKENS } from '../../server/src/core/esp';
import { topLevelAlternatives } from '../../server/src/core/classify';
import { htmlTemplate, mjmlTemplate } from '../../bench/generate';
import { seededStrings } from './seeded-strings';

const ROOT = resolve(__dirname, '..', '..');

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return templates(p);
    return /\.(?:html?|mjml)$/.test(name) ? [p] : [];
  });
}

const SKIP_TEXT = new Set(['script', 'style', 'head', 'title', 'mj-head', 'mj-style', 'mj-attributes', 'mj-preview', 'mj-title', 'mj-font', 'mj-breakpoint']);

/** The body text as first defined: every shown text node and alt text, joined with spaces, `\s+` as one space. */
function plainBodyText(text: string, kind: 'html' | 'mjml'): string {
  const root = parseDocument(text, { recognizeSelfClosing: kind === 'mjml', lowerCaseAttributeNames: true });
  const parts: string[] = [];
  const visit = (node: AnyNode, hidden: boolean) => {
    if (node.type === 'text') {
      if (!hidden) parts.push(node.data);
      return;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style' && node.type !== 'root') return;
    const el = node as Element;
    const skip = hidden || SKIP_TEXT.has(el.name);
    if ((el.name === 'img' || el.name === 'mj-image') && el.attribs['alt'] && !skip) parts.push(el.attribs['alt']);
    for (const child of el.children) visit(child, skip);
  };
  visit(root, false);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

describe('collapseWhitespace and the body text', () => {
  test('collapses exactly as replace(/\\s+/g, " ")', () => {
    const samples = [
      '',
      ' ',
      'a',
      'a b',
      'a  b',
      'a\tb',
      ' \n a \r\n\t b ',
      'a\u00a0b',
      'a \u00a0 b',
      '配信停止\u3000はこちら',
      'x\u2028y\u2029z\ufeffw',
      '\n\n\n',
    ];
    // Random strings over a small alphabet that is mostly whitespace of every kind.
    const alphabet = [' ', '\t', '\n', '\r', '\u00a0', '\u3000', '\v', '\f', 'a', 'b', '、'];
    samples.push(...seededStrings(alphabet, 500, 20, 7));
    for (const s of samples) assert.equal(collapseWhitespace(s), s.replace(/\s+/g, ' '), JSON.stringify(s));
  });

  test('the body text is the shown text joined, collapsed and trimmed, on every template we have', () => {
    const files = [...templates(join(ROOT, 'test', 'fixtures')), ...templates(join(ROOT, 'examples'))];
    assert.ok(files.length > 30, `found ${files.length} templates`);
    const inputs: Array<[string, string, 'html' | 'mjml']> = files.map((f) => [f, readFileSync(f, 'utf8'), f.endsWith('.mjml') ? 'mjml' : 'html']);
    for (let seed = 0; seed < 6; seed++) {
      inputs.push([`generated html ${seed}`, htmlTemplate({ bytes: 20_000, seed, japanese: seed % 2 === 0, withProblems: seed % 3 === 0 }), 'html']);
      inputs.push([`generated mjml ${seed}`, mjmlTemplate(20_000, seed), 'mjml']);
    }
    inputs.push(['blank text nodes', '<body>\n  <p>\n    Hello\u00a0 </p>\u3000\n<p>there</p>\n</body>', 'html']);
    for (const [label, text, kind] of inputs) {
      const model = parseTemplate(text, kind);
      // A fragment's text is the whole file's; a full message's, the body's (plus the title, which is skipped).
      assert.equal(model.bodyText, plainBodyText(text, kind), label);
    }
  });
});

describe('parseStyle', () => {
  test('picks out the declarations that can hide, lower-cased, last one winning', () => {
    const s = parseStyle('font-family:Arial; Line-Height: 0; DISPLAY : None !important;color:#fff;display:block;max-height:0px;overflow:Hidden;mso-hide:all');
    assert.deepEqual(Object.fromEntries(s), { display: 'block', 'max-height': '0px', overflow: 'hidden', 'mso-hide': 'all' });
  });

  test('a property whose name only ends like a hiding one is not taken for it', () => {
    assert.deepEqual(Object.fromEntries(parseStyle('line-height:0;min-height:0;webkit-opacity:0')), {});
    assert.deepEqual(Object.fromEntries(parseStyle('\n  height: 0 ;\n  font-size:1px')), { height: '0', 'font-size': '1px' });
    assert.deepEqual(Object.fromEntries(parseStyle('background:url(https://cdn.example.com/a;b.png);opacity:0')), { opacity: '0' });
    assert.equal(parseStyle(undefined).size, 0);
    assert.equal(parseStyle('').size, 0);
  });
});

describe('a configured postal address', () => {
  const body = (footer: string) => parseTemplate(`<html><body><p>Spring sale: 20% off tents.</p><p>${footer}</p></body></html>`, 'html');

  test('is found whatever the case, spacing, line breaks and commas', () => {
    const sender = { postalAddress: '500 Harbor Way, Suite 12\nPortland, OR 97209' };
    for (const footer of ['500 Harbor Way, Suite 12, Portland, OR 97209', '500 HARBOR WAY<br>Suite 12<br>\n Portland OR 97209', '500 harbor way suite 12 portland, or 97209']) {
      assert.equal(findPostalAddress(body(footer), sender)?.kind, 'configured', footer);
    }
  });

  test('its first line is enough; a different address or a too-short first line is not', () => {
    assert.equal(findPostalAddress(body('Visit us at 500 Harbor Way.'), { postalAddress: '500 Harbor Way\nPortland, OR 97209' })?.kind, 'configured');
    // (A street line is still found by its shape; the point is that it is not taken for the configured one.)
    assert.notEqual(findPostalAddress(body('Visit us at 501 Harbor Way.'), { postalAddress: '500 Harbor Way\nPortland' })?.kind, 'configured');
    assert.notEqual(findPostalAddress(body('Box 12 is ours.'), { postalAddress: 'Box 12\nNowhere' })?.kind, 'configured');
  });

  test('regex characters in the address are taken literally', () => {
    assert.equal(findPostalAddress(body('Unit 4 (rear) + 2nd floor'), { postalAddress: 'Unit 4 (rear) + 2nd floor' })?.kind, 'configured');
    assert.notEqual(findPostalAddress(body('Unit 4 rear 2nd floor'), { postalAddress: 'Unit 4 (rear) + 2nd floor' })?.kind, 'configured');
  });

  test('is found in Japanese text separated by 、', () => {
    assert.equal(findPostalAddress(body('〒150-0002 東京都渋谷区渋谷2-1-1、ヒカリエ8F'), { postalAddress: '東京都渋谷区渋谷2-1-1 ヒカリエ8F' })?.kind, 'configured');
  });
});

describe('the unsubscribe-tag pre-check', () => {
  test('every alternative of every ESP tag pattern needs one of the pre-checked characters', () => {
    for (const t of ESP_TOKENS) {
      for (const alternative of topLevelAlternatives(t.unsubscribe.source)) {
        // A literal {, [ or * (escaped in the pattern), or a % or < (literal as written).
        assert.match(alternative, /\\[{[*]|[%<]/, `${t.esp}: ${alternative}`);
      }
      assert.ok(TOKEN_CHARACTERS.test(t.insert), `${t.esp} inserts ${t.insert}`);
      assert.ok(hasUnsubscribeToken(`https://x.example/?u=${t.insert}`), `${t.esp}: ${t.insert} is found`);
    }
  });

  test('so does every alternative of every platform tag pattern (Mailcoach: ::)', () => {
    for (const t of PLATFORM_TOKENS) {
      for (const alternative of topLevelAlternatives(t.unsubscribe.source)) {
        assert.match(alternative, /\\[{[*]|[%<]|::/, `${t.label}: ${alternative}`);
      }
    }
  });

  test('text without those characters holds no tag; with them, tags are still found', () => {
    assert.equal(hasUnsubscribeToken('https://shop.example.com/p/123?utm_source=newsletter'), false);
    assert.equal(hasUnsubscribeToken('Unsubscribe'), false);
    assert.equal(hasUnsubscribeToken('*|UNSUB|*'), true);
    assert.equal(hasUnsubscribeToken('%%unsub_center_url%%'), true);
    assert.equal(hasUnsubscribeToken('<%asm_group_unsubscribe_raw_url%>'), true);
    assert.equal(hasUnsubscribeToken('[unsubscribe]'), true);
    assert.equal(hasUnsubscribeToken('::unsubscribeUrl::'), true);
    assert.equal(hasUnsubscribeToken('https://shop.example.com/a:b/c'), false);
  });
});
