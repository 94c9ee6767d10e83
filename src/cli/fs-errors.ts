import {statSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {UsageError} from './errors.js';

// Filesystem failures in words, for one line on stderr: what happened, then
// the code a search engine knows (`no space left on device (ENOSPC)`).
const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EEXIST: 'it already exists',
  EBUSY: 'resource busy',
};

export function isFsError(error: unknown): error is NodeJS.ErrnoException & {code: string} {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code ?? '');
}

export function describeFsError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? 'unknown error';
  const reason = reasons[code];
  return reason === undefined ? code : `${reason} (${code})`;
}

// Why `path` cannot be read as a file, before trying: a directory, a FIFO or
// a device would fail late or block forever (a FIFO waits for a writer).
// Undefined when it is a regular file or does not exist (reading says so).
export function notARegularFile(path: string): string | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined;
  }
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'it is a directory';
  if (stats.isFIFO()) return 'it is a FIFO, not a regular file';
  if (stats.isSocket()) return 'it is a socket, not a file';
  return 'it is a device, not a file';
}

// Reads a file the user named, as UTF-8; a path that is not a regular file
// (`refused`, before reading), or cannot be read, is a UsageError whose
// message `problem` words from why (`no such file`, `it is a directory`,
// `permission denied (EACCES)`, …).
export async function readUserFile(path: string, problem: (why: string, refused: boolean) => string): Promise<string> {
  return (await readUserBytes(path, problem)).toString('utf8');
}

// `readUserFile`, as bytes, for callers that decide how to decode them.
export async function readUserBytes(path: string, problem: (why: string, refused: boolean) => string): Promise<Buffer> {
  const refused = notARegularFile(path);
  if (refused !== undefined) throw new UsageError(problem(refused, true));
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(problem(code === 'ENOENT' ? 'no such file' : describeFsError(error as NodeJS.ErrnoException), false));
  }
}
