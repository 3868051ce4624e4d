// Offsets to lines and columns (0-based, UTF-16 code units, as LSP and ESLint count them).
import { LineIndex } from './text';

export interface Position {
  line: number;
  character: number;
}

export class PositionMapper {
  private readonly lines: LineIndex;
  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lines.lineOf(o);
    return { line, character: o - this.lines.startOf(line) };
  }
}
