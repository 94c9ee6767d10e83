import {statSync} from 'node:fs';
import {join} from 'node:path';
import {defaultTranscriptDir, runIdPattern, transcriptFileName} from '../transcript/paths.js';
import {UsageError} from './errors.js';
import {notARegularFile} from './fs-errors.js';

// `RUN` as the audit commands take it: a transcript.jsonl, the run directory
// holding one, or a run id looked up under the transcript directory.
export function transcriptPathFor(run: string, transcriptDir: string | undefined): string {
  const kind = kindOf(run);
  if (kind === 'file') return run;
  if (kind === 'directory') {
    const inside = join(run, transcriptFileName);
    if (kindOf(inside) === 'file') return inside;
    throw new UsageError(`${run}: a directory without a ${transcriptFileName}; give a run directory, a transcript.jsonl or a run id`);
  }
  if (kind === 'other') throw new UsageError(`${run}: cannot read the transcript (${notARegularFile(run) ?? 'not a regular file'}); give the path of a transcript.jsonl`);
  const dir = transcriptDir ?? defaultTranscriptDir;
  if (runIdPattern.test(run)) {
    const path = join(dir, run, transcriptFileName);
    if (kindOf(path) === 'file') return path;
    throw new UsageError(`${run}: no run with that id in ${dir}; give --transcript-dir where the run was recorded, or the path of its transcript.jsonl`);
  }
  throw new UsageError(`${run}: no transcript there; give the path of a transcript.jsonl, a run directory or a run id (like 20261202T101500Z-3fa9c2)`);
}

function kindOf(path: string): 'file' | 'directory' | 'other' | 'missing' {
  try {
    const stats = statSync(path);
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}
