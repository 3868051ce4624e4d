// mjml's own validation (unknown tags and attributes, wrong nesting, bad values) run on the
// source with mjml's validator, without compiling to HTML. The tag table comes from
// mjml-components.json (extracted from mjml-preset-core, see test/tools/mjml-components.cjs),
// so the bundle carries no HTML compiler. The packages load on first use.
//
// The tree the validator reads is built here (buildMjmlTree), not by mjml-parser-xml: profiled
// over a folder of MJML campaigns, mjml-parser-xml spent five times its tokenizer's time around
// it (a linear search over the line starts for every tag, `delete` on every node, a path.resolve
// and a lodash mapValues per tag; docs/benchmarks.md, "MJML round"). buildMjmlTree makes the same
// tree for mjml-parser-xml's options here (includes and comments ignored), with the same tokenizer:
// test/unit/mjml-tree.test.ts compares the two trees and the validator's answers on both.

import * as path from 'node:path';
import table from './mjml-components.json';
import { deepenParserStacks, withArrayStacks } from './parserStack';
import { fastForwardTo, skipUntil } from './skipAhead';

export interface MjmlProblem {
  line: number;
  tagName: string;
  message: string;
}

/** A node as mjml-parser-xml returns it (after its cleanNode and setEmptyAttributes passes). */
export interface MjmlNode {
  file: string;
  absoluteFilePath: string;
  line: number;
  includedIn: unknown[];
  tagName: string;
  attributes: Record<string, string | boolean>;
  /** Absent when the node has none, as mjml-parser-xml leaves it. */
  children?: MjmlNode[];
  content?: string;
}

type Rule = (element: MjmlNode, options: Record<string, unknown>) => MjmlProblem | MjmlProblem[] | null;

interface HtmlParser {
  startIndex: number;
  endIndex: number;
  write(chunk: string): void;
  end(): void;
}
type HtmlParserClass = new (handler: Record<string, unknown>, options: Record<string, unknown>) => HtmlParser;
type TokenizerClass = new (...args: never[]) => unknown;

const isWhitespace = (c: number) => c === 32 || c === 10 || c === 9 || c === 12 || c === 13;
/** `/`, `>` or a space: what ends a tag name (and, with `=`, an attribute name). */
const endsTagSection = (c: number) => c === 47 || c === 62 || isWhitespace(c);

/**
 * htmlparser2 9's Tokenizer, with the same tokens and events in fewer turns of its main loop:
 * texts and attribute values are skipped with indexOf (the stock loop compares one character per
 * turn), and tag names, attribute names and the spaces between attributes are read in one loop
 * each, the stock state then handed the character that ends them. The stock states do nothing
 * with the characters skipped. Profiled: the tokenizer was most of buildMjmlTree's time.
 */
function fasterTokenizer(Stock: TokenizerClass): TokenizerClass {
  class MjmlTokenizer extends (Stock as new (...args: never[]) => object) {}
  const proto = MjmlTokenizer.prototype as unknown as Record<string, unknown>;
  proto['fastForwardTo'] = fastForwardTo;
  const skip = (name: string, stop: (c: number) => boolean) => skipUntil(proto, Stock.prototype as object, name, stop);
  skip('stateInTagName', endsTagSection);
  skip('stateInClosingTagName', (c) => c === 62 || isWhitespace(c));
  skip('stateInAttributeName', (c) => c === 61 || endsTagSection(c));
  skip('stateBeforeAttributeName', (c) => !isWhitespace(c));
  return MjmlTokenizer;
}

/** The parser with an open-element stack that costs the same at any depth once it is deep (parserStack.ts). */
function constantTimeStacks(Stock: HtmlParserClass): HtmlParserClass {
  return class extends (Stock as unknown as new (handler: Record<string, unknown>, options: Record<string, unknown>) => HtmlParser & { onopentagname(start: number, endIndex: number): void; onend(): void }) {
    override onopentagname(start: number, endIndex: number): void {
      deepenParserStacks(this);
      super.onopentagname(start, endIndex);
    }
    override onend(): void {
      withArrayStacks(this);
      super.onend();
    }
  };
}

interface MjmlToolkit {
  Parser: HtmlParserClass;
  Tokenizer: TokenizerClass;
  /** Tags whose content mjml keeps as raw text (mj-text, mj-button, mj-raw ...). */
  endingTags: string[];
  rules: Rule[];
  /** The options every validator rule receives, built once. */
  ruleOptions: Record<string, unknown>;
}

let toolkit: MjmlToolkit | undefined;

function load(): MjmlToolkit {
  if (toolkit) return toolkit;
  // mjml-parser-xml's own copy of htmlparser2 (9.x; ours is newer): the tokenizer decides where
  // tags start and end, so the tree is built from the very events mjml-parser-xml reads. If an
  // upgrade dedupes it away, this path stops resolving and the build says so.
  const { Parser: StockParser } = require('mjml-parser-xml/node_modules/htmlparser2/lib/Parser.js') as { Parser: HtmlParserClass };
  const Parser = constantTimeStacks(StockParser);
  const Tokenizer = fasterTokenizer((require('mjml-parser-xml/node_modules/htmlparser2/lib/Tokenizer.js') as { default: TokenizerClass }).default);
  const validator = require('mjml-validator') as typeof import('mjml-validator');
  const { initializeType, default: TypeBase } = require('mjml-core/lib/types/type') as { initializeType: (type: string) => TypeClass; default: TypeClass };
  // The validator only asks a component for its ending-tag flag and attributes.
  const components: Record<string, unknown> = {};
  const endingTags: string[] = [];
  for (const [name, c] of Object.entries(table.components)) {
    components[name] = { allowedAttributes: c.allowedAttributes, endingTag: c.endingTag, getTagName: () => name };
    if (c.endingTag) endingTags.push(name);
  }
  const revived: Record<string, Array<string | RegExp>> = {};
  for (const [parent, children] of Object.entries(table.dependencies as Record<string, Array<string | { pattern: string; flags: string }>>)) {
    revived[parent] = children.map((c) => (typeof c === 'string' ? c : new RegExp(c.pattern, c.flags)));
  }
  const dependencies = validator.assignDependencies({}, validator.dependencies, revived);
  // What MJMLValidator passes each rule: `{ dependencies: <mjml's>, skipElements, ...options }`.
  const ruleOptions = { dependencies, skipElements: SKIP_ELEMENTS, components, initializeType: memoizedTypes(initializeType, TypeBase) };
  const rules = Object.values(validator.rulesCollection) as unknown as Rule[];
  toolkit = { Parser, Tokenizer, endingTags, rules, ruleOptions };
  return toolkit;
}

/** MJMLValidator's default: the root is not validated itself. */
const SKIP_ELEMENTS = ['mjml'];

interface TypeCheck {
  isValid(): boolean;
  getErrorMessage(): string | undefined;
}
type TypeClass = new (value: unknown) => TypeCheck;

/** Distinct values remembered per attribute type, before that type's answers are dropped. */
const MAX_VALUES_PER_TYPE = 5000;

const VALID: TypeCheck = { isValid: () => true, getErrorMessage: () => undefined };

/**
 * mjml's base Type accepts a value when `${value}` matches one of its matchers; a type whose only
 * matcher is /.*\/ (the `string` type: href, src, alt, css-class ...) accepts every value.
 */
function acceptsEverything(Real: TypeClass, TypeBase: TypeClass): boolean {
  const probe = new Real('') as TypeCheck & { matchers?: unknown };
  const m = probe.matchers;
  return (
    probe.isValid === (TypeBase.prototype as TypeCheck).isValid &&
    Array.isArray(m) &&
    m.length === 1 &&
    m[0] instanceof RegExp &&
    m[0].source === '.*'
  );
}

/**
 * mjml's attribute type checkers, with each answer kept per type and value. The validator builds
 * one checker per attribute (a Color compiles its regexes each time) and only asks isValid() and
 * getErrorMessage(); templates repeat the same few values (16px, #ffffff) thousands of times.
 * Profiled: the checkers were half of validating a 100 KB template (docs/benchmarks.md). Types
 * that accept every value answer without a checker: their values (URLs) rarely repeat.
 */
function memoizedTypes(initializeType: (type: string) => TypeClass, TypeBase: TypeClass): (type: string) => TypeClass {
  const classes = new Map<string, TypeClass>();
  return (type) => {
    let cached = classes.get(type);
    if (cached) return cached;
    const Real = initializeType(type);
    if (acceptsEverything(Real, TypeBase)) {
      cached = function (): TypeCheck {
        return VALID;
      } as unknown as TypeClass;
      classes.set(type, cached);
      return cached;
    }
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

/** 1-based line of `pos`: how many line starts are at or before it (binary search). */
function lineAt(lineStarts: number[], pos: number): number {
  let lo = 0;
  let hi = lineStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lineStarts[mid]! <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The tree mjml-parser-xml builds from `xml` with `{ ignoreIncludes: true, keepComments: false }`
 * and its other defaults (booleans converted, empty attributes set, filePath '.'), event for
 * event: mj-include tags are skipped, the content of ending tags is kept as raw text, texts
 * elsewhere are trimmed and joined, the last top-level element is the root. Throws what it throws
 * on a file with no element.
 */
export function buildMjmlTree(xml: string): MjmlNode {
  const { Parser, Tokenizer, endingTags } = load();
  // mjml-parser-xml resolves its actualPath ('.') against its cwd ('.') for every node.
  const absoluteFilePath = path.resolve('.', '.');
  const includedIn: unknown[] = [];
  const lineStarts = [0];
  for (let nl = xml.indexOf('\n'); nl !== -1; nl = xml.indexOf('\n', nl + 1)) lineStarts.push(nl + 1);
  let root: MjmlNode | null = null;
  // The open elements; mjml-parser-xml follows `parent` links, which is the same walk.
  const stack: MjmlNode[] = [];
  let cur: MjmlNode | null = null;
  let inEndingTag = 0;
  let endingStart = 0;
  let endingEnd = 0;
  const parser: HtmlParser = new Parser(
    {
      onopentag(name: string, attrs: Record<string, string>) {
        const isAnEndingTag = endingTags.indexOf(name) !== -1;
        if (inEndingTag > 0) {
          if (isAnEndingTag) inEndingTag += 1;
          return;
        }
        if (isAnEndingTag) {
          inEndingTag += 1;
          if (inEndingTag === 1) {
            endingStart = parser.startIndex;
            endingEnd = parser.endIndex;
          }
        }
        if (name === 'mj-include') return;
        const attributes: Record<string, string | boolean> = {};
        for (const key of Object.keys(attrs)) {
          const val = attrs[key]!;
          attributes[key] = val === 'true' ? true : val === 'false' ? false : val;
        }
        const node: MjmlNode = { file: '.', absoluteFilePath, line: lineAt(lineStarts, parser.startIndex), includedIn, tagName: name, attributes, children: undefined };
        if (cur) (cur.children ??= []).push(node);
        else root = node;
        stack.push(node);
        cur = node;
      },
      onclosetag(name: string) {
        if (endingTags.indexOf(name) !== -1) {
          inEndingTag -= 1;
          // Leaving the outermost ending tag: its raw content, unless it closed itself.
          if (!inEndingTag && !(endingStart === parser.startIndex && endingEnd === parser.endIndex)) {
            const partialVal = xml.substring(endingEnd + 1, parser.endIndex).trim();
            const val = partialVal.substring(0, partialVal.lastIndexOf(`</${name}`));
            if (val) (cur as MjmlNode).content = val.trim();
          }
        }
        if (inEndingTag > 0) return;
        if (name !== 'mj-include' && cur) {
          stack.pop();
          cur = stack.length ? stack[stack.length - 1]! : null;
        }
      },
      ontext(text: string) {
        if (inEndingTag > 0) return;
        const trimmed = text.trim();
        if (trimmed && cur) cur.content = `${cur.content || ''}${trimmed}`.trim();
      },
    },
    // mjml-parser-xml's options, and the faster tokenizer (the parser's documented option).
    { recognizeCDATA: true, decodeEntities: false, recognizeSelfClosing: true, lowerCaseAttributeNames: false, Tokenizer },
  );
  parser.write(xml);
  parser.end();
  if (!root) throw new Error('Parsing failed. Check your mjml.');
  return root;
}

/**
 * What MJMLValidator does: every rule on the element (the root skipped), then its children, in
 * the same order. With a stack of its own, not recursion: mj-section nested 100,000 deep overflowed
 * the call stack. Each rule looks at one node and its direct children, so this is linear.
 */
function validateTree(root: MjmlNode, t: MjmlToolkit, out: MjmlProblem[]): void {
  const pending: MjmlNode[] = [root];
  while (pending.length) {
    const node = pending.pop()!;
    if (!SKIP_ELEMENTS.includes(node.tagName)) {
      for (const rule of t.rules) {
        const found = rule(node, t.ruleOptions);
        if (Array.isArray(found)) for (const f of found) out.push(f);
        else if (found) out.push(found);
      }
    }
    const children = node.children;
    if (children) for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
}

/** mjml's validation problems, with 1-based lines in `text`. Includes are validated in their own files. */
export function validateMjml(text: string): MjmlProblem[] {
  const t = load();
  const out: MjmlProblem[] = [];
  validateTree(buildMjmlTree(text), t, out);
  return out.map((e) => ({ line: e.line, tagName: e.tagName, message: e.message.trim() }));
}

/** The attribute names mjml accepts on a component (its own and mj-class / css-class), or undefined for an unknown tag. */
export function mjmlAttributeNames(tagName: string): string[] | undefined {
  const c = (table.components as Record<string, { allowedAttributes: Record<string, string> }>)[tagName];
  return c ? [...Object.keys(c.allowedAttributes), 'mj-class', 'css-class'] : undefined;
}
