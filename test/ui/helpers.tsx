import {EventEmitter} from 'node:events';
import {readFileSync} from 'node:fs';
import {stripVTControlCharacters} from 'node:util';
import {render, type Instance} from 'ink';
import type {ReactElement} from 'react';
import type {NodeOutcome, RunEvent} from '../../src/engine/events.js';
import type {ChecklistNode, ExecNode, Runbook, Step} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {allSteps, stepNodes} from '../../src/runbook/walk.js';

export const fixturePath = 'test/ui/fixtures/deploy.md';

export function loadFixture(path = fixturePath): Runbook {
  return parseRunbook(readFileSync(path, 'utf8'), path).runbook;
}

export function stepOf(runbook: Runbook, id: string): Step {
  const step = allSteps(runbook).find((candidate) => candidate.id === id);
  if (step === undefined) throw new Error(`no step ${id}`);
  return step;
}

export function execOf(runbook: Runbook, id: string): ExecNode {
  const node = allSteps(runbook).flatMap(stepNodes).find((candidate) => candidate.id === id);
  if (node?.kind !== 'exec') throw new Error(`no exec node ${id}`);
  return node;
}

export function checklistOf(runbook: Runbook, id: string): ChecklistNode {
  const node = allSteps(runbook).flatMap(stepNodes).find((candidate) => candidate.id === id);
  if (node?.kind !== 'checklist') throw new Error(`no checklist ${id}`);
  return node;
}

export const zeroCounts: Record<NodeOutcome, number> = {passed: 0, 'allowed-failure': 0, failed: 0, 'timed-out': 0, interrupted: 0, skipped: 0, 'marked-done': 0};

export function runStart(extra: Partial<Extract<RunEvent, {type: 'run-start'}>> = {}): RunEvent {
  return {type: 'run-start', runId: 'run-1', runbookPath: fixturePath, title: 'Deploy check', sha256: 'abc', attempt: 1, resumed: false, readOnly: false, ...extra};
}

class FakeStdout extends EventEmitter {
  columns: number;
  rows: number;
  readonly isTTY = true;
  readonly frames: string[] = [];
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  #data: string | null = null;
  write(data: string): void {
    this.#data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const data = this.#data;
    this.#data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface Rendered {
  readonly instance: Instance;
  readonly stdout: FakeStdout;
  // the last frame, colours stripped, trailing spaces of each row removed
  frame(): string;
  // every frame written so far, colours stripped
  allFrames(): string[];
  press(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
}

export const keys = {
  enter: '\r',
  escape: '\u001B',
  ctrlC: '\u0003',
  backspace: '\u007F',
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
} as const;

export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function clean(frame: string): string {
  return stripVTControlCharacters(frame).split('\n').map((row) => row.trimEnd()).join('\n').replace(/\n+$/, '');
}

// Ink in debug mode: every frame is written whole, so the last write is the screen.
// Renders an element whose `onReady` says it listens for keys (the
// player), and waits for it: keys pressed before then would be lost.
export async function renderReady(element: (onReady: () => void) => ReactElement, size: {columns?: number; rows?: number} = {}): Promise<Rendered> {
  let ready = (): void => undefined;
  const listening = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const app = renderApp(element(() => ready()), size);
  await listening;
  return app;
}

export function renderApp(element: ReactElement, size: {columns?: number; rows?: number} = {}): Rendered {
  const stdout = new FakeStdout(size.columns ?? 80, size.rows ?? 24);
  const stdin = new FakeStdin();
  const instance = render(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: new FakeStdout(80, 24) as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    instance,
    stdout,
    frame: () => clean(stdout.frames.at(-1) ?? ''),
    allFrames: () => stdout.frames.map(clean),
    press: async (...pressed: string[]) => {
      for (const key of pressed) {
        stdin.write(key);
        await tick();
        await tick();
      }
    },
    resize: async (columns: number, rows: number) => {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
      // Ink redraws the old layout at once; the player lays itself out again
      // when React has run its effects and its update, which a loaded machine
      // may delay: wait until no frame has come for three polls.
      for (let quiet = 0, seen = stdout.frames.length, waited = 0; quiet < 3 && waited < 3000; waited += 10) {
        await tick(10);
        quiet = stdout.frames.length === seen ? quiet + 1 : 0;
        seen = stdout.frames.length;
      }
    },
  };
}
