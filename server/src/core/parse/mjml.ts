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
  toolkit = { parse, validate: validator.default, components, options: { components, dependencies, initializeType: memoizedTypes(initializeType as unknown as (type: string) => TypeClass) } };
  return toolkit;
}

interface TypeCheck {
  isValid(): boolean;
  getErrorMessage(): string | undefined;
}
type TypeClass = new (value: unknown) => TypeCheck;

/** Distinct values remembered per attribute type, before that type's answers are dropped. */
const MAX_VALUES_PER_TYPE = 5000;

/**
 * mjml's attribute type checkers, with each answer kept per type and value. The validator builds
 * one checker per attribute (a Color compiles its regexes each time) and only asks isValid() and
 * getErrorMessage(); templates repeat the same few values (16px, #ffffff) thousands of times.
 * Profiled: the checkers were half of validating a 100 KB template (docs/benchmarks.md).
 */
function memoizedTypes(initializeType: (type: string) => TypeClass): (type: string) => TypeClass {
  const classes = new Map<string, TypeClass>();
  return (type) => {
    let cached = classes.get(type);
    if (cached) return cached;
    const Real = initializeType(type);
    const answers = new Map<string, TypeCheck>();
    // A constructor that returns an object makes `new` give that object: one answer per value.
    cached = function (value: unknown): TypeCheck {
      const key = String(value);
      let answer = answers.get(key);
      if (!answer) {
        const real = new Real(value);
        const valid = real.isValid();
        const message = valid ? undefined : real.getErrorMessage();
        answer = { isValid: () => valid, getErrorMessage: () => message };
        if (answers.size >= MAX_VALUES_PER_TYPE) answers.clear();
        answers.set(key, answer);
      }
      return answer;
    } as unknown as TypeClass;
    classes.set(type, cached);
    return cached;
  };
}

/** mjml's validation problems, with 1-based lines in `text`. Includes are validated in their own files. */
export function validateMjml(text: string): MjmlProblem[] {
  const t = load();
  const tree = t.parse(text, { components: t.components, keepComments: false, ignoreIncludes: true });
  return t.validate(tree, t.options).map((e) => ({ line: e.line, tagName: e.tagName, message: e.message.trim() }));
}
