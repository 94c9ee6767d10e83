import {createHash} from 'node:crypto';
import {mkdtempSync, readFileSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach} from 'vitest';
import type {NodeOutcome, RunEvent, RunOutcome} from '../../src/engine/events.js';
import {createTranscript, type CreateTranscriptOptions, type TranscriptWriter} from '../../src/transcript/write.js';

const made: string[] = [];

// A fresh directory per test, removed afterwards.
export function temporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-transcript-'));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true});
});

export const zeroCounts: Record<NodeOutcome, number> = {
  'passed': 0, 'allowed-failure': 0, 'failed': 0, 'timed-out': 0, 'interrupted': 0, 'skipped': 0, 'marked-done': 0,
};

export function startTranscript(transcriptDir: string, overrides: Partial<CreateTranscriptOptions> = {}): TranscriptWriter {
  return createTranscript({
    transcriptDir,
    header: {
      runbookPath: 'runbooks/rollback.md',
      runbookSha256: sha256('# Rollback\n'),
      source: '# Rollback\n',
      argv: ['play', 'runbooks/rollback.md', '--yes'],
      inputs: {LKG_SHA: 'abc1234', DATABASE_URL: '••••••'},
      operator: 'ops@laptop',
      engineVersion: '1.2.3',
      startedAt: '2026-11-28T23:15:02.000Z',
    },
    ...overrides,
  });
}

// A small run: one step, one node with some output, a decision, the end
// (none: the run stops before its run-end).
export function sampleRun(runId: string, outcome: RunOutcome | 'none' = 'passed'): RunEvent[] {
  const events: RunEvent[] = [
    {type: 'run-start', runId, runbookPath: 'runbooks/rollback.md', title: 'Rollback', sha256: sha256('# Rollback\n'), attempt: 1, resumed: false, readOnly: false},
    {type: 'input', name: 'LKG_SHA', value: 'abc1234', secret: false, source: 'set'},
    {type: 'step-start', stepId: 'check'},
    {type: 'decision-asked', kind: 'confirm', nodeId: 'health', stepId: 'check', prompt: 'Run it?'},
    {type: 'decision-taken', kind: 'confirm', nodeId: 'health', stepId: 'check', decision: 'run', by: 'auto'},
    {type: 'node-start', nodeId: 'health', stepId: 'check', attempt: 1, command: 'curl $API/health', mutates: false, interactive: false},
    {type: 'output', nodeId: 'health', stream: 'stdout', text: 'status: ok\n'},
    {type: 'output', nodeId: 'health', stream: 'stderr', text: 'took 12ms\n'},
    {type: 'node-end', nodeId: 'health', stepId: 'check', outcome: 'passed', attempt: 1, exitCode: 0, signal: null, durationMs: 12, captures: {}, outputCaptured: true},
    {type: 'note', text: 'looks healthy', by: 'operator'},
    {type: 'step-end', stepId: 'check', status: 'done'},
  ];
  if (outcome !== 'none') events.push({type: 'run-end', outcome, durationMs: 20, counts: {...zeroCounts, passed: 1}});
  return events;
}

export function sha256(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// The file's lines as exact bytes, split on newlines, without the empty tail.
export function rawLines(path: string): Buffer[] {
  const bytes = readFileSync(path);
  const lines: Buffer[] = [];
  let start = 0;
  for (let index = bytes.indexOf(0x0a); index !== -1; index = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, index));
    start = index + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

export function jsonLines(path: string): Record<string, unknown>[] {
  return rawLines(path).map((line) => JSON.parse(line.toString('utf8')) as Record<string, unknown>);
}

// Every regular file under `dir`, recursively.
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).map((name) => join(dir, name)).filter((path) => statSync(path).isFile());
}

export function mode(path: string): number {
  return statSync(path).mode & 0o777;
}
