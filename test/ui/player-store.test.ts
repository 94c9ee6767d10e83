import {describe, expect, it} from 'vitest';
import {lastLines} from '../../src/engine/run-state.js';
import {PlayerStore} from '../../src/ui/player-store.js';
import {execOf, loadFixture, runStart, stepOf, tick} from './helpers.js';

const runbook = loadFixture();

describe('PlayerStore', () => {
  it('folds a flood of output in batches: one update per flush, memory bounded', async () => {
    const store = new PlayerStore(runbook, {flushMs: 50});
    let updates = 0;
    store.subscribe(() => void (updates += 1));
    store.onEvent(runStart());
    store.onEvent({type: 'node-start', nodeId: 'smoke', stepId: 'verify', attempt: 1, command: './smoke.sh', mutates: false, interactive: false});
    const before = updates;
    let line = 0;
    for (let chunk = 0; chunk < 2000; chunk += 1) {
      let text = '';
      for (let index = 0; index < 100; index += 1) text += `line ${(line += 1)}\n`;
      store.onEvent({type: 'output', nodeId: 'smoke', stream: 'stdout', text});
    }
    expect(updates).toBe(before);
    await tick(80);
    expect(updates).toBe(before + 1);
    const output = store.getSnapshot().run.nodes.get('smoke')!.output;
    expect(output.total).toBe(200_000);
    expect(output.buffer.length).toBeLessThanOrEqual(20_000);
    expect(lastLines(output, 1)[0]?.text).toBe('line 200000');
    expect(store.runningNodeId).toBe('smoke');
  });

  it('shows a decision at once, with everything that came before it', () => {
    const store = new PlayerStore(runbook, {flushMs: 10_000});
    store.onEvent(runStart());
    store.onEvent({type: 'step-start', stepId: 'roll-back'});
    store.onEvent({type: 'decision-asked', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', prompt: 'Redeploy?'});
    void store.confirm({node: execOf(runbook, 'redeploy'), step: stepOf(runbook, 'roll-back'), prompt: 'Redeploy?', command: 'x', mutates: true, explicit: true});
    const snapshot = store.getSnapshot();
    expect(snapshot.run.currentStepId).toBe('roll-back');
    expect(snapshot.run.pending?.prompt).toBe('Redeploy?');
    expect(snapshot.ask?.kind).toBe('confirm');
  });

  it('takes the first answer to a question and ignores any later one', async () => {
    const store = new PlayerStore(runbook, {flushMs: 0});
    const answer = store.confirm({node: execOf(runbook, 'redeploy'), step: stepOf(runbook, 'roll-back'), prompt: 'Redeploy?', command: 'x', mutates: true, explicit: true});
    const ask = store.getSnapshot().ask;
    if (ask?.kind !== 'confirm') throw new Error('no confirm asked');
    ask.answer({decision: 'skip'});
    ask.answer({decision: 'run'});
    await expect(answer).resolves.toEqual({decision: 'skip'});
    expect(store.getSnapshot().ask).toBeNull();
  });

  it('hands the terminal over through its host and takes it back', async () => {
    const store = new PlayerStore(runbook, {flushMs: 0});
    const calls: string[] = [];
    store.setHost({
      suspend: async () => void calls.push(`suspend while ${store.getSnapshot().suspendedNodeId ?? 'nothing'} runs`),
      resume: () => void calls.push(`resume, suspended: ${store.getSnapshot().suspendedNodeId ?? 'none'}`),
    });
    store.onEvent(runStart());
    store.onEvent({type: 'node-start', nodeId: 'watch', stepId: 'watch-1', attempt: 1, command: 'tail', mutates: false, interactive: true});
    await store.suspend();
    store.resume();
    expect(calls).toEqual(['suspend while watch runs', 'resume, suspended: none']);
  });

  it('drops the question when the run ends without an answer', () => {
    const store = new PlayerStore(runbook, {flushMs: 0});
    store.onEvent(runStart());
    void store.failure({node: execOf(runbook, 'smoke'), step: stepOf(runbook, 'verify'), attempt: 1, result: {status: 'failed', exitCode: 1, signal: null, durationMs: 1, stdout: '', stdoutTruncated: false}});
    store.onEvent({type: 'run-end', outcome: 'interrupted', durationMs: 5, counts: {passed: 0, 'allowed-failure': 0, failed: 1, 'timed-out': 0, interrupted: 0, skipped: 0, 'marked-done': 0}});
    expect(store.getSnapshot().ask).toBeNull();
  });
});
