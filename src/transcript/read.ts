import {dirname, join} from 'node:path';
import {assertNever} from '../engine/events.js';
import {isTranscriptHeader, isTranscriptLine, type OutputRefRecord, type TranscriptHeader, type TranscriptLine} from './format.js';
import {readRawLines} from './lines.js';

// One line after the header, with where it is in the file.
export interface TranscriptEntry extends TranscriptLine {
  // 1-based; the header is line 1
  readonly line: number;
}

export interface ReadProblem {
  readonly line: number;
  readonly message: string;
}

export interface Transcript {
  readonly header: TranscriptHeader | undefined;
  readonly records: readonly TranscriptEntry[];
  // lines that could not be read; reading goes on past them
  readonly problems: readonly ReadProblem[];
}

export type TranscriptItem =
  | {readonly kind: 'header'; readonly line: number; readonly header: TranscriptHeader}
  | {readonly kind: 'record'; readonly entry: TranscriptEntry}
  | {readonly kind: 'problem'; readonly problem: ReadProblem};

// The transcript line by line, for consumers that should not hold it all
// (verify, report on a long run). Does not check the hash chain: see verify.
export async function* readTranscriptItems(path: string): AsyncGenerator<TranscriptItem> {
  for await (const raw of readRawLines(path)) {
    if (!raw.terminated) {
      yield {kind: 'problem', problem: {line: raw.number, message: `incomplete last line (${raw.bytes.length} bytes without a newline): the writer stopped mid-line; resuming the run recovers it`}};
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw.bytes.toString('utf8'));
    } catch {
      yield {kind: 'problem', problem: {line: raw.number, message: 'not valid JSON'}};
      continue;
    }
    if (raw.number === 1) {
      if (isTranscriptHeader(value)) yield {kind: 'header', line: 1, header: value};
      else yield {kind: 'problem', problem: {line: 1, message: 'not a runbook transcript header (expected {"type":"header","format":"runbook-transcript/1",…})'}};
    } else if (isTranscriptLine(value)) {
      yield {kind: 'record', entry: {line: raw.number, seq: value.seq, time: value.time, mono: value.mono, attempt: value.attempt, prev: value.prev, event: value.event}};
    } else {
      yield {kind: 'problem', problem: {line: raw.number, message: 'not a transcript record (expected seq, time, mono, attempt, prev and event)'}};
    }
  }
}

// The whole transcript as data, for replay, report and resume.
export async function readTranscript(path: string): Promise<Transcript> {
  let header: TranscriptHeader | undefined;
  const records: TranscriptEntry[] = [];
  const problems: ReadProblem[] = [];
  for await (const item of readTranscriptItems(path)) {
    switch (item.kind) {
      case 'header':
        header = item.header;
        break;
      case 'record':
        records.push(item.entry);
        break;
      case 'problem':
        problems.push(item.problem);
        break;
      default:
        assertNever(item);
    }
  }
  return {header, records, problems};
}

// Where an `output-ref` record's side file is.
export function sideOutputPath(transcriptPath: string, reference: OutputRefRecord): string {
  return join(dirname(transcriptPath), reference.file);
}
