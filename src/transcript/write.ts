import {chmodSync, closeSync, fchmodSync, fsyncSync, ftruncateSync, mkdirSync, openSync, rmSync} from 'node:fs';
import {hostname, userInfo} from 'node:os';
import {dirname, join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {assertNever, type OutputEvent, type RunEvent} from '../engine/events.js';
import type {EventSink} from '../engine/sink.js';
import {engineVersion} from '../version.js';
import {isTranscriptHeader, isTranscriptLine, sealMessage, sha256Hex, transcriptFormat, type RecoveredRecord, type SealRecord, type SealSignature, type TranscriptHeader, type TranscriptRecord} from './format.js';
import type {RunOutcome} from '../engine/events.js';
import {readFirstLine, readTail} from './lines.js';
import {acquireRunLock, type RunLock} from './lock.js';
import {makePrivateDir, newRunId, privateDirMode, privateFileMode, transcriptFileName, withPath} from './paths.js';
import {SideOutput, utf8Prefix, writeAll} from './side-output.js';

// Output text kept inline per node attempt; the rest goes to a side file.
export const defaultOutputCapBytes = 64 * 1024;

// What the caller knows about the run; inputs must already be masked.
export interface TranscriptHeaderFields {
  readonly runbookPath: string;
  readonly runbookSha256: string;
  readonly source: string;
  readonly argv: readonly string[];
  readonly inputs: Readonly<Record<string, string>>;
  readonly incident?: string;
  // defaults: this engine's version, user@host, now
  readonly engineVersion?: string;
  readonly operator?: string;
  readonly startedAt?: string;
}

export interface TranscriptOptions {
  readonly outputCapBytes?: number;
  // Defence in depth: when given, the header and every record pass through
  // it before they are written (events should arrive redacted already).
  readonly redactor?: {redactValue<T>(value: T): T};
  // signs each seal (see SealSignature); without it seals are unsigned
  readonly signer?: SealSigner;
}

// Signs a seal's message; throws an Error whose message says why it could not.
export type SealSigner = (message: string) => SealSignature;

// How an attempt's record ended: its seal, as `play` reports it.
export interface SealResult {
  readonly head: string;
  readonly lines: number;
  readonly signed: boolean;
  // set when a signer was given and could not sign: the seal is written unsigned
  readonly signingProblem?: string;
}

export interface CreateTranscriptOptions extends TranscriptOptions {
  readonly transcriptDir: string;
  readonly runId?: string;
  readonly header: TranscriptHeaderFields;
}

export interface AppendTranscriptOptions extends TranscriptOptions {
  // default: one more than the last recorded attempt
  readonly attempt?: number;
  // the run's lock, when the caller took it before reading the run
  readonly lock?: RunLock;
}

// The run's record, always on. An EventSink: the engine calls `onEvent`
// before it goes on, so a node's start is on disk before its side effect.
export interface TranscriptWriter extends EventSink {
  readonly runId: string;
  readonly runDir: string;
  readonly path: string;
  readonly attempt: number;
  readonly lock: RunLock;
  // set when reopening found a torn last line and cut it away
  readonly recovered: RecoveredRecord | undefined;
  onEvent(event: RunEvent): void;
  // writes what is pending and the attempt's seal, fsyncs, releases the
  // lock; returns the seal (undefined when a write failed before, or when
  // already closed); safe to call twice
  close(): SealResult | undefined;
}

// A transcript that cannot be continued; the message is for the user.
export class TranscriptError extends Error {
  override readonly name = 'TranscriptError';
}

// The transcript could not be written mid-run (a full disk, a file system
// gone read-only, a vanished directory). The run cannot go on without its
// record: every later event is refused with the same error, so the engine
// stops before its next side effect.
export class TranscriptWriteError extends Error {
  override readonly name = 'TranscriptWriteError';
  // how to continue the run, as the command that started it would (set by `play`)
  resumeCommand: string | undefined;
  constructor(readonly path: string, readonly runId: string, override readonly cause: NodeJS.ErrnoException) {
    super(`${path}: ${cause.code ?? cause.message}`);
  }
}

// The OS user playing, as the header and each run-start record it.
export function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
}

export function defaultOperator(): string {
  return `${osUserName()}@${hostname()}`;
}

// Starts `<transcriptDir>/<runId>/transcript.jsonl` with its header line.
export function createTranscript(options: CreateTranscriptOptions): TranscriptWriter {
  makePrivateDir(options.transcriptDir);
  const runId = makeRunDir(options.transcriptDir, options.runId);
  const runDir = join(options.transcriptDir, runId);
  let lock: RunLock;
  try {
    lock = acquireRunLock(runDir);
  } catch (error) {
    removeNewRunDir(runDir);
    throw error;
  }
  let fd: number | undefined;
  try {
    const path = join(runDir, transcriptFileName);
    fd = openSync(path, 'ax', privateFileMode);
    fchmodSync(fd, privateFileMode);
    const fields = options.header;
    const header: TranscriptHeader = {
      type: 'header', format: transcriptFormat, runId,
      runbookPath: fields.runbookPath, runbookSha256: fields.runbookSha256, source: fields.source,
      engineVersion: fields.engineVersion ?? engineVersion, operator: fields.operator ?? defaultOperator(),
      argv: fields.argv, inputs: fields.inputs,
      ...(fields.incident === undefined ? {} : {incident: fields.incident}),
      startedAt: fields.startedAt ?? new Date().toISOString(),
      seq: 0, prev: null,
    };
    const bytes = Buffer.from(JSON.stringify(options.redactor?.redactValue(header) ?? header), 'utf8');
    writeAll(fd, Buffer.concat([bytes, newline]));
    fsyncSync(fd);
    syncDirectory(runDir);
    return new Transcript({runId, runDir, path, fd, lock, seq: 1, prev: sha256Hex(bytes), attempt: 1, recovered: undefined, options});
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    lock.release();
    removeNewRunDir(runDir);
    throw withPath(error, join(runDir, transcriptFileName));
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // the error that stopped the run is the one to report
  }
}

// A run that could not begin its record (a full or read-only disk) leaves no
// empty or half-written run behind; best effort, the directory is ours alone.
function removeNewRunDir(runDir: string): void {
  try {
    rmSync(runDir, {recursive: true, force: true});
  } catch {
    // nothing more to do: the error that stopped the run is reported
  }
}

// Continues a transcript for a resumed run: same chain, next `seq`, a new
// attempt number. A torn last line (the process died mid-write) is cut away
// and recorded as a `recovered` record, never silently dropped.
export function openTranscriptForAppend(path: string, options: AppendTranscriptOptions = {}): TranscriptWriter {
  const runDir = dirname(path);
  const lock = options.lock ?? acquireRunLock(runDir);
  try {
    const end = inspectEnd(path);
    if (options.attempt !== undefined && options.attempt < end.attempt) {
      throw new TranscriptError(`${path}: attempt ${options.attempt} would go back in time; the transcript is already at attempt ${end.attempt}`);
    }
    const fd = openSync(path, 'a');
    fchmodSync(fd, privateFileMode);
    if (end.completeTorn) writeAll(fd, newline);
    const transcript = new Transcript({
      runId: end.runId, runDir, path, fd, lock, seq: end.seq + 1, prev: end.prev,
      attempt: options.attempt ?? end.attempt + 1, recovered: end.recovered, options,
    });
    if (end.recovered !== undefined) transcript.record(end.recovered, true);
    return transcript;
  } catch (error) {
    lock.release();
    throw error;
  }
}

// A generated id that collides (same second, same random digits) is drawn again.
function makeRunDir(transcriptDir: string, wanted: string | undefined): string {
  for (let tries = 0; ; tries += 1) {
    const runId = wanted ?? newRunId();
    const runDir = join(transcriptDir, runId);
    try {
      mkdirSync(runDir, {mode: privateDirMode});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (wanted !== undefined || tries >= 5) throw new TranscriptError(`run ${runId} already exists in ${transcriptDir}`);
      continue;
    }
    chmodSync(runDir, privateDirMode);
    return runId;
  }
}

interface TranscriptEnd {
  readonly runId: string;
  readonly seq: number;
  readonly prev: string;
  readonly attempt: number;
  // the torn bytes are a whole record missing only its newline
  readonly completeTorn: boolean;
  readonly recovered: RecoveredRecord | undefined;
}

// Finds where the chain ends, cutting a torn last line away.
function inspectEnd(path: string): TranscriptEnd {
  const fd = openSync(path, 'r+');
  try {
    const tail = readTail(fd);
    if (tail.lastLine === undefined) throw new TranscriptError(`${path}: has no complete header line; it cannot be continued`);
    const last = parseLast(path, tail.lastLine);
    const runId = readRunId(path, fd, last);
    let end: TranscriptEnd = {runId, seq: last.seq, prev: sha256Hex(tail.lastLine), attempt: last.attempt, completeTorn: false, recovered: undefined};
    if (tail.torn.length === 0) return end;
    const completed = parseRecord(tail.torn);
    if (completed !== undefined && completed.seq === end.seq + 1 && completed.prev === end.prev) {
      return {runId, seq: completed.seq, prev: sha256Hex(tail.torn), attempt: completed.attempt, completeTorn: true, recovered: undefined};
    }
    ftruncateSync(fd, tail.tornOffset);
    fsyncSync(fd);
    end = {...end, recovered: {type: 'recovered', discardedBytes: tail.torn.length, sha256: sha256Hex(tail.torn)}};
    return end;
  } finally {
    closeSync(fd);
  }
}

function parseLast(path: string, bytes: Buffer): {seq: number; attempt: number; runId?: string} {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    value = undefined;
  }
  if (isTranscriptHeader(value)) return {seq: 0, attempt: 1, runId: value.runId};
  if (isTranscriptLine(value)) return {seq: value.seq, attempt: value.attempt};
  throw new TranscriptError(`${path}: its last complete line is not a transcript record; check it with \`runbook verify ${path}\``);
}

function parseRecord(bytes: Buffer): {seq: number; prev: string; attempt: number} | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return isTranscriptLine(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function readRunId(path: string, fd: number, last: {runId?: string}): string {
  if (last.runId !== undefined) return last.runId;
  const first = readFirstLine(fd);
  let header: unknown;
  try {
    header = first === undefined ? undefined : JSON.parse(first.toString('utf8'));
  } catch {
    header = undefined;
  }
  if (!isTranscriptHeader(header)) throw new TranscriptError(`${path}: its first line is not a transcript header; check it with \`runbook verify ${path}\``);
  return header.runId;
}

const newline = Buffer.from('\n');

interface TranscriptState {
  readonly runId: string;
  readonly runDir: string;
  readonly path: string;
  readonly fd: number;
  readonly lock: RunLock;
  readonly seq: number;
  readonly prev: string;
  readonly attempt: number;
  readonly recovered: RecoveredRecord | undefined;
  readonly options: TranscriptOptions;
}

interface NodeOutput {
  readonly attempt: number;
  inlineBytes: number;
  side: SideOutput | undefined;
  // its node-start said so (a node whose start was not seen counts as mutating)
  readonly mutates: boolean;
}

class Transcript implements TranscriptWriter {
  readonly runId: string;
  readonly runDir: string;
  readonly path: string;
  readonly attempt: number;
  readonly lock: RunLock;
  readonly recovered: RecoveredRecord | undefined;
  readonly #fd: number;
  readonly #startedAt = performance.now();
  readonly #cap: number;
  readonly #redactor: TranscriptOptions['redactor'];
  readonly #outputs = new Map<string, NodeOutput>();
  readonly #signer: SealSigner | undefined;
  #records = 0;
  #outcome: RunOutcome | undefined;
  #seq: number;
  #prev: string;
  #unsynced = false;
  #closed = false;
  #failure: TranscriptWriteError | undefined;

  constructor(state: TranscriptState) {
    this.runId = state.runId;
    this.runDir = state.runDir;
    this.path = state.path;
    this.attempt = state.attempt;
    this.lock = state.lock;
    this.recovered = state.recovered;
    this.#fd = state.fd;
    this.#seq = state.seq;
    this.#prev = state.prev;
    this.#cap = state.options.outputCapBytes ?? defaultOutputCapBytes;
    this.#redactor = state.options.redactor;
    this.#signer = state.options.signer;
  }

  onEvent(raw: RunEvent): void {
    if (this.#failure !== undefined) throw this.#failure;
    try {
      this.#record(raw);
    } catch (error) {
      if (!isErrno(error)) throw error;
      this.#failure = new TranscriptWriteError(this.path, this.runId, error);
      throw this.#failure;
    }
  }

  #record(raw: RunEvent): void {
    const event = this.#redactor?.redactValue(raw) ?? raw;
    switch (event.type) {
      case 'output':
        this.#output(event);
        return;
      // Durability (docs/reliability.md): every line is written whole at
      // once, so a kill loses nothing; fsync, for a power cut, comes before a
      // node that mutates starts (with everything before it: the captures it
      // uses, the decisions to run it), when it ends, and at each decision.
      // A read-only node's lines wait for the next of those: a power cut
      // can lose only read-only nodes, which a resume may run again.
      // (An fsync costs about 3 ms here; one per node was most of a run of
      // small nodes.)
      case 'node-start':
        this.#finishSide(event.nodeId);
        this.#outputs.set(event.nodeId, {attempt: event.attempt, inlineBytes: 0, side: undefined, mutates: event.mutates});
        this.record(event, event.mutates);
        return;
      case 'node-end': {
        this.#finishSide(event.nodeId);
        const mutates = this.#outputs.get(event.nodeId)?.mutates ?? true;
        this.#outputs.delete(event.nodeId);
        this.record(event, mutates);
        return;
      }
      case 'run-end':
        for (const nodeId of [...this.#outputs.keys()]) this.#finishSide(nodeId);
        this.#outcome = event.outcome;
        this.record(event, true);
        return;
      case 'run-start':
      case 'decision-taken':
      case 'interrupt':
        this.record(event, true);
        return;
      case 'input':
      case 'step-start':
      case 'step-end':
      case 'decision-asked':
      case 'note':
      case 'retry-wait':
        this.record(event, false);
        return;
      default:
        assertNever(event);
    }
  }

  // Appends one whole line in one write; `sync` makes it (and everything
  // before it) durable now, otherwise it waits for the next sync point.
  record(event: TranscriptRecord, sync: boolean): void {
    if (this.#closed) throw new Error(`transcript ${this.path} is closed`);
    const line = {
      seq: this.#seq,
      time: new Date().toISOString(),
      mono: Math.round((performance.now() - this.#startedAt) * 1000) / 1000,
      attempt: this.attempt,
      prev: this.#prev,
      event,
    };
    const bytes = Buffer.from(JSON.stringify(line), 'utf8');
    writeAll(this.#fd, Buffer.concat([bytes, newline]));
    this.#prev = sha256Hex(bytes);
    this.#seq += 1;
    this.#records += 1;
    this.#unsynced = true;
    if (sync) this.#sync();
  }

  close(): SealResult | undefined {
    if (this.#closed) return undefined;
    let failure: unknown;
    let sealed: SealResult | undefined;
    try {
      // after a failed write nothing more is written: what is on disk stays a valid chain
      if (this.#failure === undefined) {
        for (const nodeId of [...this.#outputs.keys()]) this.#finishSide(nodeId);
        // an attempt that recorded nothing has nothing new to anchor
        if (this.#records > 0) sealed = this.#seal();
        this.#sync();
      }
    } catch (error) {
      failure = isErrno(error) ? new TranscriptWriteError(this.path, this.runId, error) : error;
    }
    this.#closed = true;
    try {
      closeSync(this.#fd);
    } catch {
      // the descriptor is gone either way
    }
    this.lock.release();
    if (failure !== undefined) throw failure;
    return sealed;
  }

  // The attempt's last line: the head it ends at, signed when a signer is set.
  #seal(): SealResult {
    const head = this.#prev;
    const lines = this.#seq;
    const unsigned: SealRecord = {type: 'seal', head, lines, records: this.#records, ...(this.#outcome === undefined ? {} : {outcome: this.#outcome})};
    let signature: SealSignature | undefined;
    let signingProblem: string | undefined;
    if (this.#signer !== undefined) {
      try {
        signature = this.#signer(sealMessage(this.runId, this.attempt, unsigned));
      } catch (error) {
        signingProblem = error instanceof Error ? error.message : String(error);
      }
    }
    this.record(signature === undefined ? unsigned : {...unsigned, signature}, true);
    return {head, lines, signed: signature !== undefined, ...(signingProblem === undefined ? {} : {signingProblem})};
  }

  #sync(): void {
    if (!this.#unsynced) return;
    fsyncSync(this.#fd);
    this.#unsynced = false;
  }

  #output(event: OutputEvent): void {
    let output = this.#outputs.get(event.nodeId);
    if (output === undefined) {
      output = {attempt: 1, inlineBytes: 0, side: undefined, mutates: true};
      this.#outputs.set(event.nodeId, output);
    }
    const bytes = Buffer.from(event.text, 'utf8');
    // once output spills, all the rest spills too, so inline + side file stay in order
    const inline = output.side === undefined ? utf8Prefix(bytes, this.#cap - output.inlineBytes) : 0;
    if (inline === bytes.length) {
      output.inlineBytes += inline;
      this.record(event, false);
      return;
    }
    if (inline > 0) {
      output.inlineBytes += inline;
      this.record({...event, text: bytes.subarray(0, inline).toString('utf8')}, false);
    }
    output.side ??= SideOutput.open(this.runDir, event.nodeId, output.attempt);
    output.side.write(bytes.subarray(inline));
  }

  #finishSide(nodeId: string): void {
    const output = this.#outputs.get(nodeId);
    if (output?.side === undefined) return;
    const reference = output.side.finish();
    output.side = undefined;
    this.record(reference, true);
  }
}

function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

// Makes a new file's directory entry durable; not every platform allows it.
function syncDirectory(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}
