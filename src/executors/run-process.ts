import {stat} from 'node:fs/promises';
import {execa} from 'execa';
import {OutputCapture, textForwarder} from './output-capture.js';
import {stopProcess, type StopTarget} from './process-group.js';
import {stopOutcome, watchForStop, type StopCause} from './stop.js';
import {captureLimit, killGraceMs, type ExecutionContext, type ExecutionResult} from './types.js';

export interface ProcessCommand {
  readonly file: string;
  readonly args: readonly string[];
}

// Signals sent, in order and `killGraceMs` apart, until the process is gone.
const stopSignals: Readonly<Record<StopCause, readonly NodeJS.Signals[]>> = {
  timeout: ['SIGTERM', 'SIGKILL'],
  abort: ['SIGINT', 'SIGTERM', 'SIGKILL'],
};

// Runs one child process for the shell and script executors. Output streams
// to `onOutput` as it arrives and only the first `captureLimit` bytes of
// stdout stay in memory. The node ends when the child has exited and its
// output pipes are closed, as with `$(…)` in a shell: a background job that
// keeps stdout open keeps the node running (until its timeout); one that
// redirects its output is left running.
// Interactive nodes inherit the terminal and stay in its foreground process
// group (a background group could not read the terminal), so they are
// signalled alone rather than as a group, and nothing is captured.
export async function runProcess(command: ProcessCommand, context: ExecutionContext): Promise<ExecutionResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const notRun = (status: 'failed' | 'interrupted', reason: string): ExecutionResult =>
    ({status, exitCode: null, signal: null, durationMs: elapsed(), stdout: '', stdoutTruncated: false, reason});

  if (context.signal.aborted) return notRun('interrupted', 'interrupted before it started');
  const cwdProblem = await directoryProblem(context.cwd);
  if (cwdProblem !== undefined) return notRun('failed', cwdProblem);

  const interactive = context.node.attributes.interactive === true;
  const io = interactive ? 'inherit' : 'pipe';
  const subprocess = execa(command.file, [...command.args], {
    cwd: context.cwd,
    env: {...context.env},
    extendEnv: false,
    reject: false,
    buffer: false,
    detached: !interactive,
    stdin: interactive ? 'inherit' : 'ignore',
    stdout: io,
    stderr: io,
  });

  const capture = new OutputCapture(captureLimit);
  const stdout = textForwarder('stdout', context.onOutput);
  const stderr = textForwarder('stderr', context.onOutput);
  subprocess.stdout?.on('data', (chunk: Buffer) => {
    capture.push(chunk);
    stdout.write(chunk);
  });
  subprocess.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk));

  let settled = false;
  let cause: StopCause | undefined;
  let stopping: Promise<void> = Promise.resolve();
  const pid = subprocess.pid;
  const target: StopTarget | undefined = pid === undefined ? undefined : {
    pid,
    group: !interactive,
    settled: () => settled,
    abandonOutput: () => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    },
  };
  const stopWatching = target === undefined ? () => undefined : watchForStop(context.signal, context.timeoutMs, (why) => {
    cause = why;
    stopping = stopProcess(target, stopSignals[why], context.killGraceMs ?? killGraceMs);
  });

  const result = await subprocess;
  settled = true;
  stopWatching();
  await stopping;
  stdout.end();
  stderr.end();

  const exitCode = result.exitCode ?? null;
  const signal = result.signal ?? null;
  const base = {exitCode, signal, durationMs: elapsed(), stdout: capture.text(), stdoutTruncated: capture.truncated};
  if (cause !== undefined) return {...base, ...stopOutcome(cause, context.timeoutMs)};
  if (exitCode === null && signal === null) {
    return {...base, status: 'failed', reason: `cannot start \`${command.file}\`: ${startProblem(result.code, result.originalMessage ?? result.shortMessage ?? 'unknown error')}`};
  }
  if (exitCode === 0) return {...base, status: 'passed'};
  if (exitCode !== null) return {...base, status: 'failed', reason: `exit code ${exitCode}`};
  return {...base, status: 'failed', reason: `killed by ${signal}`};
}

async function directoryProblem(cwd: string): Promise<string | undefined> {
  try {
    const stats = await stat(cwd);
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
