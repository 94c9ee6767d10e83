import type {InputSpec, ChecklistNode, ExecNode, Step} from '../runbook/model.js';
import type {ExecutionResult} from '../executors/types.js';

// Every decision a run needs from a person goes through an Operator. The Ink
// UI, the headless `--yes` operator and tests implement it.

export interface ConfirmRequest {
  readonly node: ExecNode;
  readonly step: Step;
  readonly prompt: string;
  // the command as written, variables by name
  readonly command: string;
  // the command with the values it acts on filled in, secrets masked (for
  // the operator to read; src/engine/resolved-command.ts)
  readonly resolved?: string;
  readonly mutates: boolean;
  // false when the node has no `confirm`/`mutates` gate and the run asks
  // before every node (the interactive player steps node by node)
  readonly explicit: boolean;
}

// `abort` ends the run for good; `quit` stops it safely so `--resume` can continue.
export type Stop = {readonly decision: 'abort'} | {readonly decision: 'quit'};

// Ends the run `failed` where it is, resumable once the cause is fixed: what
// the headless operator answers at a failure it cannot decide.
export type StopFailed = {readonly decision: 'stop'};

// `note` on `run`: why it ran without the operator reading it first (they
// chose to run the read-only nodes ahead), recorded with the decision
export type ConfirmAnswer = {readonly decision: 'run'; readonly note?: string} | {readonly decision: 'skip'; readonly reason?: string} | Stop;

export interface ChecklistRequest {
  readonly node: ChecklistNode;
  readonly step: Step;
}

export type ChecklistAnswer =
  | {readonly decision: 'done'; readonly items: readonly {readonly index: number; readonly state: 'ticked' | 'not-applicable'; readonly reason?: string}[]}
  | {readonly decision: 'skip'; readonly reason?: string}
  | Stop;

export interface FailureRequest {
  // none when what failed is a step's `if=`, which could not be evaluated
  readonly node?: ExecNode | ChecklistNode;
  readonly step: Step;
  readonly result: ExecutionResult;
  readonly attempt: number;
}

export type FailureAnswer =
  | {readonly decision: 'retry'}
  | {readonly decision: 'skip'; readonly reason?: string}
  | {readonly decision: 'mark-done'; readonly note: string}
  | StopFailed
  | Stop;

// A node that started in an earlier attempt but never ended (the process
// died): it may or may not have done its work.
export interface UnknownRequest {
  readonly node: ExecNode;
  readonly step: Step;
  // the node (or its step) is marked `idempotent`: rerunning it is safe
  readonly idempotent: boolean;
}

export type UnknownAnswer =
  | {readonly decision: 'rerun'}
  | {readonly decision: 'skip'; readonly reason?: string}
  | {readonly decision: 'mark-done'; readonly note: string}
  | StopFailed
  | Stop;

export interface InputRequest {
  readonly input: InputSpec;
  // the validation message for the value given last time
  readonly problem?: string;
}

export type InputAnswer = {readonly decision: 'value'; readonly value: string} | Stop;

export interface Operator {
  // 'auto' operators record their decisions as auto-approved
  readonly kind: 'operator' | 'auto';
  confirm(request: ConfirmRequest): Promise<ConfirmAnswer>;
  checklist(request: ChecklistRequest): Promise<ChecklistAnswer>;
  failure(request: FailureRequest): Promise<FailureAnswer>;
  unknown(request: UnknownRequest): Promise<UnknownAnswer>;
  input(request: InputRequest): Promise<InputAnswer>;
  // An `interactive` node needs the real terminal: the engine awaits
  // `suspend` before starting it and calls `resume` when it has exited.
  suspend?(): Promise<void>;
  resume?(): void;
}
