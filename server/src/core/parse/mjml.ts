// mjml's own validation (unknown tags and attributes, wrong nesting, bad values) run on the
// source with mjml's parser and validator, without compiling to HTML. The tag table comes from
// mjml-components.json (extracted from mjml-preset-core, see test/tools/mjml-components.cjs),
// so the bundle carries no HTML compiler. The packages load on first use.

import table from './mjml-components.json';

export interface MjmlProblem {
  line: number;
  tagName: string;
  message: string;
}

interface MjmlToolkit {
  parse: (xml: string, options: Record<string, unknown>) => unknown;
  validate: (tree: unknown, options: Record<string, unknown>) => MjmlProblem[];
  components: Record<string, unknown>;
  options: Record<string, unknown>;
}

let toolkit: MjmlToolkit | undefined;

function load(): MjmlToolkit {
  if (toolkit) return toolkit;
  const parse = require('mjml-parser-xml') as MjmlToolkit['parse'];
  const validator = require('mjml-validator') as typeof import('mjml-validator');
  const { initializeType } = require('mjml-core/lib/types/type') as typeof import('mjml-core/lib/types/type');
  // The parser and validator only ask a component for its tag name, ending-tag flag and attributes.
  const components: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(table.components)) {
    components[name] = { allowedAttributes: c.allowedAttributes, endingTag: c.endingTag, getTagName: () => name };
  }
  const revived: Record<string, Array<string | RegExp>> = {};
  for (const [parent, children] of Object.entries(table.dependencies as Record<string, Array<string | { pattern: string; flags: string }>>)) {
    revived[parent] = children.map((c) => (typeof c === 'string' ? c : new RegExp(c.pattern, c.flags)));
  }
  const dependencies = validator.assignDependencies({}, validator.dependencies, revived);
  toolkit = { parse, validate: validator.default, components, options: { components, dependencies, initializeType } };
  return toolkit;
}

/** mjml's validation problems, with 1-based lines in `text`. Includes are validated in their own files. */
export function validateMjml(text: string): MjmlProblem[] {
  const t = load();
  const tree = t.parse(text, { components: t.components, keepComments: false, ignoreIncludes: true });
  return t.validate(tree, t.options).map((e) => ({ line: e.line, tagName: e.tagName, message: e.message.trim() }));
}
