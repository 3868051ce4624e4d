// htmlparser2, tuned for the template builder (builder.ts): a tokenizer that skips ahead with
// indexOf instead of a turn of its main loop per character, and a parser that drops the
// attributes the model does not keep before it stores them. Both patch htmlparser2 internals;
// test/unit/template-model.test.ts compares the model they give with the stock parser's DOM, so a
// release that changes those internals fails there.

import { Parser, QuoteType, Tokenizer } from 'htmlparser2';
import { closingQuote, OpenerMemo } from '../markup';
import { deepenParserStacks, withArrayStacks } from '../parserStack';
import { fastForwardTo, skipUntil, type TokenizerState } from '../skipAhead';
import { FEATURE_ATTRIBUTES } from '../../caniemail';
import { MODEL_ATTRIBUTES } from './model';
import { AttributeNames, type DuplicateAttribute } from './markupFacts';

export { closingQuote };

const KEPT_ATTRIBUTES: ReadonlySet<string> = new Set(MODEL_ATTRIBUTES);
/** Attributes the usage facts record (usage.ts): style, and those a caniemail feature names. */
export const USAGE_STYLE = 1;
export const USAGE_FEATURE_ATTRIBUTE = 2;
const FEATURE_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(FEATURE_ATTRIBUTES);

/**
 * htmlparser2's tokenizer with its skip-ahead (to the next `<` in text, the closing quote of an
 * attribute value, the next `<` in script and style) done by indexOf instead of a loop over
 * characters. `fastForwardTo` is private in the typings, so it is replaced on the prototype; the
 * model test compares against the stock tokenizer's DOM, so a release that changes its contract
 * fails there.
 */
export class TemplateTokenizer extends Tokenizer {}
(TemplateTokenizer.prototype as unknown as { fastForwardTo: typeof fastForwardTo }).fastForwardTo = fastForwardTo;

// Attribute values: a quote inside a template tag does not end the value (closingQuote, in
// ../markup.ts, where the offsets inside tags are worked out the same way).
type ValueState = (this: TokenizerState, c: number, quote: number) => void;
const stockValue = (Tokenizer.prototype as unknown as { handleInAttributeValue: ValueState }).handleInAttributeValue;
(TemplateTokenizer.prototype as unknown as { handleInAttributeValue: ValueState }).handleInAttributeValue = function (c, quote) {
  if (c !== quote) {
    const self = this as TokenizerState & { openers?: OpenerMemo };
    const end = closingQuote(this.buffer, this.index - this.offset, String.fromCharCode(quote), (self.openers ??= new OpenerMemo()));
    if (end === -1) {
      // As the stock skip-ahead: parse() increments the index after the state returns.
      this.index = this.buffer.length + this.offset - 1;
      return;
    }
    this.index = end + this.offset;
  }
  stockValue.call(this, quote, quote);
};

// Tag names, attribute names and the spaces between attributes: the stock tokenizer takes them one
// character per turn of its main loop. These run through each name in one loop and hand the stock
// state the character that ends it, so the tokens and events are the same.
const TAB = 9;
const NEW_LINE = 10;
const FORM_FEED = 12;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const SLASH = 47;
const EQUALS = 61;
const GT = 62;
function isSpace(c: number): boolean {
  return c === SPACE || c === NEW_LINE || c === TAB || c === FORM_FEED || c === CARRIAGE_RETURN;
}
function endsName(c: number): boolean {
  return c === SLASH || c === GT || isSpace(c);
}
function endsAttributeName(c: number): boolean {
  return c === EQUALS || endsName(c);
}
const skip = (name: string, stop: (c: number) => boolean) => skipUntil(TemplateTokenizer.prototype, Tokenizer.prototype, name, stop);
skip('stateInTagName', endsName);
skip('stateInClosingTagName', endsName);
skip('stateInAttributeName', endsAttributeName);
skip('stateBeforeAttributeName', (c) => !isSpace(c));

/**
 * htmlparser2's parser, dropping the attributes the model does not keep before it stores them, with
 * an open-element stack that costs the same at any depth once it is deep (parserStack.ts).
 */
export class TemplateParser extends Parser {
  private skipAttribute = false;
  /**
   * USAGE_STYLE and USAGE_FEATURE_ATTRIBUTE for the attributes of the tag being opened, for the usage facts (usage.ts): read
   * here, as each name goes by, instead of looking each name up in every element's attributes.
   */
  usageFlags = 0;
  /** Every attribute name of the open tag, dropped ones too, for attribute-duplicate (markupFacts.ts). */
  private readonly attributeNames = new AttributeNames();
  readonly duplicateAttributes: DuplicateAttribute[] = [];

  override onopentagname(start: number, endIndex: number): void {
    deepenParserStacks(this);
    this.usageFlags = 0;
    this.attributeNames.flush(this.duplicateAttributes);
    this.attributeNames.open(start);
    super.onopentagname(start, endIndex);
  }

  override onend(): void {
    withArrayStacks(this);
    this.attributeNames.flush(this.duplicateAttributes);
    super.onend();
  }

  override onattribname(start: number, endIndex: number): void {
    super.onattribname(start, endIndex);
    const name = (this as unknown as { attribname: string }).attribname;
    this.attributeNames.add(name, start, endIndex);
    this.skipAttribute = !KEPT_ATTRIBUTES.has(name);
    if (!this.skipAttribute) {
      if (name === 'style') this.usageFlags |= USAGE_STYLE;
      else if (FEATURE_ATTRIBUTE_NAMES.has(name)) this.usageFlags |= USAGE_FEATURE_ATTRIBUTE;
    }
  }

  override onattribdata(start: number, endIndex: number): void {
    if (!this.skipAttribute) super.onattribdata(start, endIndex);
  }

  override onattribend(quote: QuoteType, endIndex: number): void {
    if (!this.skipAttribute) return super.onattribend(quote, endIndex);
    this.skipAttribute = false;
    this.endIndex = endIndex;
  }
}
