import {EventEmitter} from 'node:events';
import xterm from '@xterm/headless';
import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import type {Operator} from '../../src/engine/operator.js';
import type {RunControls, RunHandle, RunResult} from '../../src/engine/session.js';
import type {EventSink} from '../../src/engine/sink.js';
import {execOf, loadFixture, runStart, stepOf, tick, zeroCounts} from './helpers.js';

// Ink draws only the last frame when it believes it runs in CI; this test
// reads the terminal as a person would see it.
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];
const {playInTerminal} = await import('../../src/ui/play.js');

const {Terminal} = xterm;

// A terminal in memory: what the player writes is what `screen()` shows.
function fakeTerminal(columns = 80, rows = 24) {
  const terminal = new Terminal({cols: columns, rows, allowProposedApi: true, convertEol: true});
  const writes: string[] = [];
  const output = Object.assign(new EventEmitter(), {
    columns, rows, isTTY: true,
    write: (data: string): boolean => {
      writes.push(data);
      terminal.write(data);
      return true;
    },
  });
  const rawModes: boolean[] = [];
  let pending: string | null = null;
  const input = Object.assign(new EventEmitter(), {
    isTTY: true,
    setRawMode: (mode: boolean) => void rawModes.push(mode),
    setEncoding: () => undefined,
    read: (): string | null => {
      const data = pending;
      pending = null;
      return data;
    },
    resume: () => undefined, pause: () => undefined, ref: () => undefined, unref: () => undefined,
  });
  // Ink draws at most 30 frames a second: wait for the next one
  const settle = async (): Promise<void> => {
    await tick(60);
    await new Promise<void>((resolve) => terminal.write('', resolve));
  };
  return {
    terminal, rawModes, writes,
    io: {stdout: output as unknown as NodeJS.WriteStream, stderr: output as unknown as NodeJS.WriteStream, stdin: input as unknown as NodeJS.ReadStream, patchConsole: false},
    press: async (key: string) => {
      pending = key;
      input.emit('readable');
      await settle();
    },
    settle,
    // waits until the screen shows `text` (the timeout is only a safety net)
    waitFor: async (text: string): Promise<void> => {
      for (let waited = 0; waited < 10_000 && !screen().includes(text); waited += 60) await settle();
    },
    screen,
  };
  function screen(): string {
    const buffer = terminal.buffer.active;
    const rowsOut: string[] = [];
    for (let row = 0; row < buffer.length; row += 1) {
      const line = buffer.getLine(row);
      const text = line?.translateToString(true) ?? '';
      // a row the terminal wrapped continues the one before
      if (line?.isWrapped === true && rowsOut.length > 0) rowsOut[rowsOut.length - 1] += text;
      else rowsOut.push(text);
    }
    return rowsOut.join('\n').replace(/\n+$/, '');
  }
}

// A stand-in engine: plays a script against the player's operator and sink.
function fakeEngine(script: (operator: Operator, sink: EventSink, quit: Promise<void>) => Promise<RunResult>) {
  const calls = {started: 0, quits: 0, interrupts: 0};
  let onQuit = (): void => undefined;
  const quit = new Promise<void>((resolve) => {
    onQuit = resolve;
  });
  const start = (operator: Operator, sink: EventSink): RunHandle => {
    calls.started += 1;
    const controls: RunControls = {
      note: (text) => sink.onEvent({type: 'note', text, by: 'operator'}),
      interruptNode: () => void (calls.interrupts += 1),
      quit: () => {
        calls.quits += 1;
        sink.onEvent({type: 'interrupt', scope: 'run'});
        onQuit();
      },
    };
    return {controls, done: script(operator, sink, quit)};
  };
  return {start, calls};
}

const runbook = loadFixture();
const base = {runbook, runId: 'run-1', transcriptPath: '.runbook/runs/run-1/transcript.jsonl', resumeCommand: 'runbook play test/ui/fixtures/deploy.md --resume run-1', resumed: false};

describe('playInTerminal', () => {
  it('draws the first frame before the run starts, quits safely on q y, and prints how to resume', async () => {
    const term = fakeTerminal();
    let writtenAtStart = '';
    const engine = fakeEngine(async (operator, sink, quit) => {
      writtenAtStart = term.writes.join('');
      const emit = (event: RunEvent): void => sink.onEvent(event);
      emit(runStart());
      emit({type: 'step-start', stepId: 'roll-back'});
      emit({type: 'decision-asked', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', prompt: 'Redeploy api at v3?'});
      const answer = await Promise.race([
        operator.confirm({node: execOf(runbook, 'redeploy'), step: stepOf(runbook, 'roll-back'), prompt: 'Redeploy api at v3?', command: 'railway redeploy --service api', mutates: true, explicit: true}),
        quit.then(() => ({decision: 'quit'}) as const),
      ]);
      emit({type: 'decision-taken', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', decision: answer.decision, by: 'operator'});
      emit({type: 'run-end', outcome: 'interrupted', durationMs: 1200, reason: 'stopped by the operator', counts: zeroCounts});
      return {outcome: 'interrupted', runId: 'run-1', transcriptPath: base.transcriptPath, exitCode: 130};
    });
    const played = playInTerminal({...base, start: engine.start}, term.io);
    await term.waitFor('◆ Redeploy api at v3?');
    expect(writtenAtStart).toContain('Deploy check');
    expect(writtenAtStart).toContain('starting');
    expect(term.screen()).toContain('◆ Redeploy api at v3?');
    await term.press('q');
    await term.press('y');
    await expect(played).resolves.toBe(130);
    await term.settle();
    expect(engine.calls).toEqual({started: 1, quits: 1, interrupts: 0});
    expect(term.screen().split('\n').slice(-6).join('\n')).toBe([
      '────────────────────────────────────────────────────────────────────────────────',
      'Run interrupted in 1.2s',
      'stopped by the operator',
      'transcript .runbook/runs/run-1/transcript.jsonl',
      'runbook: transcript .runbook/runs/run-1/transcript.jsonl',
      'runbook: to continue this run: runbook play test/ui/fixtures/deploy.md --resume run-1',
    ].join('\n'));
    expect(term.rawModes.at(-1)).toBe(false);
  });

  it('hands the terminal to an interactive node and draws again when it exits', async () => {
    const term = fakeTerminal();
    let rawModeDuringChild: boolean | undefined;
    const engine = fakeEngine(async (operator, sink) => {
      const emit = (event: RunEvent): void => sink.onEvent(event);
      emit(runStart());
      emit({type: 'step-start', stepId: 'verify'});
      emit({type: 'node-start', nodeId: 'smoke', stepId: 'verify', attempt: 1, command: './smoke.sh', mutates: false, interactive: true});
      await operator.suspend?.();
      rawModeDuringChild = term.rawModes.at(-1);
      term.io.stdout.write('child> typed by hand\r\n');
      operator.resume?.();
      emit({type: 'node-end', nodeId: 'smoke', stepId: 'verify', outcome: 'passed', attempt: 1, exitCode: 0, signal: null, durationMs: 3000, captures: {}, outputCaptured: false});
      emit({type: 'step-end', stepId: 'verify', status: 'done'});
      await tick(50);
      emit({type: 'run-end', outcome: 'passed', durationMs: 3100, counts: {...zeroCounts, passed: 1}});
      return {outcome: 'passed', runId: 'run-1', transcriptPath: base.transcriptPath, exitCode: 0};
    });
    await expect(playInTerminal({...base, start: engine.start}, term.io)).resolves.toBe(0);
    await term.settle();
    expect(rawModeDuringChild).toBe(false);
    const screen = term.screen();
    expect(screen).toContain('▶ smoke has the terminal; the player comes back when it exits\nchild> typed by hand\n');
    expect(screen.split('child> typed by hand')[1]).toContain([
      '✓ smoke · sh · interactive                                                passed',
      '  exit 0 · 3.0s',
      '  its output went to the terminal and was not captured',
    ].join('\n'));
    expect(screen).not.toContain('to continue this run');
    expect(screen.split('\n').at(-1)).toBe('runbook: transcript .runbook/runs/run-1/transcript.jsonl');
  });
});
