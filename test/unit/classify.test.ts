// transactionalPhrase finds the phrases of TRANSACTIONAL_PHRASES in one pass (a lookahead union);
// it must answer exactly as trying the phrases one by one, in list order, would.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { TRANSACTIONAL_PHRASES, transactionalPhrase } from '../../server/src/core/classify';
import { parseTemplate } from '../../server/src/core/parse/template';
import { htmlTemplate } from '../../bench/generate';

const ROOT = resolve(__dirname, '..', '..');

function oneByOne(text: string): RegExpExecArray | undefined {
  for (const re of TRANSACTIONAL_PHRASES) {
    const m = re.exec(text);
    if (m) return m;
  }
  return undefined;
}

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return templates(p);
    return /\.(?:html?|mjml)$/.test(name) ? [p] : [];
  });
}

test('transactionalPhrase answers as the phrases tried one by one', () => {
  const openings = [...templates(join(ROOT, 'test', 'fixtures')), ...templates(join(ROOT, 'examples'))].map((f) => {
    const m = parseTemplate(readFileSync(f, 'utf8'), f.endsWith('.mjml') ? 'mjml' : 'html');
    return `${m.title ?? ''} ${m.bodyText.slice(0, 3000)}`;
  });
  for (let seed = 0; seed < 20; seed++) openings.push(parseTemplate(htmlTemplate({ bytes: 6000, seed, japanese: seed % 3 === 0 }), 'html').bodyText.slice(0, 3000));
  openings.push(
    'Your order has shipped. Reset your password here.',
    'Welcome to Harbor! Please verify your email address.',
    'パスワード再設定のご案内と領収書',
    'RECEIPT for your subscription ends soon',
    'New sign-in alert — Rechnung — factura',
    'Nothing transactional about spring shoes and trail jackets.',
    '',
  );
  let transactional = 0;
  for (const text of openings) {
    const expected = oneByOne(text);
    const actual = transactionalPhrase(text);
    assert.equal(actual?.[0], expected?.[0], text.slice(0, 80));
    assert.equal(actual?.index, expected?.index, text.slice(0, 80));
    if (expected) transactional++;
  }
  assert.ok(transactional >= 5, 'some openings are transactional');
});
