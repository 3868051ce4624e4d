// The open-element stack of both htmlparser2 parsers we run (ours, and the older copy
// mjml-parser-xml brings), without their cost on deep nesting. htmlparser2 keeps the stack
// innermost-first in an array: every start tag is an `unshift` and every end tag a `shift`, both
// moving the whole array, and an end tag that matches no open element searches all of it
// (`indexOf`). A template nested 100,000 deep took most of a minute to parse. This stack answers
// the same calls in constant time: it stores the elements outermost-first (push and pop at the
// end) and, once it is deep, per name where that name is open, so `indexOf` and `includes` read
// one entry.
//
// It stands in for the array through the calls the parsers make: `length` (and `length = 0` on
// reset), `[0]` (the innermost element), `unshift`, `shift`, `indexOf` and `includes`, from the
// moment the stack is DEEP_STACK deep (deepenParserStacks). The one walk over every index
// (`stack[i]` when the parser closes what is still open at the end) gets a plain array first: see
// `withArrayStacks`. test/unit/template-model.test.ts and mjml-tree.test.ts
// compare the trees built through it with the stock parsers'.

export class ParserStack<T> {
  /** Outermost first. */
  private readonly items: T[] = [];
  /** For each value, the indexes in `items` where it is open, in order. */
  private readonly where = new Map<T, number[]>();

  get length(): number {
    return this.items.length;
  }

  /** Only ever set to 0 (the parsers' reset), or shorter: drops the innermost elements. */
  set length(n: number) {
    while (this.items.length > n) this.shift();
  }

  /** The innermost element (the parsers read `stack[0]`). */
  get 0(): T | undefined {
    return this.items[this.items.length - 1];
  }

  /** Opens an element: innermost from now on. */
  unshift(value: T): number {
    const at = this.items.length;
    this.items.push(value);
    const list = this.where.get(value);
    if (list) list.push(at);
    else this.where.set(value, [at]);
    return this.items.length;
  }

  /** Closes the innermost element. */
  shift(): T | undefined {
    if (!this.items.length) return undefined;
    const value = this.items.pop()!;
    const list = this.where.get(value)!;
    list.pop();
    if (!list.length) this.where.delete(value);
    return value;
  }

  /** How many elements are inside the innermost open `value` (0: it is the innermost), or -1. */
  indexOf(value: T): number {
    const list = this.where.get(value);
    return list ? this.items.length - 1 - list[list.length - 1]! : -1;
  }

  includes(value: T): boolean {
    return this.where.has(value);
  }

  /** The open elements innermost first, as the parsers' own array holds them. */
  toArray(): T[] {
    return this.items.slice().reverse();
  }
}

/** The parser fields this file replaces. */
interface StackedParser {
  stack: unknown;
  foreignContext: unknown;
}

/**
 * Depth from which a parser gets these stacks. Shallower, the parsers' own arrays cost little (a
 * template is a few dozen deep), and reading `stack[0]` through a getter made every template's
 * parse a third slower; deeper, the arrays' cost grows with the depth.
 */
export const DEEP_STACK = 256;

/**
 * Before a start tag: once the parser's stack is DEEP_STACK deep, puts constant-time stacks in its
 * place, with what is open. Once only; the stacks stay for the rest of the input.
 */
export function deepenParserStacks(parser: object): void {
  const p = parser as StackedParser;
  const stack = p.stack as unknown[] | ParserStack<unknown>;
  if (stack instanceof ParserStack || stack.length < DEEP_STACK) return;
  p.stack = fromArray(stack);
  p.foreignContext = fromArray(p.foreignContext as unknown[]);
}

/** Before the parser's own end-of-input handling, which walks the stack by index: plain arrays again. */
export function withArrayStacks(parser: object): void {
  const p = parser as StackedParser;
  if (p.stack instanceof ParserStack) p.stack = p.stack.toArray();
  if (p.foreignContext instanceof ParserStack) p.foreignContext = p.foreignContext.toArray();
}

function fromArray<T>(innermostFirst: readonly T[]): ParserStack<T> {
  const s = new ParserStack<T>();
  for (let i = innermostFirst.length - 1; i >= 0; i--) s.unshift(innermostFirst[i]!);
  return s;
}
