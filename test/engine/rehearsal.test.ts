import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Operator} from '../../src/engine/operator.js';
import {autoOperator} from '../../src/engine/auto-operator.js';
import type {RunEvent} from '../../src/engine/events.js';
import {planResume} from '../../src/engine/resume-plan.js';
import {initialRunState, reduceRunEvents, type RunState} from '../../src/engine/run-state.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {allNodes} from '../../src/runbook/walk.js';
import {outline, play} from './helpers.js';

// A read-only rehearsal is part of the run: a step whose nodes were skipped
// because they mutate is not done, and an attempt that goes live plays again
// everything from the first of them on, checks included.

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
const order = allNodes(runbook).map((node) => node.id);

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

  it('resumed as a rehearsal keeps its skips; resumed live, everything from the first skipped node on is pending again and runs', async () => {
    const rehearsal = await play(markdown, {readOnly: true});
    const resumed = planResume(rehearsal.events, 1, order);
    expect(resumed.rehearsal).toBe(true);
    expect(resumed.rehearsedNodes).toEqual(['redeploy_web', 'redeploy_api']);
    expect(resumed.rerunNodes).toEqual(['redeploy_web', 'redeploy_api', 'smoke']);
    expect([...resumed.plan.completed.keys()]).toEqual(['health', 'redeploy_web', 'redeploy_api', 'smoke']);
    expect([...resumed.livePlan.completed.keys()]).toEqual(['health']);

    const live = await play(markdown, {resume: resumed.livePlan});
    expect(outline(live.events).filter((line) => /^(run|node)-/.test(line))).toEqual([
      'run-start',
      'node-start redeploy_web#1',
      'node-end redeploy_web#1 passed',
      'node-start redeploy_api#1',
      'node-end redeploy_api#1 passed',
      'node-start smoke#1',
      'node-end smoke#1 passed',
      'run-end passed',
    ]);

    const replayed = fold(rehearsal.events);
    const liveStart = live.events[0] as RunEvent;
    expect(statuses(fold([liveStart], replayed))).toEqual({
      check: 'done', 'roll-back-code': 'pending', verify: 'pending',
      health: 'passed', redeploy_web: 'pending', redeploy_api: 'pending', smoke: 'pending',
    });
    expect(statuses(fold(live.events, replayed))).toMatchObject({'roll-back-code': 'done', redeploy_web: 'passed', redeploy_api: 'passed', verify: 'done', smoke: 'passed'});
  });

  it('a later live attempt is not a rehearsal: its plan takes everything done as done', async () => {
    const {events} = await play(markdown);
    const resumed = planResume(events, 1);
    expect(resumed.rehearsal).toBe(false);
    expect(resumed.rehearsedNodes).toEqual([]);
  });
});

// A check after a node that mutates looked, in the rehearsal, at a world
// without the change: going live, it runs again after the real change, and
// what it captured then is replaced by what it captures now.
const redeploy = [
  '# Redeploy',
  '## 1) Before',
  '```sh {#baseline capture=STATE}',
  'echo before >> runs.log; echo initial',
  '```',
  '## 2) Redeploy',
  '```sh {#deploy mutates}',
  'echo deploy >> runs.log; touch deployed',
  '```',
  '### 2.1) Verify health after the redeploy',
  '```sh {#health capture=STATE}',
  'if [ -f deployed ]; then echo "health new" >> runs.log; echo new; else echo "health old" >> runs.log; echo old; fi',
  '```',
  '```sh {#smoke if="STATE == \'new\'"}',
  'echo smoke >> runs.log',
  '```',
  '<!-- runbook: #dashboards -->',
  '- [ ] Dashboards are green',
  '',
  '## 3) Report',
  '```sh {#summary}',
  'echo "report $STATE" >> runs.log',
  '```',
].join('\n');

describe('going live after a rehearsal', () => {
  const parsed = parseRunbook(redeploy, 'test.md').runbook;
  const ids = allNodes(parsed).map((node) => node.id);
  const log = (cwd: string): string[] => readFileSync(join(cwd, 'runs.log'), 'utf8').trim().split('\n');

  it('runs again every node from the first one skipped because it mutates: checks, checklists and nodes whose condition was false', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'runbook-rehearsal-'));
    const rehearsal = await play(redeploy, {readOnly: true, cwd});
    expect(rehearsal.result.outcome).toBe('passed');
    expect(log(cwd)).toEqual(['before', 'health old', 'report old']);

    const resumed = planResume(rehearsal.events, 1, ids);
    expect(resumed.rerunNodes).toEqual(['deploy', 'health', 'smoke', 'dashboards', 'summary']);
    expect([...resumed.livePlan.completed.keys()]).toEqual(['baseline']);
    // the check's capture from the rehearsal no longer counts: the earlier node's stands
    expect(resumed.plan.captures).toEqual({STATE: 'old'});
    expect(resumed.livePlan.captures).toEqual({STATE: 'initial'});

    const asked: string[] = [];
    const operator: Operator = {...autoOperator, checklist: async (request) => {
      asked.push(request.node.id);
      return autoOperator.checklist(request);
    }};
    const live = await play(redeploy, {resume: resumed.livePlan, cwd, operator});
    expect(live.result.outcome).toBe('passed');
    expect(log(cwd)).toEqual(['before', 'health old', 'report old', 'deploy', 'health new', 'smoke', 'report new']);
    expect(asked).toEqual(['dashboards']);
    expect(live.events.filter((event) => event.type === 'node-end').map((event) => [event.nodeId, event.outcome, event.captures])).toEqual([
      ['deploy', 'passed', {}],
      ['health', 'passed', {STATE: 'new'}],
      ['smoke', 'passed', {}],
      ['dashboards', 'passed', {}],
      ['summary', 'passed', {}],
    ]);

    const state = fold([...rehearsal.events, live.events[0] as RunEvent], initialRunState(parsed));
    expect(statuses(state)).toEqual({
      before: 'done', redeploy: 'pending', 'verify-health-after-the-redeploy': 'pending', report: 'pending',
      baseline: 'passed', deploy: 'pending', health: 'pending', smoke: 'pending', dashboards: 'pending', summary: 'pending',
    });
  });

  it('stays undone when the live attempt stops before replaying it: the next resume does not take the rehearsal for done', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'runbook-rehearsal-'));
    const rehearsal = await play(redeploy, {readOnly: true, cwd});
    const quitAtGate: Operator = {...autoOperator, confirm: async () => ({decision: 'quit'})};
    const stopped = await play(redeploy, {resume: planResume(rehearsal.events, 1, ids).livePlan, cwd, operator: quitAtGate});
    expect(stopped.result.outcome).toBe('interrupted');

    const next = planResume([...rehearsal.events, ...stopped.events], 2, ids);
    expect(next.rehearsal).toBe(false);
    expect([...next.plan.completed.keys()]).toEqual(['baseline']);
    expect(next.plan.captures).toEqual({STATE: 'initial'});
    const resumed = await play(redeploy, {resume: next.plan, cwd});
    expect(resumed.result.outcome).toBe('passed');
    expect(log(cwd)).toEqual(['before', 'health old', 'report old', 'deploy', 'health new', 'smoke', 'report new']);
  });
});
