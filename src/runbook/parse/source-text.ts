import {location} from 'vfile-location';
import type {Point, Position} from '../model.js';

type Located = {position?: {start: {offset?: number | undefined}; end: {offset?: number | undefined}} | undefined};

// Offsets of the Markdown source as lines and columns, the way an editor
// counts them, and the text of a parsed node.
export class SourceText {
  readonly #place: ReturnType<typeof location>;

  constructor(readonly text: string) {
    this.#place = location(text);
  }

  pointAt(offset: number): Point {
    const point = this.#place.toPoint(offset);
    return {line: point?.line ?? 1, column: point?.column ?? 1, offset};
  }

  offsetOf(line: number): number {
    return this.#place.toOffset({line, column: 1}) ?? 0;
  }

  // The offset of the line ending (`\n`, `\r\n` or a lone `\r`) after `offset`.
  lineEndAt(offset: number): number {
    const source = this.text;
    let end = offset;
    while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end += 1;
    return end;
  }

  positionOf(node: Located): Position {
    return {start: this.pointAt(node.position?.start.offset ?? 0), end: this.pointAt(node.position?.end.offset ?? 0)};
  }

  sliceOf(node: Located): string {
    return this.text.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
  }

  // Maps (0-based line, 1-based column) in a fenced block's value to the
  // source. The value lacks the container prefix (`> `, list indentation),
  // which differs per line, so each line is found as the suffix of its source
  // line; when indentation tabs were expanded, the text after the indentation
  // is; when micromark replaced a NUL (same length), the length tells.
  bodyPlace(lines: readonly string[], fence: Point): (line: number, column: number) => Point {
    const source = this.text;
    return (line, column) => {
      if (lines.length === 1 && lines[0] === '') return fence;
      const sourceLine = fence.line + 1 + line;
      const lineStart = this.offsetOf(sourceLine);
      const text = source.slice(lineStart, this.lineEndAt(lineStart));
      const content = lines[line] ?? '';
      const body = content.trimStart();
      const indent = content.length - body.length;
      let mapped: number;
      if (content !== '' && text.endsWith(content)) mapped = text.length - content.length + column;
      else if (text.endsWith(body)) mapped = text.length - body.length + Math.max(column - indent, 1);
      else if (content.length <= text.length) mapped = text.length - content.length + column;
      else mapped = fence.column - 1 + column;
      const exact = Math.min(Math.max(mapped, 1), text.length + 1);
      return {line: sourceLine, column: exact, offset: lineStart + exact - 1};
    };
  }
}
