import {randomBytes} from 'node:crypto';
import {chmodSync, mkdirSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';

export const defaultTranscriptDir = '.runbook/runs';
export const transcriptFileName = 'transcript.jsonl';
export const outputsDirName = 'outputs';
export const lockFileName = 'lock';

export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

// UTC time to the second, then random hex: ids sort by start time and two
// runs started in the same second still differ.
export const runIdPattern = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll('-', '').replaceAll(':', '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function runDirOf(transcriptDir: string, runId: string): string {
  return join(transcriptDir, runId);
}

export function transcriptPathOf(transcriptDir: string, runId: string): string {
  return join(transcriptDir, runId, transcriptFileName);
}

// Creates `path` and any missing parents with mode 0700, set explicitly
// because the umask may be looser or stricter. Existing directories are left
// as they are: they may be shared on purpose.
export function makePrivateDir(path: string): void {
  if (exists(path)) return;
  makePrivateDir(dirname(path));
  try {
    mkdirSync(path, {mode: privateDirMode});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return;
  }
  chmodSync(path, privateDirMode);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

// write(2) and fsync(2) errors carry no path; the user needs to know which file.
export function withPath(error: unknown, path: string): unknown {
  const errno = error as NodeJS.ErrnoException;
  if (error instanceof Error && typeof errno.code === 'string' && errno.path === undefined) errno.path = path;
  return error;
}
