import {createHash} from 'node:crypto';
import type {RunEvent} from '../engine/events.js';

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

export type TranscriptRecord = RunEvent | OutputRefRecord | RecoveredRecord;

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

export function sha256Hex(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
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
