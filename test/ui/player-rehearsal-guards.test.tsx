import {afterEach, describe, expect, it} from 'vitest';
import type {NodeEndEvent, NodeOutcome, RunEvent} from '../../src/engine/events.js';
import type {FailureAnswer} from '../../src/engine/operator.js';
import type {RunControls} from '../../src/engine/session.js';
import {PlayerApp} from '../../src/ui/components/PlayerApp.js';
import {PlayerStore} from '../../src/ui/player-store.js';
import {keys, loadFixture, renderReady, runStart, stepOf, tick, type Rendered} from './helpers.js';

// What the player shows for a rehearsal, for going live, and for a step
// whose condition could not be evaluated.

const info = {runId: 'run-1', transcriptPath: '.runbook/runs/run-1/transcript.jsonl'};

const mounted: Rendered[] = [];
afterEach(() => {
  for (const rendered of mounted.splice(0)) rendered.instance.unmount();
});

async function setup() {
  const runbook = loadFixture();
  const clock = (): number => 1_000_000;
  const store = new PlayerStore(runbook, {clock, flushMs: 0});
  const quits: number[] = [];
  const controls: RunControls = {note: () => undefined, interruptNode: () => undefined, quit: () => void quits.push(1)};
  const app = await renderReady((onReady) => <PlayerApp store={store} runbook={runbook} info={info} clock={clock} color={false} onReady={onReady} />, {});
  mounted.push(app);
  return {
    runbook, store, app, controls, quits,
    emit: async (...events: RunEvent[]) => {
      for (const event of events) store.onEvent(event);
      await tick(5);
    },
  };
}

function skipped(nodeId: string, stepId: string, extra: Partial<NodeEndEvent> = {}): NodeEndEvent {
  return {type: 'node-end', nodeId, stepId, outcome: 'skipped' satisfies NodeOutcome, attempt: 1, exitCode: null, signal: null, durationMs: 0, captures: {}, outputCaptured: false, ...extra};
}

const row = (frame: string, title: string): string => frame.split('\n').find((line) => line.includes(title)) ?? '';

describe('the player', () => {
  it('shows a step whose node was skipped because it mutates as rehearsed, not done, with the badge on', async () => {
    const test = await setup();
    await test.emit(
      runStart({readOnly: true}),
      {type: 'step-start', stepId: 'roll-back'},
      skipped('redeploy', 'roll-back', {reason: 'read-only rehearsal: the node mutates', rehearsed: true}),
      {type: 'decision-asked', kind: 'checklist', nodeId: 'roll-back-2', stepId: 'roll-back', prompt: 'Dashboards checked\nIncident channel told'},
      {type: 'decision-taken', kind: 'checklist', nodeId: 'roll-back-2', stepId: 'roll-back', decision: 'done', by: 'operator'},
      {...skipped('roll-back-2', 'roll-back'), outcome: 'passed'},
      {type: 'step-end', stepId: 'roll-back', status: 'done'},
    );
    const frame = test.app.frame();
    expect(frame.split('\n')[1]).toBe('run run-1 · read-only rehearsal · transcript');
    expect(row(frame, '2) Roll back ')).toBe('↷ 2) Roll back                                               rehearsed, not done');
  });

  it('asks before going live: y goes live, n, esc or Ctrl-C keep rehearsing, and a quit keeps rehearsing too', async () => {
    for (const [key, live] of [['y', true], ['n', false], [keys.escape, false], ['\u0003', false]] as const) {
      const test = await setup();
      const answer = test.store.askGoLive('Attempt 1 was a read-only rehearsal. 3 nodes run again: redeploy, the first node skipped because it mutates, and the 2 played after it.');
      await tick(5);
      expect(test.app.frame().split('\n').slice(-3).join('\n')).toBe([
        'Go live? Attempt 1 was a read-only rehearsal. 3 nodes run again: redeploy, the',
        'first node skipped because it mutates, and the 2 played after it.',
        'y go live  n keep rehearsing',
      ].join('\n'));
      await test.app.press(key);
      await expect(answer).resolves.toBe(live);
    }
    const test = await setup();
    const answer = test.store.askGoLive('Attempt 1 was a read-only rehearsal.');
    test.store.quit();
    await expect(answer).resolves.toBe(false);
    test.store.attach(test.controls);
    expect(test.quits).toEqual([1]);
  });

  it('shows the rehearsal badge while it asks whether to go live, until the answer', async () => {
    for (const [key, live] of [['y', true], ['n', false]] as const) {
      const test = await setup();
      const answer = test.store.askGoLive('Attempt 1 was a read-only rehearsal. 1 node runs again: redeploy, the first node skipped because it mutates.');
      await tick(5);
      expect(test.app.frame().split('\n')[1]).toBe('run run-1 · read-only rehearsal — go live? · transcript');
      await test.app.press(key);
      await expect(answer).resolves.toBe(live);
      await test.emit(runStart({attempt: 2, resumed: true, readOnly: !live}));
      expect(test.app.frame().split('\n')[1]).toBe(live ? 'run run-1 · attempt 2 (resumed) · transcript' : 'run run-1 · attempt 2 (resumed) · read-only rehearsal · transcript');
    }
  });

  it('asks the failure decision for a step whose condition could not be evaluated', async () => {
    const test = await setup();
    const prompt = 'step `verify`: if="int(\'x\') > 1" could not be evaluated: int() type error: cannot convert to int';
    await test.emit(runStart(), {type: 'step-start', stepId: 'verify'}, {type: 'decision-asked', kind: 'failure', stepId: 'verify', prompt});
    const step = stepOf(test.runbook, 'verify');
    const answer = test.store.failure({step, attempt: 1, result: {status: 'failed', exitCode: null, signal: null, durationMs: 0, stdout: '', stdoutTruncated: false, reason: prompt}});
    await tick(5);
    const frame = test.app.frame();
    expect(row(frame, '3) Verify ')).toBe('◆ 3) Verify                                                      waiting for you');
    expect(frame.split('\n').slice(-3).join('\n')).toBe([
      '✗ step `verify`: if="int(\'x\') > 1" could not be evaluated: int() type error:',
      '  cannot convert to int (attempt 1)',
      'r retry  s skip  m mark done  a abort  n note  q quit  ? help  Ctrl-C quit',
    ].join('\n'));
    await test.app.press('s', 'checked by hand', keys.enter);
    await expect(answer).resolves.toEqual({decision: 'skip', reason: 'checked by hand'} satisfies FailureAnswer);
  });
});
