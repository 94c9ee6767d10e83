import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {isAbsolute, join, normalize, sep} from 'node:path';
import {outputsDirName} from '../transcript/paths.js';

// The last lines of one node attempt's output, rebuilt from chunks that
// arrive split mid-line, in bounded memory: at most `keep` whole lines, and
// no line longer than `maxLineLength` (the rest of a longer line is dropped
// and the line ends with `…`).
export class OutputTail {
  readonly #keep: number;
  readonly #maxLineLength: number;
  readonly #lines: string[] = [];
  readonly #partial = {stdout: '', stderr: ''};
  readonly #cut = {stdout: false, stderr: false};
  #total = 0;

  constructor(keep: number, maxLineLength: number) {
    this.#keep = keep;
    this.#maxLineLength = maxLineLength;
  }

  add(stream: 'stdout' | 'stderr', text: string): void {
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      if (newline === -1) {
        this.#append(stream, text.slice(from));
        return;
      }
      this.#append(stream, text.slice(from, newline));
      this.#push(stream);
      from = newline + 1;
    }
  }

  // Whole lines so far (a last line without its newline included) and how
  // many lines came before them.
  lines(): {readonly lines: string[]; readonly before: number} {
    const lines = [...this.#lines];
    let total = this.#total;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.#partial[stream] !== '' || this.#cut[stream]) {
        lines.push(this.#partial[stream] + (this.#cut[stream] ? '…' : ''));
        total += 1;
      }
    }
    const shown = lines.slice(-this.#keep);
    return {lines: shown, before: total - shown.length};
  }

  #append(stream: 'stdout' | 'stderr', piece: string): void {
    if (this.#cut[stream] || piece === '') return;
    const room = this.#maxLineLength - this.#partial[stream].length;
    if (piece.length > room) {
      this.#partial[stream] += piece.slice(0, Math.max(0, room));
      this.#cut[stream] = true;
    } else {
      this.#partial[stream] += piece;
    }
  }

  #push(stream: 'stdout' | 'stderr'): void {
    this.#lines.push(this.#partial[stream] + (this.#cut[stream] ? '…' : ''));
    if (this.#lines.length > this.#keep) this.#lines.shift();
    this.#total += 1;
    this.#partial[stream] = '';
    this.#cut[stream] = false;
  }
}

// How much of a side file's end is read for its last lines.
export const sideTailBytes = 64 * 1024;

// The last lines of a side file (`outputs/…` in the run directory), reading
// only its last `sideTailBytes`. Undefined when the reference points outside
// `outputs/` or the file cannot be read (verify reports both).
export function sideFileTail(runDir: string, file: string, keep: number, maxLineLength: number): string[] | undefined {
  const relative = normalize(file);
  if (isAbsolute(relative) || !relative.startsWith(`${outputsDirName}${sep}`)) return undefined;
  let fd: number;
  try {
    fd = openSync(join(runDir, relative), 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - sideTailBytes);
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const got = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (got === 0) break;
      read += got;
    }
    let text = buffer.subarray(0, read).toString('utf8');
    // the first line read is most likely the end of a longer one
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    const tail = new OutputTail(keep, maxLineLength);
    tail.add('stdout', text);
    return tail.lines().lines;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
