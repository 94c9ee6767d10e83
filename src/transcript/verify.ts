import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {readdir, stat} from 'node:fs/promises';
import {dirname, isAbsolute, join, normalize, sep} from 'node:path';
import type {RunOutcome} from '../engine/events.js';
import {isTranscriptHeader, isTranscriptLine, sha256Hex, type OutputRefRecord} from './format.js';
import {readRawLines} from './lines.js';
import {isRunLockHeld} from './lock.js';
import {outputsDirName} from './paths.js';

export interface VerifyProblem {
  // 1-based line of the transcript; undefined for problems of the whole file
  readonly line: number | undefined;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

// finished: ends with a run-end; in-progress: a live process holds the
// run's lock; unfinished: neither.
export type TranscriptStatus = 'finished' | 'unfinished' | 'in-progress';

export interface VerifyResult {
  // no error-severity problems
  readonly ok: boolean;
  readonly status: TranscriptStatus;
  readonly runId: string | undefined;
  readonly lines: number;
  // the last attempt recorded (1 when the run was never resumed)
  readonly attempts: number;
  // of the last run-end
  readonly outcome: RunOutcome | undefined;
  readonly problems: readonly VerifyProblem[];
}

// Recomputes the hash chain line by line (the file is streamed, never held
// whole) and checks `seq` continuity, side files and the ending. What a hash
// chain cannot show: a change to the very last line (no later line records
// its hash), and lines cut off the end, which look the same as a run that
// stopped without finishing — both are reported as `unfinished`.
export async function verifyTranscript(path: string): Promise<VerifyResult> {
  const runDir = dirname(path);
  const problems: VerifyProblem[] = [];
  const error = (line: number | undefined, message: string): void => void problems.push({line, severity: 'error', message});
  const warning = (line: number | undefined, message: string): void => void problems.push({line, severity: 'warning', message});
  const references: {line: number; reference: OutputRefRecord}[] = [];
  let runId: string | undefined;
  let previous: Buffer | undefined;
  let expectedSeq: number | undefined;
  let attempts = 1;
  let lines = 0;
  let lastType: string | undefined;
  let outcome: RunOutcome | undefined;
  let tornLine: {line: number; bytes: number} | undefined;

  for await (const raw of readRawLines(path)) {
    if (!raw.terminated) {
      tornLine = {line: raw.number, bytes: raw.bytes.length};
      break;
    }
    lines = raw.number;
    const value = parseJson(raw.bytes);
    if (raw.number === 1) {
      if (isTranscriptHeader(value) && value.seq === 0 && value.prev === null) {
        runId = value.runId;
      } else {
        error(1, 'not a runbook transcript header (expected {"type":"header","format":"runbook-transcript/1",…,"seq":0,"prev":null})');
      }
      previous = raw.bytes;
      expectedSeq = 1;
      continue;
    }
    if (!isTranscriptLine(value)) {
      error(raw.number, value === undefined ? 'not valid JSON: the line was changed or damaged' : 'not a transcript record (expected seq, time, mono, attempt, prev and event)');
      previous = raw.bytes;
      expectedSeq = undefined;
      continue;
    }
    if (previous !== undefined && value.prev !== sha256Hex(previous)) {
      error(raw.number - 1, `does not match the hash recorded in line ${raw.number}: line ${raw.number - 1} was changed after it was written, or lines were removed or inserted here`);
    }
    if (expectedSeq !== undefined && value.seq !== expectedSeq) {
      error(raw.number, `seq ${value.seq} where ${expectedSeq} was expected: lines were removed, inserted or reordered`);
    }
    if (value.attempt < attempts) error(raw.number, `attempt ${value.attempt} after attempt ${attempts}: attempts only go up`);
    attempts = Math.max(attempts, value.attempt);
    const event = value.event;
    if (event.type === 'output-ref') references.push({line: raw.number, reference: event});
    if (event.type === 'recovered') {
      warning(raw.number, `when the run resumed, a torn line of ${event.discardedBytes} bytes (sha256 ${event.sha256}) left by an interrupted write was cut away`);
    }
    if (event.type === 'run-end') outcome = event.outcome;
    lastType = event.type;
    previous = raw.bytes;
    expectedSeq = value.seq + 1;
  }

  if (lines === 0 && tornLine === undefined) error(undefined, 'the transcript is empty');
  const inProgress = lastType !== 'run-end' && isRunLockHeld(runDir);
  if (tornLine !== undefined && !inProgress) {
    error(tornLine.line, `incomplete last line (${tornLine.bytes} bytes without a newline): the writer stopped mid-line; resuming the run recovers it`);
  }
  const status: TranscriptStatus = lastType === 'run-end' ? 'finished' : inProgress ? 'in-progress' : 'unfinished';
  if (status === 'unfinished' && lines > 0) {
    error(undefined, `no run-end after line ${lines}: the run stopped without finishing (a crash or a kill), or its last lines were cut off; the two cannot be told apart`);
  }

  const referenced = new Set<string>();
  for (const {line, reference} of references) {
    const message = await checkSideFile(runDir, reference);
    if (message !== undefined) error(line, message);
    referenced.add(normalize(reference.file));
  }
  if (status !== 'in-progress') {
    for (const file of await listOutputs(runDir)) {
      if (!referenced.has(normalize(file))) warning(undefined, `${file} is not referenced by any output-ref record: the node that wrote it never ended`);
    }
  }

  return {ok: problems.every((problem) => problem.severity !== 'error'), status, runId, lines, attempts, outcome, problems};
}

async function checkSideFile(runDir: string, reference: OutputRefRecord): Promise<string | undefined> {
  const file = normalize(reference.file);
  if (isAbsolute(file) || !file.startsWith(`${outputsDirName}${sep}`)) return `output-ref points outside ${outputsDirName}/: ${reference.file}`;
  const path = join(runDir, file);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return `side file ${reference.file} is missing`;
  }
  if (size !== reference.bytes) return `side file ${reference.file} has ${size} bytes, the transcript recorded ${reference.bytes}`;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  const actual = hash.digest('hex');
  if (actual !== reference.sha256) return `side file ${reference.file} was changed: its sha256 is ${actual}, the transcript recorded ${reference.sha256}`;
  return undefined;
}

async function listOutputs(runDir: string): Promise<string[]> {
  try {
    return (await readdir(join(runDir, outputsDirName))).sort().map((name) => `${outputsDirName}/${name}`);
  } catch {
    return [];
  }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
