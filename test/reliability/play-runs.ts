import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {cliPath} from '../cli/run-cli.js';
import {markedProcesses} from '../executors/helpers.js';

export {markedProcesses};

// A fresh working directory for one run; `remove` also kills whatever the
// run left carrying its id, so a failing case never leaves sleepers behind.
export function workDir(prefix: string): {readonly path: string; remove(): void} {
  const path = mkdtempSync(join(tmpdir(), `runbook-reliability-${prefix}-`));
  return {
    path,
    remove: () => {
      for (const runId of runIdsIn(path)) for (const pid of markedProcesses(runId)) killQuietly(pid);
      rmSync(path, {recursive: true, force: true});
    },
  };
}

export interface Playing {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

// `runbook play …` (the built CLI) in `cwd`, without a terminal.
export function startPlay(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Playing {
  const child = spawn(process.execPath, ['--', cliPath, 'play', ...args], {cwd, env: {...process.env, NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {child, exited, stdout: () => stdout, stderr: () => stderr};
}

export function runIdsIn(cwd: string, transcriptDir = '.runbook/runs'): string[] {
  const runs = join(cwd, transcriptDir);
  return existsSync(runs) ? readdirSync(runs).sort() : [];
}

export function transcriptPathOf(cwd: string, runId: string, transcriptDir = '.runbook/runs'): string {
  return join(cwd, transcriptDir, runId, 'transcript.jsonl');
}

export interface RecordedEvent {
  readonly type: string;
  readonly [key: string]: unknown;
}

// The events of every complete line after the header (a torn last line is left out).
export function recordedEvents(path: string): RecordedEvent[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete.split('\n').slice(1).filter((line) => line !== '').map((line) => (JSON.parse(line) as {event: RecordedEvent}).event);
}

// How many complete lines the file has now (0 when it does not exist yet).
export function completeLines(path: string): number {
  try {
    const bytes = readFileSync(path);
    let lines = 0;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines += 1;
    return lines;
  } catch {
    return 0;
  }
}

export async function until(ready: () => boolean, what: string, ms = 20_000, pollMs = 5): Promise<void> {
  for (const deadline = Date.now() + ms; !ready(); await sleep(pollMs)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
  }
}

// Marked processes can take a moment to be reaped; a survivor lives far longer.
export async function noneLeft(runId: string): Promise<number[]> {
  await until(() => markedProcesses(runId).length === 0, `the processes of ${runId} to end`, 5000, 25).catch(() => undefined);
  return markedProcesses(runId);
}

export function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
