import type {RunEvent} from '../engine/events.js';
import {reduceRunEvents, type RunState} from '../engine/run-state.js';
import type {Runbook} from '../runbook/model.js';
import {isRunEventRecord, type TranscriptRecord} from '../transcript/format.js';
import type {TranscriptEntry} from '../transcript/read.js';
import {PlayerStore, type PlayerStoreOptions} from './player-store.js';

// `runbook replay`: a recorded run on the player's own screen. The events
// stay in memory; the run state at a position is the events up to it folded
// by the same reducer as a live run (again from the start, via a checkpoint,
// when stepping back). View state (focus, scroll, overlays) is a
// PlayerStore's, so the live player's view keys work unchanged; nothing here
// starts a process or sends a request.

export type ReplaySpeed = 1 | 10 | 'instant';

export interface ReplayState {
  // index of the record shown (its event folded in); -1 before the first
  readonly position: number;
  readonly playing: boolean;
  readonly speed: ReplaySpeed;
  // the diff overlay (`d`): the first row shown, null when closed
  readonly diffTop: number | null;
  readonly quit: boolean;
}

export interface ReplayOptions extends PlayerStoreOptions {
  // waits longer than this (ms, before the speed divides them) are cut to it
  readonly longestWait?: number;
  // how long the pause between attempts is (ms, at real time)
  readonly attemptPause?: number;
  // folded states kept every this many records, so stepping back is quick
  readonly checkpointEvery?: number;
}

const eventOf = (entry: TranscriptEntry): RunEvent | null => (isRunEventRecord(entry.event as TranscriptRecord) ? (entry.event as RunEvent) : null);

export class ReplayStore {
  readonly view: PlayerStore;
  readonly records: readonly TranscriptEntry[];
  readonly #initial: RunState;
  readonly #listeners = new Set<() => void>();
  readonly #longestWait: number;
  readonly #attemptPause: number;
  readonly #checkpointEvery: number;
  // folded state after record `index * checkpointEvery - 1`
  readonly #checkpoints: RunState[] = [];
  #run: RunState;
  #state: ReplayState = {position: -1, playing: false, speed: 1, diffTop: null, quit: false};
  #timer: NodeJS.Timeout | undefined;

  constructor(runbook: Runbook, records: readonly TranscriptEntry[], options: ReplayOptions = {}) {
    this.view = new PlayerStore(runbook, options);
    this.records = records;
    this.#initial = this.view.getSnapshot().run;
    this.#run = this.#initial;
    this.#longestWait = options.longestWait ?? 2000;
    this.#attemptPause = options.attemptPause ?? 500;
    this.#checkpointEvery = options.checkpointEvery ?? 1000;
    this.view.subscribe(() => {
      if (this.view.getSnapshot().quitRequested && !this.#state.quit) this.quit();
      else this.#emit();
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getState = (): ReplayState => this.#state;

  get length(): number {
    return this.records.length;
  }

  // --- moving ---

  seek(position: number): void {
    const target = Math.min(this.records.length - 1, Math.max(-1, position));
    const from = this.#state.position;
    if (target === from) return;
    let run: RunState;
    if (target > from) run = this.#fold(this.#run, from + 1, target);
    else {
      const checkpoint = Math.floor((target + 1) / this.#checkpointEvery);
      const base = checkpoint === 0 ? this.#initial : this.#checkpoints[checkpoint - 1] ?? this.#initial;
      const start = checkpoint === 0 || this.#checkpoints[checkpoint - 1] === undefined ? 0 : checkpoint * this.#checkpointEvery;
      run = this.#fold(base, start, target);
    }
    this.#run = run;
    this.#state = {...this.#state, position: target};
    this.view.showRun(run);
  }

  step(delta: number): void {
    this.pause();
    this.seek(this.#state.position + delta);
  }

  // `]` / `[`: the next or previous step-start (the start or end of the run when none)
  stepToStep(direction: 1 | -1): void {
    this.pause();
    let index = this.#state.position + direction;
    while (index >= 0 && index < this.records.length && eventOf(this.records[index] as TranscriptEntry)?.type !== 'step-start') index += direction;
    this.seek(index);
  }

  toStart(): void {
    this.pause();
    this.seek(this.records.length === 0 ? -1 : 0);
  }

  toEnd(): void {
    this.pause();
    this.seek(this.records.length - 1);
  }

  // --- playing ---

  togglePlay(): void {
    if (this.#state.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.#state.position >= this.records.length - 1) this.seek(-1);
    this.#set({playing: true});
    this.#schedule();
  }

  pause(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#state.playing) this.#set({playing: false});
  }

  setSpeed(speed: ReplaySpeed): void {
    this.#set({speed});
    if (this.#state.playing) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#schedule();
    }
  }

  // How long to wait before showing record `next`, from the recorded monotonic times.
  waitBefore(next: number): number {
    const {speed} = this.#state;
    if (speed === 'instant') return 0;
    const before = this.records[next - 1];
    const record = this.records[next];
    if (before === undefined || record === undefined) return 0;
    const recorded = record.attempt !== before.attempt ? this.#attemptPause : Math.max(0, record.mono - before.mono);
    return Math.min(this.#longestWait, recorded) / speed;
  }

  #schedule(): void {
    if (this.#timer !== undefined || !this.#state.playing) return;
    const next = this.#state.position + 1;
    if (next >= this.records.length) {
      this.#set({playing: false});
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#state.playing) return;
      // instant: as many records as a frame's worth of folding, then draw
      this.seek(this.#state.speed === 'instant' ? next + 999 : next);
      this.#schedule();
    }, this.waitBefore(next));
  }

  // --- overlays ---

  openDiff(): void {
    this.#set({diffTop: 0});
  }

  scrollDiff(rows: number, max: number): void {
    if (this.#state.diffTop === null) return;
    this.#set({diffTop: Math.min(Math.max(0, max), Math.max(0, this.#state.diffTop + rows))});
  }

  closeDiff(): void {
    this.#set({diffTop: null});
  }

  quit(): void {
    this.pause();
    this.#set({quit: true});
  }

  // Records `from`..`to` folded into `run` (output in batches, as live),
  // keeping a checkpoint at each multiple of checkpointEvery on the way.
  #fold(run: RunState, from: number, to: number): RunState {
    let next = run;
    let events: RunEvent[] = [];
    let times: (number | null)[] = [];
    for (let index = from; index <= to; index += 1) {
      const entry = this.records[index] as TranscriptEntry;
      const event = eventOf(entry);
      if (event !== null) {
        const time = Date.parse(entry.time);
        events.push(event);
        times.push(Number.isNaN(time) ? null : time);
      }
      if ((index + 1) % this.#checkpointEvery === 0 || index === to) {
        next = reduceRunEvents(next, events, times);
        events = [];
        times = [];
        if ((index + 1) % this.#checkpointEvery === 0) this.#checkpoints[(index + 1) / this.#checkpointEvery - 1] ??= next;
      }
    }
    return next;
  }

  #set(change: Partial<ReplayState>): void {
    this.#state = {...this.#state, ...change};
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}
