import {spawn} from 'node:child_process';
import {statSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import {endProcesses, findProcesses, startTime, type FoundProcess, type Marker} from './marked-processes.js';
import {OutputCapture, textForwarder} from './output-capture.js';
import {stopProcess, type StopTarget} from './process-group.js';
import {stopOutcome, watchForStop, type StopCause} from './stop.js';
import {liveGroups, trackRun} from './tracked-runs.js';
import {captureLimit, killGraceMs, type ExecutionContext, type ExecutionResult, type Survivor} from './types.js';

export interface ProcessCommand {
  readonly file: string;
  readonly args: readonly string[];
  // an extra descriptor the process writes a report to (see carried-env.ts)
  readonly report?: ProcessReport;
}

export interface ProcessReport {
  readonly fd: number;
  // true once `bytes` hold the whole report: it is not read further
  readonly complete: (bytes: Buffer) => boolean;
}

// A process's result, and what it wrote to its report descriptor.
export type ProcessResult = ExecutionResult & {readonly reported?: Buffer};

// Signals sent, in order and `killGraceMs` apart, until the process is gone.
const stopSignals: Readonly<Record<StopCause, readonly NodeJS.Signals[]>> = {
  timeout: ['SIGTERM', 'SIGKILL'],
  abort: ['SIGINT', 'SIGTERM', 'SIGKILL'],
};

// How long output pipes may stay open after the main process and its
// leftovers are gone before they are abandoned.
const drainMs = 250;

// Runs one child process for the shell and script executors. Output streams
// to `onOutput` as it arrives and only the first `captureLimit` bytes of
// stdout stay in memory. The node ends when its main process exits: what it
// left running in its process group, and what escaped the group but carries
// the node's marker (see marked-processes.ts), is ended then and reported as
// `survivors`, unless the node is `background` (those end with the run).
// Output pipes still held after that (by a process that dropped its
// environment and left the group) are abandoned after `drainMs`.
// Interactive nodes inherit the terminal and stay in its foreground process
// group (a background group could not read the terminal), so they are
// signalled alone rather than as a group, and nothing is captured.
export async function runProcess(command: ProcessCommand, context: ExecutionContext): Promise<ProcessResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const notRun = (status: 'failed' | 'interrupted', reason: string): ExecutionResult =>
    ({status, exitCode: null, signal: null, durationMs: elapsed(), stdout: '', stdoutTruncated: false, reason});

  if (context.signal.aborted) return notRun('interrupted', 'interrupted before it started');
  const cwdProblem = directoryProblem(context.cwd);
  if (cwdProblem !== undefined) return notRun('failed', cwdProblem);

  const interactive = context.node.attributes.interactive === true;
  // child_process.spawn, not execa: a node needs none of what execa adds
  // (its promise, buffering, stdio transforms), and execa cost about 1 ms of
  // CPU per node on top of the spawn itself (500 `true` nodes: bench `nodes`)
  const io = interactive ? 'inherit' : 'pipe';
  const {report} = command;
  const subprocess = spawn(command.file, [...command.args], {
    cwd: context.cwd,
    env: {...context.env},
    detached: !interactive,
    stdio: [interactive ? 'inherit' : 'ignore', io, io, ...(report === undefined ? [] : reportStdio(report.fd))],
  });
  const reportStream = report === undefined ? undefined : subprocess.stdio[report.fd] ?? undefined;
  const reportChunks: Buffer[] = [];
  // settles once the report is whole, or its descriptor closed (the report
  // comes just before the exit)
  const reportRead = new Promise<void>((resolve) => {
    if (reportStream === undefined || report === undefined) return resolve();
    reportStream.on('data', (chunk: Buffer) => {
      reportChunks.push(chunk);
      if (report.complete(Buffer.concat(reportChunks))) resolve();
    });
    reportStream.once('close', () => resolve());
    reportStream.once('error', () => resolve());
  });
  const capture = new OutputCapture(captureLimit);
  const stdout = textForwarder('stdout', context.onOutput);
  const stderr = textForwarder('stderr', context.onOutput);
  // set when a `background` node ended with its output still held open: what
  // comes after is read (so the writer never gets SIGPIPE) and dropped
  let outputEnded = false;
  subprocess.stdout?.on('data', (chunk: Buffer) => {
    if (outputEnded) return;
    capture.push(chunk);
    stdout.write(chunk);
  });
  subprocess.stderr?.on('data', (chunk: Buffer) => {
    if (!outputEnded) stderr.write(chunk);
  });

  let settled = false;
  let cause: StopCause | undefined;
  let stopping: Promise<void> = Promise.resolve();
  const pid = subprocess.pid;
  const abandonOutput = (): void => {
    subprocess.stdout?.destroy();
    subprocess.stderr?.destroy();
    reportStream?.destroy();
  };
  const target: StopTarget | undefined = pid === undefined ? undefined : {
    pid,
    group: !interactive,
    settled: () => settled,
    abandonOutput,
  };
  const stopWatching = target === undefined ? () => undefined : watchForStop(context.signal, context.timeoutMs, (why) => {
    cause = why;
    stopping = stopProcess(target, stopSignals[why], context.killGraceMs ?? killGraceMs);
  });
  const marker = markerOf(context.env);
  // the node's processes all started at or after its main process
  const startedSince = pid === undefined ? undefined : startTime(pid);
  if (marker !== undefined) trackRun(marker.runId);
  if (pid !== undefined && !interactive) liveGroups.add(pid);

  // `exit` comes when the main process ends, however long others hold its pipes
  // `close` comes once the process has exited and its output pipes are closed;
  // `error` when it could not start
  const completed = new Promise<{kind: 'completed'; done: Completion}>((resolve) => {
    subprocess.once('error', (error: NodeJS.ErrnoException) => resolve({kind: 'completed', done: {exitCode: undefined, signal: undefined, code: error.code, originalMessage: error.message}}));
    subprocess.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => resolve({kind: 'completed', done: {exitCode: exitCode ?? undefined, signal: signal ?? undefined, code: undefined, originalMessage: undefined}}));
  });
  const exited = new Promise<{kind: 'exited'; exitCode: number | null; signal: NodeJS.Signals | null}>((resolve) => {
    subprocess.once('exit', (exitCode, signal) => resolve({kind: 'exited', exitCode, signal}));
  });
  const first = await Promise.race([completed, exited]);
  settled = true;
  stopWatching();
  await stopping;
  // a `background` node that passed leaves its processes to the end of the run
  const background = context.node.attributes.background === true && cause === undefined && first.kind === 'exited' && first.exitCode === 0;
  let survivors: FoundProcess[] = [];
  if (!background) {
    // a process may fork or leave the group while the first ones are ended
    for (let round = 0; round < 3; round += 1) {
      const found = findProcesses(marker, interactive ? undefined : pid, pid === undefined ? undefined : {pid, started: startedSince, ranMs: elapsed()}).filter((entry) => !survivors.some((known) => known.pid === entry.pid));
      if (found.length === 0) break;
      survivors = [...survivors, ...found];
      await endProcesses(found.map((entry) => entry.pid), context.killGraceMs ?? killGraceMs);
    }
  }
  // the report is written before the process exits: what is left is in the pipe
  if (reportStream !== undefined) await Promise.race([reportRead, delay(drainMs)]);
  reportStream?.destroy();
  if (first.kind === 'exited' && await Promise.race([completed.then(() => false), delay(drainMs, true)])) {
    if (background) outputEnded = true;
    else abandonOutput();
  }
  const result: Completion = first.kind === 'completed' ? first.done : {exitCode: first.exitCode ?? undefined, signal: first.signal ?? undefined, code: undefined, originalMessage: undefined};
  if (pid !== undefined) liveGroups.delete(pid);
  stdout.end();
  stderr.end();

  const exitCode = result.exitCode ?? null;
  const signal = result.signal ?? null;
  const base = {exitCode, signal, durationMs: elapsed(), stdout: capture.text(), stdoutTruncated: capture.truncated,
    ...(survivors.length === 0 ? {} : {survivors: survivors.map((found): Survivor => ({pid: found.pid, command: found.command}))}),
    ...(report === undefined ? {} : {reported: Buffer.concat(reportChunks)})};
  if (cause !== undefined) return {...base, ...stopOutcome(cause, context.timeoutMs)};
  if (exitCode === null && signal === null) {
    return {...base, status: 'failed', reason: `cannot start \`${command.file}\`: ${startProblem(result.code, result.originalMessage ?? 'unknown error')}`};
  }
  if (exitCode === 0) return {...base, status: 'passed'};
  if (exitCode !== null) return {...base, status: 'failed', reason: `exit code ${exitCode}`};
  return {...base, status: 'failed', reason: `killed by ${signal}`};
}

// `fd` as a pipe, the descriptors between stderr and it closed (each costs
// time at every start: keep `fd` low).
function reportStdio(fd: number): ('ignore' | 'pipe')[] {
  return [...Array.from({length: fd - 3}, () => 'ignore' as const), 'pipe'];
}

interface Completion {
  readonly exitCode: number | undefined;
  readonly signal: NodeJS.Signals | undefined;
  // why it could not start
  readonly code: string | undefined;
  readonly originalMessage: string | undefined;
}

function directoryProblem(cwd: string): string | undefined {
  try {
    const stats = statSync(cwd);
    return stats.isDirectory() ? undefined : `working directory \`${cwd}\` is not a directory`;
  } catch {
    return `working directory \`${cwd}\` does not exist`;
  }
}

function startProblem(code: string | undefined, message: string): string {
  switch (code) {
    case 'ENOENT':
      return 'command not found';
    case 'EACCES':
      return 'permission denied';
    case 'E2BIG':
      return 'the block is too long to pass to the interpreter';
    default:
      return message;
  }
}

function markerOf(env: Readonly<Record<string, string>>): Marker | undefined {
  const runId = env['RUNBOOK_RUN_ID'];
  const nodeId = env['RUNBOOK_NODE_ID'];
  return runId === undefined || nodeId === undefined ? undefined : {runId, nodeId};
}
