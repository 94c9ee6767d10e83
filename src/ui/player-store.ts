import type {RunEvent} from '../engine/events.js';
import type {
  ChecklistAnswer,
  ChecklistRequest,
  ConfirmAnswer,
  ConfirmRequest,
  FailureAnswer,
  FailureRequest,
  InputAnswer,
  InputRequest,
  Operator,
  UnknownAnswer,
  UnknownRequest,
} from '../engine/operator.js';
import {initialRunState, reduceRunEvents, type RunState} from '../engine/run-state.js';
import type {RunControls, RunResult} from '../engine/session.js';
import type {EventSink} from '../engine/sink.js';
import type {Runbook} from '../runbook/model.js';
import {emptyEntry, type TextEntry} from './text-entry.js';

// The player's side of a run: the engine's sink and operator, and the state
// the screen draws. Events are folded in batches (at most every `flushMs`),
// so a node printing without pause neither slows the run nor the keys;
// decisions are shown at once. Everything the screen needs lives here, not
// in components, so the UI can be unmounted for an interactive node and
// mounted again without losing anything.

interface AskOf<Kind extends string, Request, Answer> {
  readonly kind: Kind;
  readonly request: Request;
  readonly answer: (answer: Answer) => void;
}

export type Ask =
  | AskOf<'confirm', ConfirmRequest, ConfirmAnswer>
  | AskOf<'checklist', ChecklistRequest, ChecklistAnswer>
  | AskOf<'failure', FailureRequest, FailureAnswer>
  | AskOf<'unknown', UnknownRequest, UnknownAnswer>
  | AskOf<'input', InputRequest, InputAnswer>;

export type TextPurpose =
  | {readonly kind: 'note'}
  | {readonly kind: 'skip'}
  | {readonly kind: 'mark-done'}
  | {readonly kind: 'not-applicable'; readonly index: number};

export type Overlay =
  | {readonly kind: 'none'}
  // `top`: rows the help is scrolled
  | {readonly kind: 'help'; readonly top?: number}
  // every note of the run, with its step and time
  | {readonly kind: 'notes'}
  // every variable, its value and where it came from (`v`)
  | {readonly kind: 'variables'}
  // `top` is the first line shown; null follows the end as output arrives
  | {readonly kind: 'output'; readonly nodeId: string; readonly top: number | null}
  | {readonly kind: 'text'; readonly purpose: TextPurpose; readonly entry: TextEntry; readonly problem: string | null}
  | {readonly kind: 'confirm-quit'}
  | {readonly kind: 'confirm-abort'}
  // before a resumed rehearsal starts, with --live: go live, or keep rehearsing
  | {readonly kind: 'confirm-live'; readonly prompt: string};

export type ItemMark = {readonly state: 'ticked'} | {readonly state: 'not-applicable'; readonly reason: string};

export interface ChecklistDraft {
  readonly nodeId: string;
  readonly selected: number;
  readonly marks: readonly (ItemMark | null)[];
}

export interface PlayerSnapshot {
  readonly run: RunState;
  readonly ask: Ask | null;
  readonly overlay: Overlay;
  readonly checklist: ChecklistDraft | null;
  // the value being typed for an input the engine asks for
  readonly input: TextEntry;
  // one line about the last thing done (a note saved, an interrupt sent)
  readonly message: string | null;
  // an interactive node has the terminal
  readonly suspendedNodeId: string | null;
  readonly interruptedNodeId: string | null;
  readonly quitRequested: boolean;
  readonly result: RunResult | null;
  // the node the operator moved the focus cursor to; null follows the run
  readonly focus: string | null;
  // rows the step body is scrolled from where it would stand (negative: up)
  readonly scroll: number;
  // the operator chose to run the read-only nodes without being asked:
  // up to the next gate, or for the rest of the run
  readonly runAhead: RunAhead;
}

export type RunAhead = 'off' | 'to-gate' | 'rest';

// A node asked about only because the player steps node by node: no
// `confirm`, no `mutates`. Run-ahead runs these; every other question is a gate.
export function isReadOnlyStep(request: ConfirmRequest): boolean {
  return !request.mutates && !request.explicit;
}

// Recorded with each decision run-ahead takes, so the transcript shows the operator chose it.
export const runAheadNotes: Record<Exclude<RunAhead, 'off'>, string> = {
  'to-gate': 'run ahead: the operator chose to run the read-only nodes up to the next gate without being asked',
  rest: 'run ahead: the operator chose to run the read-only nodes for the rest of the run without being asked',
};

// How the player gives the terminal to an interactive node and takes it back.
export interface PlayerHost {
  suspend(): Promise<void>;
  resume(): void;
}

export interface PlayerStoreOptions {
  readonly clock?: () => number;
  readonly flushMs?: number;
  // output lines kept per node for the full-output view
  readonly outputLimit?: number;
}

export const fullOutputLimit = 10_000;

export class PlayerStore implements Operator, EventSink {
  readonly kind = 'operator' as const;
  readonly #clock: () => number;
  readonly #flushMs: number;
  readonly #listeners = new Set<() => void>();
  #snapshot: PlayerSnapshot;
  #queue: RunEvent[] = [];
  #times: (number | null)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #controls: RunControls | undefined;
  #host: PlayerHost | undefined;
  // what runs now, known as soon as the event arrives (before any flush)
  #runningNodeId: string | null = null;
  // a failed node waiting for its retry: Ctrl-C stops the wait as it would the node
  #retryingNodeId: string | null = null;
  #goLive: ((live: boolean) => void) | undefined;

  constructor(runbook: Runbook, options: PlayerStoreOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#flushMs = options.flushMs ?? 100;
    this.#snapshot = {
      run: initialRunState(runbook, {outputLimit: options.outputLimit ?? fullOutputLimit}),
      ask: null, overlay: {kind: 'none'}, checklist: null, input: emptyEntry, message: null,
      suspendedNodeId: null, interruptedNodeId: null, quitRequested: false, result: null, focus: null, scroll: 0, runAhead: 'off',
    };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getSnapshot = (): PlayerSnapshot => this.#snapshot;

  get runningNodeId(): string | null {
    return this.#runningNodeId ?? this.#retryingNodeId;
  }

  attach(controls: RunControls): void {
    this.#controls = controls;
    // asked to quit before the run started
    if (this.#snapshot.quitRequested) controls.quit();
  }

  // Before the run starts: true when the operator says to go live.
  askGoLive(prompt: string): Promise<boolean> {
    return new Promise((resolve) => {
      this.#goLive = resolve;
      this.#set({overlay: {kind: 'confirm-live', prompt}, message: null});
    });
  }

  answerGoLive(live: boolean): void {
    const answer = this.#goLive;
    this.#goLive = undefined;
    if (this.#snapshot.overlay.kind === 'confirm-live') this.#set({overlay: {kind: 'none'}});
    answer?.(live);
  }

  setHost(host: PlayerHost): void {
    this.#host = host;
  }

  // --- EventSink ---

  onEvent(event: RunEvent): void {
    if (event.type === 'node-start') this.#runningNodeId = event.nodeId;
    if (event.type === 'node-end' && this.#runningNodeId === event.nodeId) this.#runningNodeId = null;
    if (event.type === 'retry-wait') this.#retryingNodeId = event.nodeId;
    else if (event.type === 'node-start' || event.type === 'decision-asked' || event.type === 'run-end') this.#retryingNodeId = null;
    this.#queue.push(event);
    this.#times.push(this.#clock());
    if (event.type === 'run-start' || event.type === 'decision-asked' || event.type === 'run-end') this.flush();
    else this.#schedule();
  }

  onReplay(event: RunEvent): void {
    this.#queue.push(event);
    this.#times.push(null);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.#flushMs);
  }

  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#queue.length === 0) return;
    const events = this.#queue;
    const times = this.#times;
    this.#queue = [];
    this.#times = [];
    const run = reduceRunEvents(this.#snapshot.run, events, times);
    const finishedInterrupt = this.#snapshot.interruptedNodeId !== null && run.runningNodeId !== this.#snapshot.interruptedNodeId;
    // a new node or step puts the view back where it matters, unless the operator looks elsewhere
    const moved = run.currentNodeId !== this.#snapshot.run.currentNodeId || run.currentStepId !== this.#snapshot.run.currentStepId;
    this.#set({
      run,
      ...(moved && this.#snapshot.focus === null ? {scroll: 0} : {}),
      ...(finishedInterrupt ? {interruptedNodeId: null} : {}),
      ...(run.end === null ? {} : {ask: null, checklist: null}),
    });
  }

  // Replay: the run as folded up to a recorded position. The view follows
  // the run again unless the focus is on a node that position has.
  showRun(run: RunState): void {
    const focus = this.#snapshot.focus !== null && run.nodes.get(this.#snapshot.focus)?.status !== 'pending' ? this.#snapshot.focus : null;
    const moved = run.currentNodeId !== this.#snapshot.run.currentNodeId || run.currentStepId !== this.#snapshot.run.currentStepId;
    this.#set({run, focus, ...(moved && focus === null ? {scroll: 0} : {})});
  }

  // --- Operator ---

  confirm(request: ConfirmRequest): Promise<ConfirmAnswer> {
    const mode = this.#snapshot.runAhead;
    if (mode !== 'off' && isReadOnlyStep(request) && !this.#snapshot.quitRequested) return Promise.resolve({decision: 'run', note: runAheadNotes[mode]});
    return this.#pose<ConfirmAnswer>((answer) => ({kind: 'confirm', request, answer}));
  }

  // `g` / `G` at a read-only node: run it, and the read-only nodes after it
  // without asking, up to the next gate or for the rest of the run.
  runAhead(mode: Exclude<RunAhead, 'off'>): void {
    const ask = this.#snapshot.ask;
    if (ask?.kind !== 'confirm' || !isReadOnlyStep(ask.request)) return;
    this.#set({runAhead: mode});
    ask.answer({decision: 'run', note: runAheadNotes[mode]});
  }

  checklist(request: ChecklistRequest): Promise<ChecklistAnswer> {
    const checklist: ChecklistDraft = {nodeId: request.node.id, selected: 0, marks: request.node.items.map(() => null)};
    return this.#pose<ChecklistAnswer>((answer) => ({kind: 'checklist', request, answer}), {checklist});
  }

  failure(request: FailureRequest): Promise<FailureAnswer> {
    return this.#pose<FailureAnswer>((answer) => ({kind: 'failure', request, answer}));
  }

  unknown(request: UnknownRequest): Promise<UnknownAnswer> {
    return this.#pose<UnknownAnswer>((answer) => ({kind: 'unknown', request, answer}));
  }

  input(request: InputRequest): Promise<InputAnswer> {
    return this.#pose<InputAnswer>((answer) => ({kind: 'input', request, answer}), {input: emptyEntry});
  }

  async suspend(): Promise<void> {
    this.flush();
    this.#set({suspendedNodeId: this.#runningNodeId ?? this.#snapshot.run.currentNodeId ?? '', overlay: {kind: 'none'}});
    await this.#host?.suspend();
  }

  resume(): void {
    this.#set({suspendedNodeId: null});
    this.#host?.resume();
  }

  // Shows a question until it is answered once; the answer clears it.
  #pose<Answer>(build: (answer: (value: Answer) => void) => Ask, extra: Partial<PlayerSnapshot> = {}): Promise<Answer> {
    this.flush();
    return new Promise<Answer>((resolve) => {
      const ask = build((value) => {
        if (this.#snapshot.ask !== ask) return;
        const overlay = this.#snapshot.overlay.kind === 'text' && this.#snapshot.overlay.purpose.kind === 'note' ? this.#snapshot.overlay : {kind: 'none' as const};
        this.#set({ask: null, checklist: null, input: emptyEntry, overlay, focus: null, scroll: 0});
        resolve(value);
      });
      // a gate ends a run-ahead chosen up to the next gate
      this.#set({...extra, ask, message: null, focus: null, scroll: 0, ...(this.#snapshot.runAhead === 'to-gate' ? {runAhead: 'off' as const} : {})});
    });
  }

  // --- the run's end ---

  finish(result: RunResult): void {
    this.flush();
    this.#set({result, ask: null, overlay: {kind: 'none'}, suspendedNodeId: null, message: null});
  }

  // --- actions from keys ---

  update(change: Partial<Omit<PlayerSnapshot, 'run' | 'ask' | 'result' | 'runAhead'>>): void {
    this.#set(change);
  }

  note(text: string): void {
    const nodeId = this.#runningNodeId ?? undefined;
    this.#controls?.note(text, nodeId);
    this.#set({message: `note saved${nodeId === undefined ? '' : ` on ${nodeId}`}`});
  }

  // Ctrl-C: stop the running node only; with nothing to stop, or pressed
  // again while the node is stopping, stop the run safely.
  interruptOrQuit(): void {
    const running = this.runningNodeId;
    if (running !== null && this.#snapshot.interruptedNodeId !== running && !this.#snapshot.quitRequested) {
      this.#controls?.interruptNode();
      this.#set({interruptedNodeId: running, message: `interrupting ${running}; Ctrl-C again stops the run safely`, overlay: {kind: 'none'}});
      return;
    }
    this.quit();
  }

  quit(): void {
    if (this.#snapshot.quitRequested) return;
    this.#set({quitRequested: true, overlay: {kind: 'none'}, message: 'stopping safely…'});
    this.answerGoLive(false);
    this.#controls?.quit();
  }

  #set(change: Partial<PlayerSnapshot>): void {
    this.#snapshot = {...this.#snapshot, ...change};
    for (const listener of this.#listeners) listener();
  }
}
