// The import graph's rules, read from the source: the core knows no front end and no rule, the
// domain check knows only itself and the core, and the client takes from the server only the shared
// protocol and types. A change that crosses a line fails here with the file and the import.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'server', 'src');

interface Import {
  /** The file that imports, relative to the repository root. */
  from: string;
  specifier: string;
  /** The imported file (without extension), relative to the repository root; undefined for packages. */
  target?: string;
  typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (/\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

// `import ... from 'x'`, `export ... from 'x'`, `import 'x'`, `import('x')`, `require('x')`.
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(file: string, text = readFileSync(file, 'utf8')): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[3] ?? m[4]!;
    const target = specifier.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), specifier)).split(path.sep).join('/') : undefined;
    out.push({ from: path.relative(ROOT, file).split(path.sep).join('/'), specifier, target, typeOnly: !!m[2] });
  }
  return out;
}

function importsUnder(dir: string): Import[] {
  return tsFiles(path.join(ROOT, dir)).flatMap((f) => importsOf(f));
}

const show = (bad: Import[]) => bad.map((i) => `${i.from} imports ${i.specifier}`).join('\n');

describe('module boundaries', () => {
  test('the import reader sees every form of import it has to judge', () => {
    const text = `import { a } from '../rules';\nimport type { B } from '../lsp/x';\nexport { c } from '../cli/y';\nimport '../host/z';\nconst d = require('../dns/w');\n`;
    const found = importsOf(path.join(SERVER, 'core', 'probe.ts'), text);
    assert.deepEqual(
      found.map((i) => [i.target, i.typeOnly]),
      [
        ['server/src/rules', false],
        ['server/src/lsp/x', true],
        ['server/src/cli/y', false],
        ['server/src/host/z', false],
        ['server/src/dns/w', false],
      ],
    );
  });

  test('core/ imports neither rules/, lsp/, cli/, host/, dns/ nor an editor package', () => {
    const imports = importsUnder('server/src/core');
    assert.ok(imports.length > 50, `read the core's imports (${imports.length})`);
    const bad = imports.filter(
      (i) =>
        (i.target !== undefined && !i.target.startsWith('server/src/core/')) ||
        (i.target === undefined && /^(vscode|vscode-languageserver|vscode-languageclient|vscode-jsonrpc)(\/|$)/.test(i.specifier)),
    );
    assert.equal(show(bad), '');
  });

  test('dns/ imports nothing outside itself and core/', () => {
    const bad = importsUnder('server/src/dns').filter((i) => i.target !== undefined && !/^server\/src\/(dns|core)\//.test(i.target));
    assert.equal(show(bad), '');
  });

  test('rules/ reach the core only, never a front end or the host', () => {
    const bad = importsUnder('server/src/rules').filter((i) => i.target !== undefined && !/^server\/src\/(rules|core)\//.test(i.target));
    assert.equal(show(bad), '');
  });

  test('the registry meets the engine in linter.ts only', () => {
    const all = importsUnder('server/src');
    const bad = all.filter((i) => i.target === 'server/src/rules' || i.target === 'server/src/rules/index').filter((i) => i.from !== 'server/src/linter.ts');
    assert.equal(show(bad.filter((i) => !i.typeOnly)), '');
    const engine = all.filter((i) => i.target === 'server/src/core/engine' && !i.typeOnly && !i.from.startsWith('server/src/core/'));
    assert.deepEqual([...new Set(engine.map((i) => i.from))].filter((f) => f !== 'server/src/linter.ts' && f !== 'server/src/lsp/checkDomain.ts'), []);
  });

  test('client/ imports only protocol.ts and types from the server', () => {
    const imports = importsUnder('client/src');
    assert.ok(imports.some((i) => i.target === 'server/src/protocol'), 'the client uses the shared protocol');
    const bad = imports.filter((i) => i.target?.startsWith('server/') && i.target !== 'server/src/protocol' && !i.typeOnly);
    assert.equal(show(bad), '');
  });

  test('protocol.ts, bundled into the client, imports only types and the pure domain syntax', () => {
    const bad = importsOf(path.join(SERVER, 'protocol.ts')).filter((i) => !i.typeOnly && i.target !== 'server/src/core/domainName');
    assert.equal(show(bad), '');
    const domain = importsOf(path.join(SERVER, 'core', 'domainName.ts')).filter((i) => !i.typeOnly && !i.specifier.startsWith('node:'));
    assert.equal(show(domain), '');
  });
});
