// The server's pure pieces, without a server: where suppression comments go, the minimal fix-all
// edit, and how editor settings map onto a configuration layer. The wire behaviour is covered by
// the other files here, against the bundled server.

import assert from 'node:assert/strict';
import { DEFAULT_FILES } from '../../server/src/core/config';
import { describe, it } from 'node:test';
import { applyEdits, minimalEdit } from '../../server/src/core/text';
import { suppressionEdit } from '../../server/src/core/suppress';
import { wantsKind } from '../../server/src/lsp/codeActions';
import { readSettings } from '../../server/src/lsp/settings';

function suppress(text: string, needle: string, scope: 'line' | 'file', ruleId = 'unsubscribe-link-missing'): string | undefined {
  const edit = suppressionEdit(text, text.indexOf(needle), ruleId, scope, 'html');
  return edit && applyEdits(text, [edit]).text;
}

describe('suppressionEdit', () => {
  it('puts the line directive above the line, in its indentation, with tabs kept', () => {
    assert.equal(suppress('<body>\n\t\t<p>{{ x</p>\n</body>', '{{ x', 'line', 'merge-tag-unclosed'), '<body>\n\t\t<!-- deliverlint-disable-next-line merge-tag-unclosed -->\n\t\t<p>{{ x</p>\n</body>');
  });

  it('handles the first line of a file', () => {
    assert.equal(suppress('<p>{{ x</p>', '{{ x', 'line'), '<!-- deliverlint-disable-next-line unsubscribe-link-missing -->\n<p>{{ x</p>');
  });

  it('adds the rule to a next-line directive already above, keeping its reason', () => {
    const text = '  <!-- deliverlint-disable-next-line postal-address-missing -- footer comes from the ESP -->\n  <body>\n';
    assert.equal(
      suppress(text, '<body>', 'line'),
      '  <!-- deliverlint-disable-next-line postal-address-missing, unsubscribe-link-missing -- footer comes from the ESP -->\n  <body>\n',
    );
    // Already covered (or covering every rule): nothing to add.
    assert.equal(suppress('<!-- deliverlint-disable-next-line unsubscribe-link-missing -->\n<body>', '<body>', 'line'), undefined);
    assert.equal(suppress('<!-- deliverlint-disable-next-line -->\n<body>', '<body>', 'line'), undefined);
  });

  it('refuses a line that starts inside a tag or a comment', () => {
    assert.equal(suppress('<a\n  href="#">x</a>', 'href', 'line'), undefined);
    assert.equal(suppress('<!--[if mso]>\n<a href="#">x</a>\n<![endif]-->', '<a', 'line'), undefined);
    // After a closed conditional comment, and after `<!-->` (downlevel-revealed), it is fine.
    assert.ok(suppress('<!--[if mso]><table><![endif]-->\n<a href="#">x</a>', '<a', 'line'));
    assert.ok(suppress('<!--[if !mso]><!-->\n<a href="#">x</a>\n<!--<![endif]-->', '<a', 'line'));
    // A `<` in text (a comparison, a merge tag) is not a tag.
    assert.ok(suppress('<p>1 < 2\n{{ x</p>', '{{ x', 'line'));
  });

  it('puts the file directive first, or after the xml prolog and doctype', () => {
    const c = '<!-- deliverlint-disable-file unsubscribe-link-missing -->';
    assert.equal(suppress('<html>\n</html>', '<html>', 'file'), `${c}\n<html>\n</html>`);
    assert.equal(suppress('<!doctype html>\r\n<html>', '<html>', 'file'), `<!doctype html>\r\n${c}\r\n<html>`);
    assert.equal(suppress('\uFEFF<html>', '<html>', 'file'), `\uFEFF${c}\n<html>`);
    assert.equal(suppress('<!DOCTYPE html><html>', '<html>', 'file'), `<!DOCTYPE html>\n${c}\n<html>`);
    assert.equal(suppress('<!DOCTYPE html>', '<!D', 'file'), `<!DOCTYPE html>\n${c}`);
    const xhtml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html>';
    assert.equal(suppress(xhtml, '<html>', 'file'), xhtml.replace('\n<html>', `\n${c}\n<html>`));
  });
});

describe('minimalEdit', () => {
  const roundTrip = (a: string, b: string) => {
    const e = minimalEdit(a, b);
    assert.equal(a.slice(0, e.start) + e.text + a.slice(e.end), b);
    return e;
  };

  it('replaces only what changed', () => {
    const insert = roundTrip('<body>\n</body>', '<body>\n<p>x</p>\n</body>');
    assert.equal(insert.end - insert.start, 0, 'a pure insertion replaces nothing');
    assert.equal(insert.text.length, '<p>x</p>\n'.length);
    assert.deepEqual(roundTrip('same', 'same'), { start: 4, end: 4, text: '' });
    roundTrip('', 'new');
    roundTrip('old', '');
  });

  it('never splits a surrogate pair or a CRLF', () => {
    const e = roundTrip('a😀b', 'a😃b');
    assert.equal(e.start, 1);
    assert.equal(e.end, 3);
    const crlf = roundTrip('a\r\nb', 'a\r\r\nb');
    assert.ok(!(crlf.start === 2), 'does not start between \\r and \\n');
  });
});

describe('wantsKind', () => {
  it('matches requested kinds and their parents', () => {
    assert.ok(wantsKind(undefined, 'quickfix'));
    assert.ok(!wantsKind(undefined, 'source.fixAll.deliverlint'));
    assert.ok(wantsKind(['source'], 'source.fixAll.deliverlint'));
    assert.ok(wantsKind(['source.fixAll'], 'source.fixAll.deliverlint'));
    assert.ok(!wantsKind(['source.organizeImports'], 'source.fixAll.deliverlint'));
    assert.ok(!wantsKind(['quickfix'], 'source.fixAll.deliverlint'));
  });
});

describe('readSettings', () => {
  it('uses the defaults for a missing section', () => {
    assert.deepEqual(readSettings(null), { enable: true, lintWorkspace: true, lintDelay: 100, layer: {}, problems: [], mjmlValidate: 'auto' });
  });

  it('treats unset values as unset; a value equal to its default is the user\'s choice (the VS Code client sends only what was set)', () => {
    const s = readSettings({
      esp: 'none',
      jurisdictions: ['us'],
      rules: {},
      transactional: [],
      marketing: [],
      sender: { name: '', postalAddress: '  ', unsubscribeUrl: null },
      files: [...DEFAULT_FILES],
      ignore: ['**/node_modules/**', '**/dist/**'],
    });
    assert.deepEqual(s.layer, {
      esp: 'none',
      jurisdictions: ['us'],
      transactional: [],
      marketing: [],
      files: [...DEFAULT_FILES],
      ignore: ['**/node_modules/**', '**/dist/**'],
    });
    assert.deepEqual(readSettings({ rules: {}, sender: { name: '', postalAddress: '  ', unsubscribeUrl: null } }).layer, {}, 'no rule, no sender field: nothing set');
  });

  it('maps the values a user set', () => {
    const s = readSettings({
      enable: false,
      lintWorkspace: false,
      lintDelay: 250,
      esp: 'sendgrid',
      jurisdictions: ['jp', 'eu'],
      rules: { 'unsubscribe-link-missing': 'warning', 'postal-address-missing': 'off', bogus: 'loud' },
      transactional: ['transactional/**'],
      sender: { name: 'Example Shop', unsubscribeUrl: 'https://example.com/u' },
      ignore: ['legacy/**'],
    });
    assert.equal(s.enable, false);
    assert.equal(s.lintWorkspace, false);
    assert.equal(s.lintDelay, 250);
    assert.deepEqual(s.layer, {
      esp: 'sendgrid',
      jurisdictions: ['jp', 'eu'],
      rules: { 'unsubscribe-link-missing': 'warning', 'postal-address-missing': 'off' },
      transactional: ['transactional/**'],
      sender: { name: 'Example Shop', unsubscribeUrl: 'https://example.com/u' },
      ignore: ['legacy/**'],
    });
  });

  it('drops malformed values and clamps the delay', () => {
    const s = readSettings({ enable: 'no', lintDelay: 1e9, esp: 'gmail', jurisdictions: ['us', 'xx'], files: 'x' });
    assert.equal(s.enable, true);
    assert.equal(s.lintDelay, 5000);
    assert.deepEqual(s.layer, {});
  });
});
