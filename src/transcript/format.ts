import crypto, {createHash} from 'node:crypto';
import type {RunEvent, RunOutcome} from '../engine/events.js';

export const transcriptFormat = 'runbook-transcript/1';

// The first line of a transcript. Inputs arrive already masked: the writer
// never sees a secret value.
export interface TranscriptHeader {
  readonly type: 'header';
  readonly format: typeof transcriptFormat;
  readonly runId: string;
  readonly runbookPath: string;
  // of the runbook file as it was read, before any redaction of `source`
  readonly runbookSha256: string;
  readonly source: string;
  readonly engineVersion: string;
  // user@host
  readonly operator: string;
  readonly argv: readonly string[];
  readonly inputs: Readonly<Record<string, string>>;
  readonly incident?: string;
  readonly startedAt: string;
  readonly seq: 0;
  readonly prev: null;
}

// Written just before a node's `node-end` when its output outgrew the inline
// cap: the rest of the output is in `file`, relative to the run directory.
export interface OutputRefRecord {
  readonly type: 'output-ref';
  readonly nodeId: string;
  readonly attempt: number;
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

// Written when a resumed run found a torn last line (the process died
// mid-write) and cut it away; the bytes are gone, their hash is kept.
export interface RecoveredRecord {
  readonly type: 'recovered';
  readonly discardedBytes: number;
  readonly sha256: string;
}

// The last line of every attempt that ended in this process (a kill leaves
// none). `head` is the sha256 of the line before it, which through the
// chain commits to every line of the transcript so far: printed by `play`
// and checked by `verify --expect-head`, it is what a consistent rewrite or
// a cut tail cannot match. Optionally signed (see SealSignature).
export interface SealRecord {
  readonly type: 'seal';
  readonly head: string;
  // lines before the seal, the header included
  readonly lines: number;
  // records this attempt wrote before the seal
  readonly records: number;
  // of this attempt's run-end; absent when the attempt recorded none
  readonly outcome?: RunOutcome;
  readonly signature?: SealSignature;
}

// An SSH signature (`ssh-keygen -Y sign`, the signatures git uses) over
// `sealMessage(…)`, armored as ssh-keygen writes it.
export interface SealSignature {
  readonly kind: 'ssh';
  readonly namespace: typeof sealNamespace;
  readonly signature: string;
}

export const sealNamespace = 'runbook-transcript';

// What a seal's signature signs: the run, the attempt and the head, which
// stands for every line before the seal.
export function sealMessage(runId: string, attempt: number, seal: Pick<SealRecord, 'head' | 'lines'>): string {
  return `runbook-transcript seal\nrun ${runId}\nattempt ${attempt}\nlines ${seal.lines}\nhead sha256:${seal.head}\n`;
}

// How a head is shown: `sha256:` and enough hex to paste and compare.
export const shownHeadLength = 32;
export function shownHead(head: string): string {
  return `sha256:${head.slice(0, shownHeadLength)}`;
}

export type TranscriptRecord = RunEvent | OutputRefRecord | RecoveredRecord | SealRecord;

// The records that are the run's own events (not the transcript's bookkeeping).
export function isRunEventRecord(record: TranscriptRecord): record is RunEvent {
  return record.type !== 'output-ref' && record.type !== 'recovered' && record.type !== 'seal';
}

// Every line after the header.
export interface TranscriptLine {
  readonly seq: number;
  // wall clock, ISO 8601
  readonly time: string;
  // milliseconds since this attempt began, monotonic (restarts at 0 on resume)
  readonly mono: number;
  // 1 for the first attempt, 2 after the first resume, …
  readonly attempt: number;
  // sha256 (hex) of the previous line's exact bytes, without its newline
  readonly prev: string;
  readonly event: TranscriptRecord;
}

// crypto.hash (Node 20.12 on) hashes in one call, without a Hash object:
// about twice as fast for a line of a few hundred bytes.
const oneShot = (crypto as unknown as {hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string}).hash;

export function sha256Hex(bytes: string | Uint8Array): string {
  return oneShot === undefined ? createHash('sha256').update(bytes).digest('hex') : oneShot('sha256', bytes, 'hex');
}

export function isTranscriptHeader(value: unknown): value is TranscriptHeader {
  return isObject(value) && value['type'] === 'header' && value['format'] === transcriptFormat && typeof value['runId'] === 'string';
}

export function isTranscriptLine(value: unknown): value is TranscriptLine {
  return isObject(value) && Number.isInteger(value['seq']) && typeof value['time'] === 'string' && typeof value['mono'] === 'number'
    && Number.isInteger(value['attempt']) && typeof value['prev'] === 'string' && isObject(value['event']) && typeof value['event']['type'] === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
