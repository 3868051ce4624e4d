// transactionalPhrase finds the phrases of TRANSACTIONAL_PHRASES in one pass (a union of them all);
// it must answer exactly as trying the phrases one by one, in list order, would.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { TRANSACTIONAL_PHRASES, topLevelAlternatives, transactionalPhrase } from '../../server/src/core/classify';
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

// One text per phrase, in list order, that the phrase matches: each must be found by the union
// (which shares one word-boundary check among the phrases that start with one) as by the phrase.
const SAMPLES = [
  'Forgot your password?',
  'Password reset requested',
  'Please confirm your email address',
  'Account verification needed',
  'Your one-time code is 123456',
  'Here is your receipt',
  'Invoice #4411 from Harbor',
  'Order confirmation for #1234',
  'Your package has shipped',
  'Shipping confirmation',
  'Payment received, thank you',
  'Dana has invited you to the board',
  'An invitation to join Harbor',
  'Your trial is expiring in 3 days',
  'Sign-in attempt from Chrome on Windows',
  'Welcome to Harbor — confirm your account',
  'Kenji replied to your post',
  'パスワードの再設定',
  '※本メールは自動配信メールです。',
  'ご注文の商品を発送いたしました。',
  '会員登録が完了いたしました。',
  'お問い合わせを受け付けました。',
  '会員情報の変更が完了しました。',
  'メールアドレスの確認をお願いします',
  '認証コード: 482913',
  '領収書を発行しました',
  'ご注文内容の確認',
  '発送のお知らせ',
  'お支払いの完了',
  'ログインの通知',
  'Ihre Rechnung ist da',
  'Réinitialisation de votre mot de passe',
  'Tu factura de noviembre',
];

test('every phrase is found through the union, alone, mid-text and in upper case', () => {
  assert.equal(SAMPLES.length, TRANSACTIONAL_PHRASES.length);
  TRANSACTIONAL_PHRASES.forEach((re, i) => {
    assert.ok(re.exec(SAMPLES[i]!), `phrase ${i} ${re} matches its sample`);
    for (const text of [SAMPLES[i]!, SAMPLES[i]!.toUpperCase(), `Spring sale, 20% off tents. ${SAMPLES[i]} Thanks!`, `x${SAMPLES[i]}`]) {
      const expected = oneByOne(text);
      const actual = transactionalPhrase(text);
      assert.deepEqual([actual?.[0], actual?.index], [expected?.[0], expected?.index], text);
    }
    assert.ok(transactionalPhrase(SAMPLES[i]!), SAMPLES[i]);
  });
});

test('topLevelAlternatives splits only at the top level', () => {
  assert.deepEqual(topLevelAlternatives(String.raw`\bnew\s+sign-?in\b|\bsign-?in\s+(?:attempt|alert)\b`), [String.raw`\bnew\s+sign-?in\b`, String.raw`\bsign-?in\s+(?:attempt|alert)\b`]);
  assert.deepEqual(topLevelAlternatives(String.raw`a[|(]b|c\|d|(e|f)`), [String.raw`a[|(]b`, String.raw`c\|d`, '(e|f)']);
  assert.deepEqual(topLevelAlternatives('abc'), ['abc']);
});
