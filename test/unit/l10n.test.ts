// The Japanese bundle (server/src/core/l10n/ja.json) against the English it translates: every rule
// message, every rule description and every term() key has an entry, placeholders match, and nothing in it is stale.
// Run: node --import tsx --test test/unit/l10n.test.ts

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultConfig } from '../../server/src/core/config';
import { interpolate, resolveLocale, translate } from '../../server/src/core/messages';
import { RULES } from '../../server/src/rules';
import { linter } from '../../server/src/linter';

const { lint } = linter;

const root = path.resolve(__dirname, '..', '..');
const bundlePath = path.join(root, 'server', 'src', 'core', 'l10n', 'ja.json');
const bundleText = readFileSync(bundlePath, 'utf8');
const ja = JSON.parse(bundleText) as Record<string, unknown>;

/** Hiragana, katakana (incl. the prolonged sound mark) or CJK ideographs. */
const JAPANESE = /[\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff]/;

function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}

// Keys built at run time, as `term(\`category.${...}\`)`: the static part with `*` for the
// dynamic one, and the values it takes. A new dynamic key fails the test until it is listed here.
const DYNAMIC_TERM_VALUES: Record<string, readonly string[]> = {
  // CategoryDecision['category'] in core/types.ts
  'category.*': ['marketing', 'transactional'],
};

interface TermCall {
  key: string;
  /** The English fallback when it is a plain string literal; undefined for a variable or a template with `${}`. */
  english: string | undefined;
  /** The source line of the call, to see which placeholders the call site fills. */
  line: string;
  where: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function unquote(literal: string, quote: string): string {
  const body = literal.slice(1, -1);
  return quote === '`' ? body : body.replace(/\\(.)/g, '$1');
}

/** Every `term('key', 'English', ...)` call in server/src, found by scanning the source text. */
function termCalls(): TermCall[] {
  const calls: TermCall[] = [];
  // term( KEY , ENGLISH ... where KEY is a '...', "..." or `...` literal; ENGLISH usually is one too.
  const literal = String.raw`('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|` + '`(?:\\\\.|[^`\\\\])*`)';
  const callRe = new RegExp(String.raw`(?<![\w$.])term\(\s*` + literal + String.raw`\s*,\s*`, 'g');
  const englishRe = new RegExp(literal + String.raw`\s*,`, 'y');
  for (const file of sourceFiles(path.join(root, 'server', 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(callRe)) {
      const keyLit = m[1]!;
      const key = unquote(keyLit, keyLit[0]!).replace(/\$\{[^}]*\}/g, '*');
      englishRe.lastIndex = m.index! + m[0].length;
      const engLit = englishRe.exec(text)?.[1];
      // A non-literal English (a variable) or a template with ${...} has no placeholders to compare.
      const staticEnglish = engLit !== undefined && !(engLit[0] === '`' && engLit.includes('${'));
      const lineStart = text.lastIndexOf('\n', m.index!) + 1;
      const lineEnd = text.indexOf('\n', m.index!);
      calls.push({
        key,
        english: staticEnglish ? unquote(engLit, engLit[0]!) : undefined,
        line: text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd),
        where: `${path.relative(root, file)}:${text.slice(0, m.index!).split('\n').length}`,
      });
    }
  }
  return calls;
}

const calls = termCalls();

/** Concrete bundle keys (without the "term/" prefix) each call needs. */
function keysOf(call: TermCall): string[] {
  if (!call.key.includes('*')) return [call.key];
  const values = DYNAMIC_TERM_VALUES[call.key];
  assert.ok(values, `${call.where}: term key "${call.key}" is built at run time; list its values in DYNAMIC_TERM_VALUES`);
  return values.map((v) => call.key.replace('*', v));
}

test('the bundle is a flat object of strings with no duplicate keys', () => {
  for (const [key, value] of Object.entries(ja)) {
    assert.equal(typeof value, 'string', `${key} must be a string`);
  }
  const keys = [...bundleText.matchAll(/^\s*"((?:\\.|[^"\\])*)"\s*:/gm)].map((m) => m[1]!);
  const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
  assert.deepEqual(dupes, [], 'duplicate keys in ja.json (JSON.parse would keep only the last)');
});

test('the term() scan understands every term( call in server/src', () => {
  // Guards the scan itself: a call written in a form the regex does not parse would escape the checks below.
  let written = 0;
  for (const file of sourceFiles(path.join(root, 'server', 'src'))) {
    const text = readFileSync(file, 'utf8');
    written += [...text.matchAll(/(?<![\w$.])term\(/g)].length - [...text.matchAll(/function term\(/g)].length;
  }
  assert.ok(calls.length > 0, 'no term() calls found at all');
  assert.equal(calls.length, written, 'some term( calls do not have a literal key as their first argument');
});

for (const rule of RULES) {
  test(`${rule.meta.id}: every message has a Japanese translation with the same placeholders`, () => {
    for (const [messageId, english] of Object.entries(rule.meta.messages)) {
      const key = `${rule.meta.id}/${messageId}`;
      const value = ja[key];
      assert.equal(typeof value, 'string', `ja.json has no entry "${key}"`);
      const text = value as string;
      assert.deepEqual(placeholders(text), placeholders(english), `${key}: placeholders differ from the English`);
      assert.match(text, JAPANESE, `${key}: no Japanese characters in "${text}"`);
    }
  });

  test(`${rule.meta.id}: its description has a Japanese translation (for the settings and package.nls.ja.json)`, () => {
    const key = `description/${rule.meta.id}`;
    const value = ja[key];
    assert.equal(typeof value, 'string', `ja.json has no entry "${key}"`);
    assert.match(value as string, JAPANESE, `${key}: no Japanese characters`);
    assert.deepEqual(placeholders(value as string), placeholders(rule.meta.description), `${key}: placeholders differ from the English`);
  });
}

test('every term() key used in server/src has a Japanese translation', () => {
  const missing: string[] = [];
  for (const call of calls) {
    for (const key of keysOf(call)) {
      const value = ja[`term/${key}`];
      if (typeof value !== 'string') missing.push(`term/${key} (${call.where})`);
      else assert.match(value, JAPANESE, `term/${key}: no Japanese characters`);
    }
  }
  assert.deepEqual(missing, [], 'term() keys with no entry in ja.json');
});

test('term placeholders match the English, or are filled at the call site', () => {
  for (const call of calls) {
    for (const key of keysOf(call)) {
      const value = ja[`term/${key}`];
      if (typeof value !== 'string') continue; // reported by the test above
      if (call.english !== undefined) {
        assert.deepEqual(placeholders(value), placeholders(call.english), `term/${key} (${call.where}): placeholders differ from the English`);
      } else {
        // English built with ${...}: each placeholder of the translation must be replaced on that line.
        for (const name of placeholders(value)) {
          assert.ok(call.line.includes(`{${name}}`), `term/${key} (${call.where}): "{${name}}" is never replaced at the call site`);
        }
      }
    }
  }
});

test('the bundle has no stale keys', () => {
  const wanted = new Set<string>();
  for (const rule of RULES) for (const id of Object.keys(rule.meta.messages)) wanted.add(`${rule.meta.id}/${id}`);
  for (const rule of RULES) wanted.add(`description/${rule.meta.id}`);
  for (const call of calls) for (const key of keysOf(call)) wanted.add(`term/${key}`);
  const stale = Object.keys(ja).filter((k) => !wanted.has(k));
  assert.deepEqual(stale, [], 'keys in ja.json that match no rule message, no rule description and no term() call');
});

test('translate and interpolate use the bundle for ja and the English for en', () => {
  const rule = RULES.find((r) => Object.values(r.meta.messages).some((m) => placeholders(m).length > 0))!;
  const [messageId, english] = Object.entries(rule.meta.messages).find(([, m]) => placeholders(m).length > 0)!;
  const key = `${rule.meta.id}/${messageId}`;
  assert.equal(translate(key, english, 'en'), english);
  assert.equal(translate(key, english, 'ja'), ja[key]);
  assert.equal(translate('no-such-rule/none', 'fallback', 'ja'), 'fallback');
  const data = Object.fromEntries(placeholders(english).map((p) => [p, `<${p}>`]));
  const out = interpolate(translate(key, english, 'ja'), data);
  assert.doesNotMatch(out, /\{\w+\}/, 'a placeholder survived formatting');
  for (const p of placeholders(english)) assert.ok(out.includes(`<${p}>`), `${p} was not substituted`);
});

test('lint() reports in Japanese when the locale is ja', () => {
  const text = [
    '<!DOCTYPE html>',
    '<html>',
    '<body style="margin:0;">',
    '  <table role="presentation" width="100%"><tr><td style="padding:24px;">Summer sale: 20% off.</td></tr></table>',
    '</body>',
    '</html>',
  ].join('\n');
  const result = lint({ text, config: defaultConfig(), locale: 'ja' });
  const missing = result.findings.find((f) => f.ruleId === 'unsubscribe-link-missing');
  assert.ok(missing, 'expected unsubscribe-link-missing on a page with no unsubscribe link');
  assert.match(missing.message, /配信停止リンク/);
  assert.match(missing.message, /マーケティングメール/, 'the category sentence should be Japanese too');
  assert.doesNotMatch(missing.message, /\{\w+\}/);
});

test('resolveLocale picks ja for Japanese tags and en for everything else', () => {
  for (const tag of ['ja', 'ja-JP', 'ja_JP.UTF-8']) assert.equal(resolveLocale(tag), 'ja', tag);
  for (const tag of ['en-US', '', undefined, 'fr']) assert.equal(resolveLocale(tag), 'en', String(tag));
});
