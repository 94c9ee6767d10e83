import type {RunOutcome} from './events.js';

// Live controls over a run, for the player: notes, interrupting the running
// node, and quitting safely. Each is recorded as an event.
export interface RunControls {
  // an operator note, recorded at once (also while a node runs)
  note(text: string, nodeId?: string): void;
  // SIGINT to the running node's process group; the node ends `interrupted`
  // and the failure decision follows. No-op when nothing runs.
  interruptNode(): void;
  // stop safely: interrupt what runs, answer pending decisions with `quit`,
  // end the run `interrupted` (resumable)
  quit(): void;
}

export interface RunResult {
  readonly outcome: RunOutcome;
  readonly runId: string;
  readonly transcriptPath: string;
  // 0 passed, 1 failed or aborted, 130 interrupted
  readonly exitCode: number;
}

export interface RunHandle {
  readonly controls: RunControls;
  readonly done: Promise<RunResult>;
}
