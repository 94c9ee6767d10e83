import {isUtf8} from 'node:buffer';

// What the bytes of a runbook file are, before they are read as Markdown:
// UTF-8 text (a UTF-8 byte order mark is fine), or refused with why.

export type DecodedSource =
  | {readonly ok: true; readonly text: string; readonly invalid?: {readonly line: number; readonly column: number}}
  | {readonly ok: false; readonly why: string};

const byteOrderMarks: readonly (readonly [bytes: readonly number[], name: string])[] = [
  [[0xff, 0xfe, 0, 0], 'UTF-32 LE'],
  [[0, 0, 0xfe, 0xff], 'UTF-32 BE'],
  [[0xff, 0xfe], 'UTF-16 LE'],
  [[0xfe, 0xff], 'UTF-16 BE'],
];

// Refused: a UTF-16 or UTF-32 byte order mark, or a NUL byte (binary files
// such as images hold them, Markdown never does). Bytes that are not UTF-8
// are read as U+FFFD, and `invalid` says where the first one is, so the
// mistake is reported at its place while the rest is still checked.
export function decodeRunbookBytes(bytes: Uint8Array): DecodedSource {
  for (const [mark, name] of byteOrderMarks) {
    if (mark.every((byte, index) => bytes[index] === byte)) {
      return {ok: false, why: `it is ${name} text (it starts with a ${name} byte order mark), not UTF-8; save it as UTF-8`};
    }
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nul = buffer.indexOf(0);
  if (nul >= 0) {
    const {line, column} = pointAt(buffer.subarray(0, nul).toString('utf8'));
    return {ok: false, why: `it holds a NUL byte at ${line}:${column}, so it is a binary file (or UTF-16 text), not UTF-8 Markdown; give the path of a Markdown file`};
  }
  const text = buffer.toString('utf8');
  if (isUtf8(buffer)) return {ok: true, text};
  return {ok: true, text, invalid: pointAt(text.slice(0, firstInvalidOffset(text, buffer)))};
}

// The offset in `text` of the first U+FFFD that stands for bytes that are
// not UTF-8 (and not for a U+FFFD written in the file, EF BF BD).
function firstInvalidOffset(text: string, bytes: Buffer): number {
  for (let index = text.indexOf('\uFFFD'); index >= 0; index = text.indexOf('\uFFFD', index + 1)) {
    const at = Buffer.byteLength(text.slice(0, index));
    if (bytes[at] !== 0xef || bytes[at + 1] !== 0xbf || bytes[at + 2] !== 0xbd) return index;
  }
  return 0;
}

// The line and column just past `before`, counted as the parser counts them
// (lines end at `\n`, `\r\n` or a lone `\r`; a UTF-8 byte order mark is not a column).
function pointAt(before: string): {line: number; column: number} {
  const text = before.startsWith('\uFEFF') ? before.slice(1) : before;
  const lines = text.split(/\r\n|\r|\n/);
  return {line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1};
}
