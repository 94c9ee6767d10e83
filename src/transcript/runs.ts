import {closeSync, openSync, readdirSync} from 'node:fs';
import {join, resolve} from 'node:path';
import type {RunOutcome} from '../engine/events.js';
import {isTranscriptHeader, isTranscriptLine, type TranscriptHeader} from './format.js';
import {readFirstLine, readTail} from './lines.js';
import {transcriptFileName} from './paths.js';

export interface RunSummary {
  readonly runId: string;
  readonly runDir: string;
  readonly transcriptPath: string;
  readonly header: TranscriptHeader;
  // the last attempt recorded (1 when the run was never resumed)
  readonly attempt: number;
  // of the transcript's last attempt (its run-end, or the seal after it);
  // undefined when the attempt stopped without one (a crash or kill)
  readonly outcome: RunOutcome | undefined;
  readonly finished: boolean;
}

// When a run is done for good. A run is finished when its last record is a
// run-end with outcome `passed` (everything ran) or `aborted` (the operator
// ended it on purpose). Runs that `failed`, were `interrupted` (quit safely,
// Ctrl-C), or stopped without a run-end (a crash, a kill, a torn last line)
// are unfinished, and `--resume` continues them.
export function isFinishedOutcome(outcome: RunOutcome | undefined): boolean {
  return outcome === 'passed' || outcome === 'aborted';
}

// The runs recorded in `transcriptDir`, oldest first (run ids sort by start
// time). Directories without a readable transcript header are not runs and
// are left out.
export function listRuns(transcriptDir: string): RunSummary[] {
  let names: string[];
  try {
    names = readdirSync(transcriptDir, {withFileTypes: true}).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const runs: RunSummary[] = [];
  for (const name of names.sort()) {
    const summary = readRunSummary(join(transcriptDir, name));
    if (summary !== undefined) runs.push(summary);
  }
  return runs;
}

// The newest unfinished run of this runbook (paths compared after
// path.resolve, against the current directory), for `--resume` without an id.
export function latestUnfinishedRun(transcriptDir: string, runbookPath: string): RunSummary | undefined {
  const wanted = resolve(runbookPath);
  return listRuns(transcriptDir).reverse().find((run) => !run.finished && resolve(run.header.runbookPath) === wanted);
}

// One run as its transcript says now; undefined when it has no readable header.
export function readRunSummary(runDir: string): RunSummary | undefined {
  const transcriptPath = join(runDir, transcriptFileName);
  let fd: number;
  try {
    fd = openSync(transcriptPath, 'r');
  } catch {
    return undefined;
  }
  try {
    const header = parse(readFirstLine(fd));
    if (!isTranscriptHeader(header)) return undefined;
    const last = parse(readTail(fd).lastLine);
    const record = isTranscriptLine(last) ? last : undefined;
    // an attempt that ended in its process is sealed, the seal naming its outcome
    const event = record?.event;
    const outcome = event?.type === 'run-end' ? event.outcome : event?.type === 'seal' ? event.outcome : undefined;
    return {
      runId: header.runId, runDir, transcriptPath, header,
      attempt: record?.attempt ?? 1,
      outcome,
      finished: isFinishedOutcome(outcome),
    };
  } finally {
    closeSync(fd);
  }
}

function parse(bytes: Buffer | undefined): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
