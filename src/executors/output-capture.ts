import {isAscii} from 'node:buffer';
import type {OutputChunk} from './types.js';

// Keeps the first `limit` bytes of a stream, so a node printing gigabytes
// holds at most `limit` bytes in memory.
export class OutputCapture {
  readonly #limit: number;
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  #truncated = false;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get truncated(): boolean {
    return this.#truncated;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const room = this.#limit - this.#bytes;
    if (room <= 0) {
      this.#truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.#truncated = true;
    // a copy, so a slice does not pin the whole chunk it came from
    this.#chunks.push(Buffer.from(kept));
    this.#bytes += kept.length;
  }

  text(): string {
    const bytes = Buffer.concat(this.#chunks);
    return new TextDecoder('utf-8').decode(this.#truncated ? completeUtf8Prefix(bytes) : bytes);
  }
}

// Drops a UTF-8 sequence the cut left incomplete, so a truncated capture does
// not end in a replacement character.
export function completeUtf8Prefix(bytes: Uint8Array): Uint8Array {
  let start = bytes.length - 1;
  while (start >= 0 && bytes.length - start < 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start -= 1;
  if (start < 0) return bytes;
  const lead = bytes[start] ?? 0;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - start < length ? bytes.subarray(0, start) : bytes;
}

// Turns raw chunks of one stream into text chunks; a character split across
// chunks is emitted whole with the later chunk.
export function textForwarder(stream: OutputChunk['stream'], onOutput: (chunk: OutputChunk) => void): {
  write: (chunk: Uint8Array) => void;
  end: () => void;
} {
  const decoder = new TextDecoder('utf-8');
  let ended = false;
  // the decoder may hold the start of a character split across chunks: only
  // when the last byte it read was not ASCII
  let partial = false;
  return {
    write: (chunk) => {
      // ASCII with nothing held decodes as itself, ten times faster as latin1
      if (!partial && isAscii(chunk)) {
        if (chunk.length > 0) onOutput({stream, text: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1')});
        return;
      }
      if (chunk.length > 0) partial = (chunk[chunk.length - 1] ?? 0) >= 0x80;
      const text = decoder.decode(chunk, {stream: true});
      if (text !== '') onOutput({stream, text});
    },
    end: () => {
      if (ended) return;
      ended = true;
      const text = decoder.decode();
      if (text !== '') onOutput({stream, text});
    },
  };
}
