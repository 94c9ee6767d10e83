import {createReadStream, fstatSync, readSync} from 'node:fs';

export interface RawLine {
  // 1-based
  readonly number: number;
  // the line's exact bytes, without its newline
  readonly bytes: Buffer;
  // false only for a last line with no newline: a write that was cut off
  readonly terminated: boolean;
}

// The lines of a file as exact bytes, one at a time, so a large transcript
// is never held in memory whole. (Bytes rather than node:readline strings:
// the hash chain is over bytes, and readline cannot tell whether the last
// line ended with a newline.)
export async function* readRawLines(path: string): AsyncGenerator<RawLine> {
  for await (const batch of readRawLineBatches(path)) yield* batch;
}

const batchBytes = 1024 * 1024;

// The same lines, a large read's worth at a time, for a reader that handles
// each line synchronously (no promise per line). A line within one read is a
// view of it, not a copy; only a line that spans reads is joined.
export async function* readRawLineBatches(path: string, readBytes = batchBytes): AsyncGenerator<RawLine[]> {
  let pieces: Buffer[] = [];
  let number = 0;
  for await (const chunk of createReadStream(path, {highWaterMark: readBytes}) as AsyncIterable<Buffer>) {
    const batch: RawLine[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline);
      number += 1;
      batch.push({number, bytes: pieces.length === 0 ? piece : Buffer.concat([...pieces, piece]), terminated: true});
      pieces = [];
      start = newline + 1;
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
    if (batch.length > 0) yield batch;
  }
  if (pieces.length > 0) yield [{number: number + 1, bytes: Buffer.concat(pieces), terminated: false}];
}

export interface FileTail {
  // the last newline-terminated line, without its newline; undefined when the file has none
  readonly lastLine: Buffer | undefined;
  // where `lastLine` starts
  readonly lastLineOffset: number;
  // bytes after the last newline: a torn write (empty when the file ends cleanly)
  readonly torn: Buffer;
  // where `torn` starts, which is also where the file ends cleanly
  readonly tornOffset: number;
}

const blockSize = 64 * 1024;

// Reads backwards from the end just far enough to find the last complete line.
export function readTail(fd: number): FileTail {
  const size = fstatSync(fd).size;
  const blocks: Buffer[] = [];
  let position = size;
  let newlines: number[] = [];
  while (position > 0 && newlines.length < 2) {
    const length = Math.min(blockSize, position);
    position -= length;
    const block = Buffer.alloc(length);
    readSync(fd, block, 0, length, position);
    blocks.unshift(block);
    newlines = [...newlineOffsets(block, position), ...newlines];
  }
  const bytes = Buffer.concat(blocks);
  const last = newlines.at(-1);
  if (last === undefined) return {lastLine: undefined, lastLineOffset: 0, torn: bytes, tornOffset: 0};
  const before = newlines.at(-2);
  const lastLineOffset = before === undefined ? 0 : before + 1;
  return {
    lastLine: bytes.subarray(lastLineOffset - position, last - position),
    lastLineOffset,
    torn: bytes.subarray(last + 1 - position),
    tornOffset: last + 1,
  };
}

// The first line, without its newline; undefined when the file has no complete line.
export function readFirstLine(fd: number): Buffer | undefined {
  const blocks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const block = Buffer.alloc(blockSize);
    const read = readSync(fd, block, 0, blockSize, position);
    if (read === 0) return undefined;
    const newline = block.subarray(0, read).indexOf(0x0a);
    if (newline !== -1) {
      blocks.push(block.subarray(0, newline));
      return Buffer.concat(blocks);
    }
    blocks.push(block.subarray(0, read));
    position += read;
  }
}

function newlineOffsets(bytes: Buffer, base: number): number[] {
  const offsets: number[] = [];
  for (let index = bytes.indexOf(0x0a); index !== -1; index = bytes.indexOf(0x0a, index + 1)) offsets.push(base + index);
  return offsets;
}
