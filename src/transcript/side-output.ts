import {createHash, type Hash} from 'node:crypto';
import {closeSync, fchmodSync, fsyncSync, openSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import type {OutputRefRecord} from './format.js';
import {makePrivateDir, outputsDirName, privateFileMode, withPath} from './paths.js';

// The part of one node attempt's output past the inline cap, streamed to
// `outputs/<node>-<attempt>.log` and hashed as it goes, so memory stays flat.
export class SideOutput {
  readonly #fd: number;
  readonly #hash: Hash = createHash('sha256');
  #bytes = 0;

  private constructor(readonly nodeId: string, readonly attempt: number, readonly file: string, readonly path: string, fd: number) {
    this.#fd = fd;
  }

  static open(runDir: string, nodeId: string, attempt: number): SideOutput {
    makePrivateDir(join(runDir, outputsDirName));
    const base = `${outputsDirName}/${safeFileName(nodeId)}-${attempt}`;
    // an earlier attempt of the run may have used the name already
    for (let copy = 1; ; copy += 1) {
      const file = copy === 1 ? `${base}.log` : `${base}.${copy}.log`;
      let fd: number;
      try {
        fd = openSync(join(runDir, file), 'ax', privateFileMode);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      fchmodSync(fd, privateFileMode);
      return new SideOutput(nodeId, attempt, file, join(runDir, file), fd);
    }
  }

  write(bytes: Buffer): void {
    try {
      writeAll(this.#fd, bytes);
    } catch (error) {
      throw withPath(error, this.path);
    }
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
  }

  // Makes the file durable and returns the record that points at it.
  finish(): OutputRefRecord {
    try {
      fsyncSync(this.#fd);
    } catch (error) {
      throw withPath(error, this.path);
    }
    closeSync(this.#fd);
    return {type: 'output-ref', nodeId: this.nodeId, attempt: this.attempt, file: this.file, bytes: this.#bytes, sha256: this.#hash.digest('hex')};
  }
}

export function writeAll(fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

// The longest prefix of `bytes` no longer than `limit` that does not end inside a UTF-8 character.
export function utf8Prefix(bytes: Buffer, limit: number): number {
  if (limit >= bytes.length) return bytes.length;
  let end = Math.max(0, limit);
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return end;
}

function safeFileName(nodeId: string): string {
  return nodeId.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
}
