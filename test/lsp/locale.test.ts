// Messages in the client's language: initialize with locale "ja" and the findings come in Japanese.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { byCode, LspClient, messageOf, makeWorkspace, removeWorkspace, ROOT, uriOf } from './client';
import { NEWSLETTER } from './templates';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'server/src/core/l10n/ja.json'), 'utf8')) as Record<string, string>;
const translated = 'unsubscribe-link-missing/missing' in bundle;

describe('locale', { timeout: 30_000 }, () => {
  it('answers in Japanese when the client says locale "ja"', { skip: translated ? false : 'server/src/core/l10n/ja.json has no "unsubscribe-link-missing/missing" yet' }, async () => {
    const dir = makeWorkspace();
    const en = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false } });
    const ja = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false }, locale: 'ja-JP' });
    try {
      const uri = uriOf(path.join(dir, 'newsletter.html'));
      await en.open(uri, NEWSLETTER);
      await ja.open(uri, NEWSLETTER);
      const [english] = byCode(await en.waitForVersion(uri, 1), 'unsubscribe-link-missing');
      const [japanese] = byCode(await ja.waitForVersion(uri, 1), 'unsubscribe-link-missing');
      assert.ok(english && japanese);
      assert.notEqual(japanese.message, english.message);
      assert.match(messageOf(japanese), JAPANESE);
      assert.doesNotMatch(messageOf(english), JAPANESE);
      // Same finding, same place: only the words differ.
      assert.deepEqual(japanese.range, english.range);
      assert.equal(japanese.code, english.code);
    } finally {
      await Promise.all([en.stop(), ja.stop()]);
      removeWorkspace(dir);
    }
  });

  it('writes the footer in Japanese for a Japanese mail (lang="ja")', async () => {
    const dir = makeWorkspace();
    const client = await LspClient.start({ folders: [dir], settings: { lintWorkspace: false }, locale: 'ja' });
    try {
      const uri = uriOf(path.join(dir, 'ja.html'));
      await client.open(uri, NEWSLETTER.replace('<html lang="en"', '<html lang="ja"'));
      const [d] = byCode(await client.waitForVersion(uri, 1), 'unsubscribe-link-missing');
      assert.ok(d);
      const actions = await client.codeActions(uri, d.range, [d]);
      assert.ok(actions.some((a) => JSON.stringify(a.edit).includes('配信停止はこちら')), actions.map((a) => a.title).join(' | '));
      // The suppression titles are the server's own words, translated through the same bundle.
      if ('term/action.disableLine' in bundle) {
        const line = actions.find((a) => JSON.stringify(a.edit).includes('deliverlint-disable-next-line'));
        assert.match(line?.title ?? '', JAPANESE);
        assert.ok(line?.title.includes('unsubscribe-link-missing'));
      }
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});
