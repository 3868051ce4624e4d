// The skip-ahead both htmlparser2 tokenizers we run use (ours, and the older copy mjml-parser-xml
// brings): the same tokens and events in fewer turns of the tokenizer's main loop. Texts and
// attribute values are skipped with indexOf (the stock loop compares one character per turn), and
// names are read in one loop, the stock state then handed the character that ends them. The stock
// states do nothing with the characters skipped. These patch private methods; the model tests
// compare the results with the stock tokenizers, so a release that changes them fails there.

/** The tokenizer's state these patches read: its buffer, the index in the stream, the buffer's offset. */
export interface TokenizerState {
  buffer: string;
  index: number;
  offset: number;
}

type State = (this: TokenizerState, c: number) => void;

const CHARS = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

/** `fastForwardTo(c)` by indexOf: true with the index on the next `c`, or false at the end of the buffer. */
export function fastForwardTo(this: TokenizerState, c: number): boolean {
  const found = this.buffer.indexOf(CHARS[c]!, this.index + 1 - this.offset);
  if (found !== -1) {
    this.index = found + this.offset;
    return true;
  }
  // As the original: parse() increments the index after the state returns.
  this.index = this.buffer.length + this.offset - 1;
  return false;
}

/** Replaces the state `name` on `proto` with one that calls `stock`'s only with the first character `stop` accepts (or never, at the end). */
export function skipUntil(proto: object, stockProto: object, name: string, stop: (c: number) => boolean): void {
  const stock = (stockProto as Record<string, State>)[name]!;
  (proto as Record<string, State>)[name] = function (c) {
    if (!stop(c)) {
      const buffer = this.buffer;
      let i = this.index - this.offset + 1;
      while (i < buffer.length && !stop((c = buffer.charCodeAt(i)))) i++;
      if (i === buffer.length) {
        // As the stock loop: parse() increments the index after the state returns.
        this.index = buffer.length + this.offset - 1;
        return;
      }
      this.index = i + this.offset;
    }
    stock.call(this, c);
  };
}
