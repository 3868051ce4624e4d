// What the engine used to write onto parsed templates now comes from the parse itself (options,
// derived link properties) or beside the model (the rule context's included.resolved).

import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { createLinter } from '../../server/src/core/engine';
import { parseTemplate } from '../../server/src/core/parse/template';
import type { Included, Rule } from '../../server/src/core/rule';

describe('template parse options', () => {
  test('wholeMessage: a body without <html> or <body> is no partial', () => {
    assert.equal(parseTemplate('<p>Hi</p>', 'html').fragment, true);
    assert.equal(parseTemplate('<p>Hi</p>', 'html', { wholeMessage: true }).fragment, false);
    assert.equal(parseTemplate('<html><body><p>Hi</p></body></html>', 'html').fragment, false);
  });

  test('includedFrom is carried by every link of the file', () => {
    const m = parseTemplate('<mj-section><mj-button href="/a">A</mj-button><mj-text><a href="/b">B</a></mj-text></mj-section>', 'mjml', { includedFrom: '/x/footer.mjml' });
    assert.deepEqual(
      m.links.map((l) => [l.href, l.includedFrom]),
      [
        ['/a', '/x/footer.mjml'],
        ['/b', '/x/footer.mjml'],
      ],
    );
    assert.equal(parseTemplate('<a href="/a">A</a>', 'html').links[0]!.includedFrom, undefined);
  });

  test('a link says why it unsubscribes, the same on every read', () => {
    const m = parseTemplate('<a href="/unsubscribe">x</a><a href="/shop">Opt out</a><a href="*|UNSUB|*">x</a><a href="/shop">Shop</a>', 'html');
    assert.deepEqual(
      m.links.map((l) => l.unsubscribe),
      ['href', 'label', 'token', null],
    );
    assert.deepEqual(
      m.links.map((l) => l.unsubscribe),
      ['href', 'label', 'token', null],
    );
  });
});

describe('included context', () => {
  test("resolved maps each of the template's own includes to its path; included links keep where they came from", () => {
    let seen: Included | undefined;
    const probe: Rule = {
      meta: { id: 'probe', description: '', appliesTo: ['mjml'], defaultSeverity: 'warning', group: 'correctness', fixable: false, messages: {} },
      check: (ctx) => void (seen = ctx.included),
    };
    const dir = resolve('/virtual/templates');
    const files: Record<string, string> = {
      [resolve(dir, 'partials/footer.mjml')]: '<mj-text><a href="/unsubscribe">Unsubscribe</a></mj-text><mj-include path="./legal" />',
      [resolve(dir, 'partials/legal.mjml')]: '<mj-text>Harbor Outfitters, 1 Pier Rd</mj-text>',
    };
    const text = '<mjml><mj-body><mj-include path="./partials/footer" /><mj-include path="./missing.mjml" /><mj-include path="" /></mj-body></mjml>';
    createLinter([probe]).lint({ text, kind: 'mjml', filePath: resolve(dir, 'newsletter.mjml'), config: defaultConfig(), reader: { readFile: (p) => files[p] } });
    assert.ok(seen);
    // The template's own includes only (not the nested ./legal), and not the one without a path.
    assert.deepEqual(
      [...seen.resolved].map(([inc, target]) => [inc.path, target]),
      [
        ['./partials/footer', resolve(dir, 'partials/footer.mjml')],
        ['./missing.mjml', resolve(dir, 'missing.mjml')],
      ],
    );
    assert.deepEqual(
      seen.links.map((l) => [l.href, l.includedFrom, l.unsubscribe]),
      [['/unsubscribe', resolve(dir, 'partials/footer.mjml'), 'href']],
    );
    assert.match(seen.text, /Unsubscribe\nHarbor Outfitters, 1 Pier Rd/);
  });
});
