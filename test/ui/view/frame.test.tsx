import fc from 'fast-check';
import {afterEach, describe, expect, it} from 'vitest';
import type {RunEvent} from '../../../src/engine/events.js';
import {PlayerApp} from '../../../src/ui/components/PlayerApp.js';
import {PlayerStore} from '../../../src/ui/player-store.js';
import {playerFrame, viewport} from '../../../src/ui/view/frame.js';
import {lineText, lineWidth, plain} from '../../../src/ui/view/lines.js';
import {execOf, loadFixture, renderApp, runStart, stepOf, tick, type Rendered} from '../helpers.js';

const runbook = loadFixture();
const info = {runId: 'run-1', transcriptPath: '.runbook/runs/run-1/transcript.jsonl', incident: 'INC-7'};
const rows = (count: number) => Array.from({length: count}, (_, index) => plain(`row ${index}`));

describe('viewport', () => {
  it('shows everything that fits', () => {
    expect(viewport(rows(3), 5, null).map(lineText)).toEqual(['row 0', 'row 1', 'row 2']);
  });

  it('keeps the anchor in view and says what is cut above and below', () => {
    expect(viewport(rows(20), 6, {start: 10, end: 12, prefer: 'start'}).map(lineText)).toEqual([
      '↑ 8 more lines', 'row 8', 'row 9', 'row 10', 'row 11', '↓ 8 more lines',
    ]);
  });

  it('shows the start or the end of an anchor taller than the view, as asked', () => {
    expect(viewport(rows(20), 5, {start: 2, end: 18, prefer: 'start'}).map(lineText)).toEqual(['↑ 2 more lines', 'row 2', 'row 3', 'row 4', '↓ 15 more lines']);
    expect(viewport(rows(20), 5, {start: 2, end: 20, prefer: 'end'}).map(lineText)).toEqual(['↑ 16 more lines', 'row 16', 'row 17', 'row 18', 'row 19']);
  });
});

// A store in some state of a run: a running node with output, a pending
// confirm gate, a failure, a checklist or an input.
function storeIn(situation: number, outputLines: number): PlayerStore {
  const store = new PlayerStore(runbook, {clock: () => 0, flushMs: 0});
  const events: RunEvent[] = [runStart(), {type: 'step-start', stepId: 'roll-back'}];
  for (const event of events) store.onEvent(event);
  const output = Array.from({length: outputLines}, (_, index) => `output line ${index} ${'x'.repeat(index % 120)}\n`).join('');
  switch (situation % 4) {
    case 0:
      store.onEvent({type: 'node-start', nodeId: 'redeploy', stepId: 'roll-back', attempt: 1, command: 'railway redeploy --service api', mutates: true, interactive: false});
      store.onEvent({type: 'output', nodeId: 'redeploy', stream: 'stdout', text: output});
      break;
    case 1:
      store.onEvent({type: 'decision-asked', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', prompt: 'Redeploy api at v3? '.repeat(situation)});
      void store.confirm({node: execOf(runbook, 'redeploy'), step: stepOf(runbook, 'roll-back'), prompt: 'Redeploy?', command: 'x', mutates: true, explicit: true});
      break;
    case 2:
      store.onEvent({type: 'node-start', nodeId: 'redeploy', stepId: 'roll-back', attempt: 1, command: 'railway redeploy --service api', mutates: true, interactive: false});
      store.onEvent({type: 'output', nodeId: 'redeploy', stream: 'stderr', text: output});
      store.onEvent({type: 'node-end', nodeId: 'redeploy', stepId: 'roll-back', outcome: 'failed', attempt: 1, exitCode: 1, signal: null, durationMs: 5, reason: 'exit code 1', captures: {}, outputCaptured: true});
      store.onEvent({type: 'decision-asked', kind: 'failure', nodeId: 'redeploy', stepId: 'roll-back', prompt: '`redeploy` exit code 1'});
      void store.failure({node: execOf(runbook, 'redeploy'), step: stepOf(runbook, 'roll-back'), attempt: 1, result: {status: 'failed', exitCode: 1, signal: null, durationMs: 5, stdout: '', stdoutTruncated: false}});
      break;
    default:
      store.onEvent({type: 'decision-asked', kind: 'input', prompt: 'Token'});
      void store.input({input: runbook.frontmatter.inputs['RELEASE']!, problem: 'RELEASE must match ^v[0-9]+$ '.repeat(situation)});
  }
  store.flush();
  return store;
}

describe('playerFrame', () => {
  it('never draws more rows than the terminal has, nor wider rows', () => {
    fc.assert(fc.property(fc.integer({min: 1, max: 200}), fc.integer({min: 2, max: 60}), fc.integer({min: 0, max: 11}), fc.integer({min: 0, max: 300}), (width, height, situation, outputLines) => {
      const store = storeIn(situation, outputLines);
      const snapshot = store.getSnapshot();
      for (const overlay of [snapshot.overlay, {kind: 'help'} as const, {kind: 'output', nodeId: 'redeploy', top: null} as const]) {
        const frame = playerFrame({snapshot: {...snapshot, overlay}, runbook, info, hints: [{key: 'enter', action: 'run'}, {key: '?', action: 'help'}], width, height, now: 0});
        expect(frame.length).toBeLessThanOrEqual(height - 1);
        for (const line of frame) expect(lineWidth(line)).toBeLessThanOrEqual(width);
      }
      const frame = playerFrame({snapshot, runbook, info, hints: [], width, height, now: 0});
      expect(frame.length).toBeLessThanOrEqual(height - 1);
      for (const line of frame) expect(lineWidth(line)).toBeLessThanOrEqual(width);
    }), {numRuns: 200});
  });
});

describe('resizing', () => {
  const mounted: Rendered[] = [];
  afterEach(() => {
    for (const rendered of mounted.splice(0)) rendered.instance.unmount();
  });

  it('lays the screen out again for the new size', async () => {
    const store = storeIn(0, 40);
    const app = renderApp(<PlayerApp store={store} runbook={runbook} info={info} clock={() => 0} color={false} />, {columns: 80, rows: 24});
    mounted.push(app);
    await tick(5);
    expect(app.frame().split('\n')).toHaveLength(23);
    await app.resize(50, 12);
    expect(app.frame()).toBe([
      'Deploy check                         elapsed 00:00',
      'run run-1 · incident INC-7 · transcript in .runbo…',
      '── Steps 2–2 of 4 ────────────────────────────────',
      '▶ 2) Roll back                         running 0ms',
      '──────────────────────────────────────────────────',
      '↑ 5 more lines · PgUp',
      '▶ redeploy · sh · MUTATES              running 0ms',
      '  │ railway redeploy --service api',
      '    output line 39 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…',
      '↓ 4 more lines · PgDn',
      'n note  o output  q quit  ? help  Ctrl-C interrupt',
    ].join('\n'));
  });
});
