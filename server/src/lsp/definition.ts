// Go to definition on a layout or partial reference ({{> footer}}, {% extends "base.html" %},
// <mj-include path="...">, @include('x') ...): the file it names, found the way the composition
// finds it. A framework's layout has no file, and gives nothing.

import * as path from 'node:path';
import type { Location } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { engineOf, findReferences, resolveReference } from '../core/compose';
import { detectKind } from '../core/input';
import { parseTemplate } from '../core/parse/template';
import type { FileReader, ResolvedConfig } from '../core/types';
import { pathToUri } from './session';

const atStart = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Whether the document is MJML (its mj-includes are read from the model, not from reference spans). */
export function isMjml(languageId: string, filePath: string | undefined, text: string): boolean {
  return languageId === 'mjml' || detectKind(filePath, text) === 'mjml';
}

/** The file the reference at `offset` names, as a Location; null when there is none or it has no file. */
export function definitionAt(doc: TextDocument, filePath: string, offset: number, config: ResolvedConfig, reader: FileReader): Location | null {
  const text = doc.getText();
  if (isMjml(doc.languageId, filePath, text)) {
    const inc = parseTemplate(text, 'mjml').includes.find((i) => i.path && i.tagStart <= offset && offset <= i.tagEnd);
    if (!inc) return null;
    // As compose() resolves it: relative to the including file, .mjml when no extension is given.
    let target = path.resolve(path.dirname(filePath), inc.path);
    if (!path.extname(target)) target += '.mjml';
    return reader.readFile(target) === undefined ? null : { uri: pathToUri(target), range: atStart };
  }
  const ref = findReferences(text, engineOf(filePath)).find((r) => r.start <= offset && offset <= r.end);
  if (!ref) return null;
  const found = resolveReference(ref, filePath, config, reader);
  if (!found) return null;
  if (!found.offset) return { uri: pathToUri(found.path), range: atStart };
  // A Go {{define}}: point at its content.
  const targetText = reader.readFile(found.path) ?? '';
  const at = TextDocument.create(pathToUri(found.path), 'html', 0, targetText).positionAt(found.offset);
  return { uri: pathToUri(found.path), range: { start: at, end: at } };
}
