// .deliverlintignore's gitignore syntax (host/ignoreFile.ts) and the colour decision of the stylish
// report (formatters.ts, colorWanted), checked directly where a process cannot show them (a TTY).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadIgnoreFile, MAX_IGNORE_FILE_BYTES, MAX_IGNORE_PATTERNS, parseIgnoreText } from '../../server/src/host/ignoreFile';
import { colorWanted } from '../../server/src/cli/formatters';

const BASE = join(tmpdir(), 'project');
const at = (rel: string) => join(BASE, ...rel.split('/'));

describe('ignore file syntax', () => {
  test('names at any depth, anchored paths, folder-only patterns, negation, comments and escapes', () => {
    const list = parseIgnoreText(['# a comment', '', '*.bak.html', '/root-only.html', 'build/', 'emails/legacy/*.html', '!emails/legacy/keep.html', '\\#hash.html', '\\!bang.html', 'spaced.html   '].join('\n'), BASE);
    const cases: Array<[string, boolean, boolean]> = [
      ['a.bak.html', false, true],
      ['deep/er/a.bak.html', false, true],
      ['root-only.html', false, true],
      ['sub/root-only.html', false, false],
      ['build', true, true],
      ['x/build', true, true],
      ['build', false, false], // a file named build: the pattern is for folders
      ['build/inside.html', false, true], // inside an ignored folder
      ['emails/legacy/old.html', false, true],
      ['emails/legacy/keep.html', false, false],
      ['emails/legacy/sub/old.html', false, false], // * does not cross a slash
      ['#hash.html', false, true],
      ['!bang.html', false, true],
      ['spaced.html', false, true],
      ['plain.html', false, false],
    ];
    for (const [rel, isFolder, expected] of cases) assert.equal(list.ignores(at(rel), isFolder), expected, rel);
    // Outside the ignore file's folder, none of its patterns apply.
    assert.equal(list.ignores(join(tmpdir(), 'elsewhere', 'a.bak.html'), false), false);
  });

  test('a file inside an ignored folder cannot be re-included (as in git); the last matching line wins', () => {
    const list = parseIgnoreText('vendor/\n!vendor/mail.html\n*.html\n!keep.html\n', BASE);
    assert.equal(list.ignores(at('vendor/mail.html'), false), true);
    assert.equal(list.ignores(at('keep.html'), false), false);
    assert.equal(list.ignores(at('other.html'), false), true);
  });

  test('an ignore file larger than the limit, with too many patterns, or no regular file, is refused with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deliverlint-ignorefile-'));
    try {
      const big = join(dir, 'big');
      writeFileSync(big, 'x'.repeat(MAX_IGNORE_FILE_BYTES + 1));
      assert.throws(() => loadIgnoreFile(big), /more than an ignore file may have/);
      assert.throws(() => loadIgnoreFile(dir), /not a regular file/);
      const many = join(dir, 'many');
      writeFileSync(many, Array.from({ length: MAX_IGNORE_PATTERNS + 1 }, (_, i) => `p${i}.html`).join('\n'));
      assert.throws(() => loadIgnoreFile(many), /more than 2000 patterns/);
      // Comments and blank lines do not count.
      writeFileSync(many, `${'# note\n\n'.repeat(MAX_IGNORE_PATTERNS)}a.html\n`);
      assert.equal(loadIgnoreFile(many).ignores(join(dir, 'a.html'), false), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('colour of the stylish report', () => {
  test('a terminal gets colour by default, a pipe or file none; flags, FORCE_COLOR and NO_COLOR decide over that', () => {
    assert.equal(colorWanted(undefined, {}, true), true);
    assert.equal(colorWanted(undefined, {}, false), false);
    assert.equal(colorWanted(undefined, { NO_COLOR: '1' }, true), false);
    assert.equal(colorWanted(undefined, { NO_COLOR: '' }, true), true, 'an empty NO_COLOR is not set');
    assert.equal(colorWanted(undefined, { FORCE_COLOR: '1' }, false), true);
    assert.equal(colorWanted(undefined, { FORCE_COLOR: '0' }, true), false);
    assert.equal(colorWanted(undefined, { FORCE_COLOR: 'false' }, true), false);
    assert.equal(colorWanted(undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, false), true);
    assert.equal(colorWanted(false, { FORCE_COLOR: '1' }, true), false);
    assert.equal(colorWanted(true, { NO_COLOR: '1' }, false), true);
  });
});
