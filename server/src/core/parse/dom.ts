// htmlparser2's DOM (domhandler nodes), built faster than DomHandler builds it.
//
// Why: domhandler declares its node fields as class fields, and every node type runs the one
// shared Node field initializer, whose property definitions V8 handles on a slow, megamorphic
// path. Profiles of linting put a quarter of all CPU time there (`<instance_members_initializer>`;
// see docs/benchmarks.md). The handler below makes the three node types a template is made of
// (elements, text, comments) with plain constructors that create the very same objects: the same
// prototype (so `instanceof Element` and every getter work), the same own properties in the same
// order, the same values. test/unit/dom.test.ts compares the two trees node by node, so a
// domhandler release that changes its fields fails a test instead of drifting silently.
//
// Entities are decoded here too, not by the tokenizer: htmlparser2's tokenizer goes through text
// and attribute values character by character when it decodes entities, and jumps to the next
// `<` or quote with indexOf when it does not (about a third of all parse time on templates, see
// docs/benchmarks.md). So the tokenizer runs with decodeEntities off and the handler decodes the
// few texts and values that hold an `&`, with the same decoder (entities) in the same modes the
// tokenizer uses: text in "legacy" mode, attribute values in "attribute" mode, and raw-text
// elements (script, style ...) not at all.

import { Parser, type ParserOptions } from 'htmlparser2';
import { Comment, DomHandler, Element, Text, type ChildNode, type DataNode, type Document } from 'domhandler';
import { DecodingMode, decodeHTML, decodeHTMLAttribute } from 'entities/decode';

type Attribs = Record<string, string>;

// Own properties as domhandler's class fields define them (Node, then the subclass's, in order).
function FastElement(this: Record<string, unknown>, name: string, attribs: Attribs, type: string) {
  this['parent'] = null;
  this['prev'] = null;
  this['next'] = null;
  this['startIndex'] = null;
  this['endIndex'] = null;
  this['children'] = [];
  this['name'] = name;
  this['attribs'] = attribs;
  this['type'] = type;
  this['namespace'] = undefined;
  this['x-attribsNamespace'] = undefined;
  this['x-attribsPrefix'] = undefined;
}
FastElement.prototype = Element.prototype;

function FastText(this: Record<string, unknown>, data: string) {
  this['parent'] = null;
  this['prev'] = null;
  this['next'] = null;
  this['startIndex'] = null;
  this['endIndex'] = null;
  this['data'] = data;
  this['type'] = 'text';
}
FastText.prototype = Text.prototype;

function FastComment(this: Record<string, unknown>, data: string) {
  this['parent'] = null;
  this['prev'] = null;
  this['next'] = null;
  this['startIndex'] = null;
  this['endIndex'] = null;
  this['data'] = data;
  this['type'] = 'comment';
}
FastComment.prototype = Comment.prototype;

const newElement = FastElement as unknown as new (name: string, attribs: Attribs, type: string) => Element;
const newText = FastText as unknown as new (data: string) => Text;
const newComment = FastComment as unknown as new (data: string) => Comment;

interface ParserPositions {
  endIndex: number;
  /** Internal to htmlparser2 but what its tokenizer asks to decide whether a tag is raw text. */
  isInForeignContext?(): boolean;
}

// Elements whose text the tokenizer never decodes (HTML's raw-text elements, as htmlparser2 lists
// them), unless opened inside <svg> or <math>; title and textarea are decoded like any text.
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);


/** DomHandler with its onopentag / ontext / oncomment (same logic, HTML mode) making nodes as above. */
class FastDomHandler extends DomHandler {
  private positions: ParserPositions | null = null;

  constructor(
    private readonly withEndIndices: boolean,
    /** Decode entities here (the tokenizer was told not to). */
    private readonly decode: boolean,
    options: { withStartIndices?: boolean; withEndIndices?: boolean },
  ) {
    super(undefined, options);
  }

  override onparserinit(parser: Parameters<DomHandler['onparserinit']>[0]): void {
    super.onparserinit(parser);
    this.positions = parser as unknown as ParserPositions;
  }

  override onopentag(name: string, attribs: Attribs): void {
    if (this.decode) {
      for (const key in attribs) {
        const value = attribs[key]!;
        if (value.indexOf('&') !== -1) attribs[key] = decodeHTMLAttribute(value);
      }
    }
    const element = new newElement(name, attribs, name === 'script' ? 'script' : name === 'style' ? 'style' : 'tag');
    this.addNode(element);
    this.tagStack.push(element);
  }

  override ontext(data: string): void {
    if (this.decode && data.indexOf('&') !== -1) {
      const parent = this.tagStack[this.tagStack.length - 1] as Element | Document;
      const raw = 'name' in parent && RAW_TEXT.has(parent.name) && !this.positions?.isInForeignContext?.();
      if (!raw) data = decodeHTML(data, DecodingMode.Legacy);
    }
    const last = this.lastNode;
    if (last && last.type === 'text') {
      last.data += data;
      if (this.withEndIndices && this.positions) last.endIndex = this.positions.endIndex;
    } else {
      const node = new newText(data);
      this.addNode(node);
      this.lastNode = node;
    }
  }

  override oncomment(data: string): void {
    const last = this.lastNode as DataNode | null;
    if (last && last.type === 'comment') {
      last.data += data;
      return;
    }
    const node = new newComment(data);
    this.addNode(node as ChildNode);
    this.lastNode = node;
  }
}

export type DomOptions = ParserOptions & { withStartIndices?: boolean; withEndIndices?: boolean };

/** Same result as htmlparser2's parseDocument(text, options) in HTML mode (no xmlMode). */
export function parseDom(text: string, options: DomOptions): Document {
  if (options.xmlMode) throw new Error('parseDom builds HTML-mode documents only');
  const decode = options.decodeEntities !== false;
  const handler = new FastDomHandler(!!options.withEndIndices, decode, options);
  new Parser(handler, { ...options, decodeEntities: false }).end(text);
  return handler.root;
}
