import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {readdir, stat} from 'node:fs/promises';
import {dirname, isAbsolute, join, normalize, sep} from 'node:path';
import {masked, type RunOutcome} from '../engine/events.js';
import {isTranscriptHeader, isTranscriptLine, sealMessage, sha256Hex, shownHead, type OutputRefRecord, type SealRecord, type SealSignature, type TranscriptHeader, type TranscriptRecord} from './format.js';
import {readRawLineBatches, type RawLine} from './lines.js';
import {readRunLock, isAlive, type LockOwner} from './lock.js';
import {lockFileName, outputsDirName} from './paths.js';

export interface VerifyProblem {
  // 1-based line of the transcript; undefined for problems of the whole file
  readonly line: number | undefined;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

// finished: the last attempt recorded a run-end (whatever its outcome);
// in-progress: the last attempt is not sealed and the lock file names a live
// process; unfinished: neither (a kill, or lines cut off).
export type TranscriptStatus = 'finished' | 'unfinished' | 'in-progress';

// What a seal's signature check found.
export type SignatureStatus =
  | {readonly status: 'good'; readonly principal: string; readonly key: string}
  // a valid signature by a key the allowed-signers file does not list
  | {readonly status: 'unknown-key'; readonly key: string}
  | {readonly status: 'bad'; readonly why: string}
  // valid, but no allowed-signers file was given to say whose key it is
  | {readonly status: 'unchecked'; readonly key: string};

export interface SealCheck {
  readonly line: number;
  readonly attempt: number;
  readonly head: string;
  // undefined for an unsigned seal
  readonly signature: SignatureStatus | undefined;
}

// Checks one seal's signature over its message (ssh-keygen lives with the
// executors; the command passes it in, so verifying itself starts nothing).
export type SignatureChecker = (message: string, signature: SealSignature) => Promise<SignatureStatus>;

export interface VerifyOptions {
  // the head the transcript must end at (from `play`'s last line, or the
  // incident channel): hex, optionally `sha256:`-prefixed, at least 16 digits
  readonly expectHead?: string;
  readonly checkSignature?: SignatureChecker;
  // every seal must carry a good signature (set when an allowed-signers file is given)
  readonly requireSignatures?: boolean;
}

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
  // the sha256 the transcript ends at: the last seal's head when it ends
  // with one, otherwise the hash of its last line
  readonly head: string | undefined;
  // the last line is a seal whose head and counts match
  readonly sealed: boolean;
  readonly seals: readonly SealCheck[];
  // the lock file's owner, when it names a live process (trusted only to say
  // a run is in progress)
  readonly lockOwner: LockOwner | undefined;
  readonly problems: readonly VerifyProblem[];
}

export const minimumHeadDigits = 16;

// The hex of a head as a person may give it: `sha256:` optional, any case.
export function normaliseHead(text: string): string | undefined {
  const hex = text.trim().replace(/^sha256:/i, '').toLowerCase();
  return /^[0-9a-f]+$/.test(hex) && hex.length >= minimumHeadDigits && hex.length <= 64 ? hex : undefined;
}

interface AttemptTally {
  attempt: number;
  records: number;
  outcome: RunOutcome | undefined;
  sealedAt: number | undefined;
  firstLine: number;
}

// Recomputes the hash chain line by line (the file is streamed, never held
// whole), checks `seq` continuity, each attempt's seal, side files and the
// ending. A chain alone cannot show a consistent rewrite (every `prev`
// recomputed) or lines cut off together with their seal: the head, given
// as `expectHead` or signed in the seals, is what shows those.
export async function verifyTranscript(path: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const runDir = dirname(path);
  const problems: VerifyProblem[] = [];
  const error = (line: number | undefined, message: string): void => void problems.push({line, severity: 'error', message});
  const warning = (line: number | undefined, message: string): void => void problems.push({line, severity: 'warning', message});
  const references: {line: number; reference: OutputRefRecord}[] = [];
  const seals: {line: number; attempt: number; seal: SealRecord}[] = [];
  // for `expectHead`: the line whose hash it is, if any
  const expected = options.expectHead === undefined ? undefined : normaliseHead(options.expectHead);
  let expectedAt: number | undefined;
  let header: TranscriptHeader | undefined;
  let previous: Buffer | undefined;
  let previousHash: string | undefined;
  let expectedSeq: number | undefined;
  let attempts = 1;
  let lines = 0;
  let lastType: string | undefined;
  let outcome: RunOutcome | undefined;
  let tornLine: {line: number; bytes: number} | undefined;
  let tally: AttemptTally | undefined;

  const endAttempt = (next: number): void => {
    if (tally !== undefined && tally.sealedAt === undefined) {
      warning(next - 1, `attempt ${tally.attempt} (lines ${tally.firstLine}–${next - 1}) ended without a seal: its process was killed or lost power; its lines are chained, but only later seals anchor them`);
    }
  };

  // A line read by its start only (see `readRecordStart`) is parsed in full
  // later unless the next line's `prev` vouches for its bytes: the writer
  // wrote them with JSON.stringify, so a line whose hash is chained is JSON.
  let unvouched: RawLine | undefined;
  const checkUnvouched = (): void => {
    if (unvouched === undefined) return;
    const value = parseJson(unvouched.bytes);
    if (!isTranscriptLine(value)) {
      error(unvouched.number, value === undefined ? 'not valid JSON: the line was changed or damaged' : 'not a transcript record (expected seq, time, mono, attempt, prev and event)');
      expectedSeq = undefined;
    }
    unvouched = undefined;
  };

  const checkLine = (raw: RawLine): void => {
    lines = raw.number;
    const hash = sha256Hex(raw.bytes);
    if (raw.number === 1) {
      const value = parseJson(raw.bytes);
      if (isTranscriptHeader(value) && value.seq === 0 && value.prev === null) {
        header = value;
      } else {
        error(1, 'not a runbook transcript header (expected {"type":"header","format":"runbook-transcript/1",…,"seq":0,"prev":null})');
      }
      previous = raw.bytes;
      previousHash = hash;
      expectedSeq = 1;
      if (expected !== undefined && hash.startsWith(expected)) expectedAt = 1;
      return;
    }
    const start = readRecordStart(raw.bytes);
    let record: RecordStart;
    if (start !== undefined) {
      record = start;
    } else {
      const value = parseJson(raw.bytes);
      if (!isTranscriptLine(value)) {
        checkUnvouched();
        error(raw.number, value === undefined ? 'not valid JSON: the line was changed or damaged' : 'not a transcript record (expected seq, time, mono, attempt, prev and event)');
        // still a record of the attempt it sits in, for the seal's count
        if (tally !== undefined) tally.records += 1;
        previous = raw.bytes;
        previousHash = hash;
        expectedSeq = undefined;
        return;
      }
      record = {seq: value.seq, attempt: value.attempt, prev: value.prev, type: value.event.type, event: value.event};
    }
    if (record.prev === previousHash) unvouched = undefined;
    else checkUnvouched();
    if (previous !== undefined && record.prev !== previousHash) {
      error(raw.number - 1, `does not match the hash recorded in line ${raw.number}: line ${raw.number - 1} was changed after it was written, or lines were removed or inserted here`);
    }
    if (expectedSeq !== undefined && record.seq !== expectedSeq) {
      error(raw.number, `seq ${record.seq} where ${expectedSeq} was expected: lines were removed, inserted or reordered`);
    }
    if (record.attempt < attempts) error(raw.number, `attempt ${record.attempt} after attempt ${attempts}: attempts only go up`);
    if (tally === undefined || record.attempt !== tally.attempt) {
      endAttempt(raw.number);
      tally = {attempt: record.attempt, records: 0, outcome: undefined, sealedAt: undefined, firstLine: raw.number};
    } else if (tally.sealedAt !== undefined) {
      error(raw.number, `a record of attempt ${tally.attempt} after its seal on line ${tally.sealedAt}: lines were added after the attempt was sealed`);
    }
    attempts = Math.max(attempts, record.attempt);
    const event = record.event;
    if (event?.type === 'output-ref') references.push({line: raw.number, reference: event});
    if (event?.type === 'recovered') {
      warning(raw.number, `when the run resumed, a torn line of ${event.discardedBytes} bytes (sha256 ${event.sha256}) left by an interrupted write was cut away`);
    }
    if (event?.type === 'run-end') {
      outcome = event.outcome;
      tally.outcome = event.outcome;
    }
    if (event?.type === 'seal') {
      checkSeal(event, raw.number, previousHash, tally, error);
      seals.push({line: raw.number, attempt: record.attempt, seal: event});
      tally.sealedAt = raw.number;
    } else {
      tally.records += 1;
      if (expected !== undefined && hash.startsWith(expected)) expectedAt = raw.number;
    }
    if (start !== undefined) unvouched = raw;
    lastType = record.type;
    previous = raw.bytes;
    previousHash = hash;
    expectedSeq = record.seq + 1;
  };

  reading: for await (const batch of readRawLineBatches(path)) {
    for (const raw of batch) {
      if (!raw.terminated) {
        tornLine = {line: raw.number, bytes: raw.bytes.length};
        break reading;
      }
      checkLine(raw);
    }
  }
  // the last line has no next line to vouch for it
  checkUnvouched();

  if (lines === 0 && tornLine === undefined) error(undefined, 'the transcript is empty');
  const sealed = lastType === 'seal';
  const lockOwner = sealed ? undefined : liveLockOwner(runDir, warning);
  const inProgress = lockOwner !== undefined;
  if (inProgress) {
    warning(undefined, `in progress: the lock file names a live process (pid ${lockOwner.pid} on ${lockOwner.host}, since ${lockOwner.startedAt}); verify trusts the lock for nothing else: the lines so far are checked, but the end cannot be until the run seals it`);
  }
  if (tornLine !== undefined && !inProgress) {
    error(tornLine.line, `incomplete last line (${tornLine.bytes} bytes without a newline): the writer stopped mid-line; resuming the run recovers it`);
  }
  if (!sealed && !inProgress && lines > 1 && tornLine === undefined) {
    error(lines, `not sealed after line ${lines}: the process writing it was killed, or its last lines were cut off; the two cannot be told apart (resuming the run seals what is there)`);
  }
  if (header !== undefined) checkSource(header, error, warning);

  const head = sealed ? seals.at(-1)?.seal.head : previousHash;
  if (expected !== undefined && head !== undefined && !head.startsWith(expected)) {
    error(undefined, expectedAt === undefined
      ? `does not end at the expected head ${shownHead(expected)}: it ends at ${shownHead(head)} and no line has the expected hash, so it was rewritten (each prev recomputed), or cut before that head`
      : `does not end at the expected head ${shownHead(expected)}: that is the hash of line ${expectedAt}; it ends at ${shownHead(head)}, so lines ${expectedAt + 1}–${lines} were added after it (a resume adds an attempt: check the attempts)`);
  }

  const checks = await checkSignatures(header?.runId, seals, options, error, warning);

  const referenced = new Set<string>();
  for (const {line, reference} of references) {
    const message = await checkSideFile(runDir, reference);
    if (message !== undefined) error(line, message);
    referenced.add(normalize(reference.file));
  }
  if (!inProgress) {
    for (const file of await listOutputs(runDir)) {
      if (!referenced.has(normalize(file))) warning(undefined, `${file} is not referenced by any output-ref record: the node that wrote it never ended`);
    }
  }

  const status: TranscriptStatus = inProgress ? 'in-progress' : tally?.outcome !== undefined ? 'finished' : 'unfinished';
  return {
    ok: problems.every((problem) => problem.severity !== 'error'),
    status, runId: header?.runId, lines, attempts, outcome, head, sealed, seals: checks, lockOwner, problems,
  };
}

function checkSeal(seal: SealRecord, line: number, previousHash: string | undefined, tally: AttemptTally, error: (line: number, message: string) => void): void {
  if (seal.head !== previousHash) {
    error(line, `the seal's head ${shownHead(String(seal.head))} is not the hash of line ${line - 1} (${shownHead(previousHash ?? '')}): the seal or the line before it was changed`);
  }
  if (seal.lines !== line - 1) error(line, `the seal counts ${seal.lines} lines before it where there are ${line - 1}: lines were removed or inserted`);
  if (seal.records !== tally.records) error(line, `the seal counts ${seal.records} records in attempt ${tally.attempt} where there are ${tally.records}: records were removed or inserted`);
  if (seal.outcome !== tally.outcome) error(line, `the seal says the attempt ended ${seal.outcome ?? 'without a run-end'}, its records say ${tally.outcome ?? 'without a run-end'}`);
}

// The header's `source` is the runbook text the run was played from, and
// `runbookSha256` its hash; a secret masked in the source breaks the match
// on purpose, which is said, not hidden.
function checkSource(header: TranscriptHeader, error: (line: number, message: string) => void, warning: (line: number, message: string) => void): void {
  if (sha256Hex(header.source) === header.runbookSha256) return;
  if (header.source.includes(masked)) {
    warning(1, `the header's source has masked secrets (${masked}), so it cannot be checked against its runbookSha256 ${header.runbookSha256.slice(0, 12)}…`);
  } else {
    error(1, `the header's source does not hash to its runbookSha256 (${header.runbookSha256.slice(0, 12)}… recorded, ${sha256Hex(header.source).slice(0, 12)}… now): the recorded runbook text or its hash was changed`);
  }
}

// The lock is trusted for one thing: whether a live process says it is
// writing the run. An unreadable lock, or one whose process is gone, is not.
function liveLockOwner(runDir: string, warning: (line: number | undefined, message: string) => void): LockOwner | undefined {
  const state = readRunLock(runDir);
  if (state === undefined) return undefined;
  if (state.kind === 'unreadable') {
    warning(undefined, `${lockFileName} cannot be read as a lock; it is ignored (verify trusts the lock only to say a run is in progress)`);
    return undefined;
  }
  if (!isAlive(state.owner)) return undefined;
  return state.owner;
}

async function checkSignatures(
  runId: string | undefined, seals: readonly {line: number; attempt: number; seal: SealRecord}[], options: VerifyOptions,
  error: (line: number, message: string) => void, warning: (line: number, message: string) => void,
): Promise<SealCheck[]> {
  const checks: SealCheck[] = [];
  for (const {line, attempt, seal} of seals) {
    let signature: SignatureStatus | undefined;
    if (seal.signature === undefined) {
      if (options.requireSignatures === true) error(line, `the seal of attempt ${attempt} is not signed, and an allowed-signers file was given`);
    } else if (options.checkSignature === undefined || runId === undefined) {
      warning(line, `the seal of attempt ${attempt} is signed; give --allowed-signers to check the signature`);
    } else {
      signature = await options.checkSignature(sealMessage(runId, attempt, seal), seal.signature);
      switch (signature.status) {
        case 'good':
          break;
        case 'unchecked':
          warning(line, `the seal of attempt ${attempt} has a valid signature by key ${signature.key}; give --allowed-signers to say whose key that is`);
          break;
        case 'unknown-key':
          error(line, `the seal of attempt ${attempt} is signed by key ${signature.key}, which the allowed-signers file does not list`);
          break;
        case 'bad':
          error(line, `the seal of attempt ${attempt} has a bad signature (${signature.why}): the seal was changed or signed over other content`);
          break;
      }
    }
    checks.push({line, attempt, head: seal.head, signature});
  }
  return checks;
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

// What verify needs of a record: its `event` only for the types whose
// details it checks (undefined for the rest).
interface RecordStart {
  readonly seq: number;
  readonly attempt: number;
  readonly prev: string;
  readonly type: string;
  readonly event: TranscriptRecord | undefined;
}

// The start of a line as the writer lays it out (JSON.stringify of
// {seq, time, mono, attempt, prev, event: {type, …}}), read from its first
// bytes instead of parsing the whole line; undefined when the line does not
// start that way, or its event is one whose details verify checks (those
// are parsed in full). It need not reject every line that is not JSON, nor
// check the time and mono: a line read this way is parsed in full unless
// the next line's prev vouches for its bytes.
const detailedTypes = new Set(['output-ref', 'recovered', 'run-end', 'seal']);
const startBytes = 320;

function readRecordStart(bytes: Buffer): RecordStart | undefined {
  const text = bytes.toString('latin1', 0, Math.min(startBytes, bytes.length));
  if (!text.startsWith('{"seq":')) return undefined;
  const seqEnd = text.indexOf(',"time":"', 7);
  const attemptAt = text.indexOf(',"attempt":', seqEnd);
  const prevAt = text.indexOf(',"prev":"', attemptAt);
  const typeAt = prevAt + 9 + 64;
  if (seqEnd === -1 || attemptAt === -1 || prevAt === -1 || !text.startsWith('","event":{"type":"', typeAt)) return undefined;
  const typeEnd = text.indexOf('"', typeAt + 19);
  if (typeEnd === -1) return undefined;
  const seq = Number(text.slice(7, seqEnd));
  const attempt = Number(text.slice(attemptAt + 11, prevAt));
  const type = text.slice(typeAt + 19, typeEnd);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(attempt) || detailedTypes.has(type)) return undefined;
  return {seq, attempt, prev: text.slice(prevAt + 9, typeAt), type, event: undefined};
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
