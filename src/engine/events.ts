import type {HttpSummary} from '../executors/kinds/http/result.js';

// The events a run emits, in order. Every consumer (plain and JSON
// reporters, the transcript writer, the Ink UI, replay, resume) reads these
// and nothing else. Every text field is already redacted when emitted.

export type NodeOutcome =
  | 'passed'
  // the node failed but carries `allow-failure`
  | 'allowed-failure'
  | 'failed'
  | 'timed-out'
  | 'interrupted'
  | 'skipped'
  // the operator declared a failed or unknown node done by hand
  | 'marked-done';

export type RunOutcome = 'passed' | 'failed' | 'aborted' | 'interrupted';

export type DecisionKind = 'confirm' | 'checklist' | 'failure' | 'unknown' | 'input';

// `abort` ends the run for good (`aborted`); `quit` stops it `interrupted` and
// `stop` leaves it `failed`, both resumable
export type Decision = 'run' | 'skip' | 'abort' | 'retry' | 'mark-done' | 'rerun' | 'done' | 'quit' | 'stop';

// what an http node's `node-end` records of the response
export type {HttpSummary};

export interface RunStartEvent {
  readonly type: 'run-start';
  readonly runId: string;
  readonly runbookPath: string;
  readonly title: string | null;
  readonly sha256: string;
  readonly attempt: number;
  readonly resumed: boolean;
  readonly readOnly: boolean;
  // when this attempt began (ISO 8601); the first attempt's is where the
  // run's wall time counts from
  readonly startedAt?: string;
  // who played this attempt, where and how: the name given with
  // --operator (else the OS user), the OS user, the host, and the command
  // line with secret values masked. Set by `runbook play`.
  readonly operator?: string;
  readonly user?: string;
  readonly host?: string;
  readonly argv?: readonly string[];
}

export interface InputEvent {
  readonly type: 'input';
  readonly name: string;
  // '••••••' for secret inputs
  readonly value: string;
  readonly secret: boolean;
  readonly source: 'set' | 'set-file' | 'stdin' | 'env-file' | 'environment' | 'default' | 'prompt' | 'transcript';
}

export interface StepStartEvent {
  readonly type: 'step-start';
  readonly stepId: string;
}

export interface StepEndEvent {
  readonly type: 'step-end';
  readonly stepId: string;
  readonly status: 'done' | 'failed' | 'skipped';
  readonly reason?: string;
  // from its step-start in this attempt; recorded so a replay shows what was measured
  readonly durationMs?: number;
}

export interface NodeStartEvent {
  readonly type: 'node-start';
  readonly nodeId: string;
  readonly stepId: string;
  // 1 for the first try, 2 for the first retry, …
  readonly attempt: number;
  // what runs, as written: variables appear by name, never by value
  readonly command: string;
  readonly mutates: boolean;
  readonly interactive: boolean;
  // what the node acts on, resolved (see ResolvedAction); absent in older transcripts
  readonly resolved?: ResolvedAction;
}

// What a node acts on, after templates and variables are filled in, secrets
// masked: an http node's request line, a shell node's variables by value.
export interface ResolvedAction {
  // `GET https://api.example.com/health`
  readonly request?: string;
  // the runbook variables the block reads, in the order it first reads them
  readonly uses?: readonly {readonly name: string; readonly value: string}[];
}

// Between a failed attempt and its retry: `attempt` failed, retry `attempt`
// of `of` starts at `until` (ISO 8601) unless the wait is stopped.
export interface RetryWaitEvent {
  readonly type: 'retry-wait';
  readonly nodeId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly of: number;
  readonly ms: number;
  readonly until: string;
}

export interface OutputEvent {
  readonly type: 'output';
  readonly nodeId: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface NodeEndEvent {
  readonly type: 'node-end';
  readonly nodeId: string;
  readonly stepId: string;
  readonly outcome: NodeOutcome;
  readonly attempt: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  // why it did not pass, or why it was skipped (`if=` false, operator, …)
  readonly reason?: string;
  // name → value; secret captures are recorded as '••••••'
  readonly captures: Readonly<Record<string, string>>;
  // what a shell block exported or changed (name → value, secrets as
  // '••••••') and unset (name → null), carried to later blocks; absent when
  // nothing carried (and in older transcripts)
  readonly exports?: Readonly<Record<string, string | null>>;
  readonly http?: HttpSummary;
  // interactive nodes hand the terminal to the child; nothing is captured
  readonly outputCaptured: boolean;
  // occurrences of secrets masked in the node's output, so that masking
  // too much or too little shows; absent when none (and in older transcripts)
  readonly masked?: number;
  // skipped because it mutates and the attempt is a read-only rehearsal: a
  // live attempt that resumes the run runs it
  readonly rehearsed?: true;
  // processes the node left running (in its process group, or escaped from
  // it but carrying its marker), ended when it ended; command lines redacted
  readonly survivors?: readonly {readonly pid: number; readonly command: string}[];
}

export interface DecisionAskedEvent {
  readonly type: 'decision-asked';
  readonly kind: DecisionKind;
  readonly nodeId?: string;
  readonly stepId?: string;
  readonly prompt: string;
  // at a gate before a node: what it acts on, resolved
  readonly resolved?: ResolvedAction;
}

export interface DecisionTakenEvent {
  readonly type: 'decision-taken';
  readonly kind: DecisionKind;
  readonly nodeId?: string;
  readonly stepId?: string;
  readonly decision: Decision;
  // 'auto' when `--yes` approved it without a person
  readonly by: 'operator' | 'auto';
  readonly note?: string;
  // checklist items: index → ticked, or not applicable with a reason
  readonly items?: readonly {readonly index: number; readonly text: string; readonly state: 'ticked' | 'not-applicable'; readonly reason?: string}[];
}

export interface NoteEvent {
  readonly type: 'note';
  readonly text: string;
  readonly nodeId?: string;
  readonly by: 'operator' | 'engine';
}

export interface InterruptEvent {
  readonly type: 'interrupt';
  readonly nodeId?: string;
  // 'node' stops only the running node; 'run' stops the run (resumable)
  readonly scope: 'node' | 'run';
}

export interface RunEndEvent {
  readonly type: 'run-end';
  readonly outcome: RunOutcome;
  // this attempt: its own time and the nodes it ended
  readonly durationMs: number;
  readonly reason?: string;
  readonly counts: Readonly<Record<NodeOutcome, number>>;
  // the whole run over every attempt so far: wall time since the first
  // attempt began, and each node's latest outcome in any attempt
  readonly total?: RunTotal;
}

export interface RunTotal {
  readonly attempts: number;
  readonly durationMs: number;
  readonly counts: Readonly<Record<NodeOutcome, number>>;
}

export type RunEvent =
  | RunStartEvent
  | InputEvent
  | StepStartEvent
  | StepEndEvent
  | NodeStartEvent
  | OutputEvent
  | RetryWaitEvent
  | NodeEndEvent
  | DecisionAskedEvent
  | DecisionTakenEvent
  | NoteEvent
  | InterruptEvent
  | RunEndEvent;

export type RunEventType = RunEvent['type'];

export const masked = '••••••';

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
