// Models of files pulled in with mj-include, kept by path and text. Every template of a folder
// includes the same few partials (head, header, footer); profiled over a folder of MJML campaigns,
// parsing them again for every template was a tenth of the CLI's time (docs/benchmarks.md, "MJML
// round"). A model depends only on its text and kind, so a partial whose text is unchanged gets
// the model parsed before; one that changed is parsed again. Included models are only read.

import type { DocumentKind } from './types';
import { parseTemplate, type TemplateModel } from './parse/template';

/** Bounds: a folder's partials fit many times over; past either, the cache starts again. */
const MAX_FILES = 512;
const MAX_CHARS = 2_000_000;

const byPath = new Map<string, { text: string; kind: DocumentKind; model: TemplateModel }>();
let chars = 0;

/** The model of the included file at `target` (an absolute path) with this text. */
export function parseIncluded(target: string, text: string, kind: DocumentKind): TemplateModel {
  const hit = byPath.get(target);
  if (hit && hit.kind === kind && hit.text === text) return hit.model;
  const model = parseTemplate(text, kind);
  if (hit) chars -= hit.text.length;
  if (byPath.size >= MAX_FILES || chars + text.length > MAX_CHARS) {
    byPath.clear();
    chars = 0;
  }
  byPath.set(target, { text, kind, model });
  chars += text.length;
  return model;
}
