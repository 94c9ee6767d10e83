import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import {planResume} from '../../src/engine/resume-plan.js';
import {initialRunState, reduceRunEvents, type RunState} from '../../src/engine/run-state.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {outline, play} from './helpers.js';

// A read-only rehearsal is part of the run: a step whose nodes were skipped
// because they mutate is not done, and an attempt that goes live runs them.

const markdown = [
  '# Rollback',
  '## 1) Check',
  '```sh {#health}',
  'echo checking',
  '```',
  '## 2) Roll back code',
  '```sh {#redeploy_web mutates}',
  'echo web',
  '```',
  '```sh {#redeploy_api mutates}',
  'echo api',
  '```',
  '## 3) Verify',
  '```sh {#smoke}',
  'echo verified',
  '```',
].join('\n');

const {runbook} = parseRunbook(markdown, 'test.md');

function statuses(state: RunState): Record<string, string> {
  return Object.fromEntries([...state.steps.values()].map((step) => [step.id, step.status]).concat([...state.nodes.values()].map((node) => [node.id, node.status])));
}

const fold = (events: readonly RunEvent[], state: RunState = initialRunState(runbook)): RunState => reduceRunEvents(state, events);

describe('a read-only rehearsal', () => {
  it('marks the nodes it skipped because they mutate, and their step is rehearsed, not done', async () => {
    const {events} = await play(markdown, {readOnly: true});
    expect(events.filter((event) => event.type === 'node-end').map((event) => [event.nodeId, event.outcome, event.rehearsed])).toEqual([
      ['health', 'passed', undefined],
      ['redeploy_web', 'skipped', true],
      ['redeploy_api', 'skipped', true],
      ['smoke', 'passed', undefined],
    ]);
    const state = fold(events);
    expect(statuses(state)).toEqual({
      check: 'done', 'roll-back-code': 'rehearsed', verify: 'done',
      health: 'passed', redeploy_web: 'skipped', redeploy_api: 'skipped', smoke: 'passed',
    });
    expect(state.readOnly).toBe(true);
  });

  it('resumed as a rehearsal keeps its skips; resumed live, the skipped nodes are pending again and run', async () => {
    const rehearsal = await play(markdown, {readOnly: true});
    const resumed = planResume(rehearsal.events, 1);
    expect(resumed.rehearsal).toBe(true);
    expect(resumed.rehearsedNodes).toEqual(['redeploy_web', 'redeploy_api']);
    expect([...resumed.plan.completed.keys()]).toEqual(['health', 'redeploy_web', 'redeploy_api', 'smoke']);
    expect([...resumed.livePlan.completed.keys()]).toEqual(['health', 'smoke']);

    const live = await play(markdown, {resume: resumed.livePlan});
    expect(outline(live.events).filter((line) => /^(run|node)-/.test(line))).toEqual([
      'run-start',
      'node-start redeploy_web#1',
      'node-end redeploy_web#1 passed',
      'node-start redeploy_api#1',
      'node-end redeploy_api#1 passed',
      'run-end passed',
    ]);

    const replayed = fold(rehearsal.events);
    const liveStart = live.events[0] as RunEvent;
    expect(statuses(fold([liveStart], replayed))).toMatchObject({'roll-back-code': 'pending', redeploy_web: 'pending', redeploy_api: 'pending', verify: 'done'});
    expect(statuses(fold(live.events, replayed))).toMatchObject({'roll-back-code': 'done', redeploy_web: 'passed', redeploy_api: 'passed'});
  });

  it('a later live attempt is not a rehearsal: its plan takes everything done as done', async () => {
    const {events} = await play(markdown);
    const resumed = planResume(events, 1);
    expect(resumed.rehearsal).toBe(false);
    expect(resumed.rehearsedNodes).toEqual([]);
  });
});
