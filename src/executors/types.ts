import type {HttpSummary} from './kinds/http/result.js';
import type {ExecNode, ExecutorKind} from '../runbook/model.js';

// What an executor needs to run one node. Variables reach a process only as
// environment variables; executors never paste values into source text.
export interface ExecutionContext {
  readonly node: ExecNode;
  // the whole environment of a child process: process env + runbook env + inputs + captures
  readonly env: Readonly<Record<string, string>>;
  // resolves a `{{…}}` template expression (http); undefined when unknown
  readonly resolve: (expression: string) => string | undefined;
  readonly cwd: string;
  // interpreter for sh/shell blocks (frontmatter `shell`), e.g. `bash`
  readonly shell: string;
  readonly timeoutMs?: number;
  readonly signal: AbortSignal;
  readonly onOutput: (chunk: OutputChunk) => void;
  // shell: report what the block exported, unset or changed in its
  // environment (`exports`), for later blocks
  readonly carry?: boolean;
  // how long a process group gets after each stop signal before a harder one;
  // `killGraceMs` (2s) when absent; tests shorten it
  readonly killGraceMs?: number;
}

export interface OutputChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export type ExecutionStatus = 'passed' | 'failed' | 'timed-out' | 'interrupted';

export type HttpAssertionResult = HttpSummary['assertions'][number];

// The response as recorded in `node-end`, plus the parsed body conditions read.
export interface HttpResult extends HttpSummary {
  // parsed body when the response is JSON
  readonly json?: unknown;
}

// Failures are data: an executor resolves with a result for every outcome of
// the node (non-zero exit, timeout, refused connection) and throws only for bugs.
export interface ExecutionResult {
  readonly status: ExecutionStatus;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  // stdout as captured for `capture=` (http: the body), capped at `captureLimit`
  readonly stdout: string;
  readonly stdoutTruncated: boolean;
  // one line on why it did not pass: `exit code 2`, `timed out after 10s`, …
  readonly reason?: string;
  readonly http?: HttpResult;
  // processes the node left running, found and ended when it ended
  readonly survivors?: readonly Survivor[];
  // with `carry`: what the block exported or changed (name → value) and
  // unset (name → null) in the environment it was given
  readonly exports?: Readonly<Record<string, string | null>>;
  // with `carry`: the block ended without reporting its environment (it
  // replaced the EXIT trap, `exec`ed another program, or was killed)
  readonly exportsUnknown?: true;
}

export interface Survivor {
  readonly pid: number;
  // its command line, arguments joined by spaces
  readonly command: string;
}

export interface Executor {
  readonly kind: ExecutorKind;
  execute(context: ExecutionContext): Promise<ExecutionResult>;
}

// Bytes of stdout kept in memory for captures; output beyond goes only to the
// output stream (and so to the transcript's side files).
export const captureLimit = 1024 * 1024;

// Grace a process group gets after SIGINT/SIGTERM before the next, harder signal.
export const killGraceMs = 2000;
