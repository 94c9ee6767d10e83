import {describe, expect, it} from 'vitest';
import {autoOperator} from '../../src/engine/auto-operator.js';
import type {DecisionAskedEvent, RunEndEvent} from '../../src/engine/events.js';
import type {FailureAnswer, FailureRequest, Operator} from '../../src/engine/operator.js';
import {outline, play} from './helpers.js';

// A condition that cannot be evaluated is a failure of what it guards — a
// node, a checklist or a step — and asks the same failure decision; it never
// skips silently.

const guardedStep = [
  '## 1) Guarded',
  '<!-- runbook: if="int(\'x\') > 1" -->',
  '```sh {#inner}',
  'echo inner',
  '```',
  '### 1.1 Sub-step',
  '```sh {#child}',
  'echo child',
  '```',
  '## 2) Later',
  '```sh {#after}',
  'echo after',
  '```',
].join('\n');

const guardedChecklist = [
  '## 1) Check',
  'Before going on:',
  '',
  '<!-- runbook: #manual if="int(\'y\') > 1" -->',
  '- [ ] Look at the dashboard',
  '',
  '## 2) Later',
  '```sh {#after}',
  'echo after',
  '```',
].join('\n');

const scripted = (...answers: FailureAnswer[]): {operator: Operator; requests: FailureRequest[]} => {
  const requests: FailureRequest[] = [];
  return {
    requests,
    operator: {...autoOperator, kind: 'operator', failure: async (request) => {
      requests.push(request);
      return answers.shift() ?? {decision: 'abort'};
    }},
  };
};

const asked = (events: readonly {type: string}[]): DecisionAskedEvent[] => events.filter((event): event is DecisionAskedEvent => event.type === 'decision-asked');

describe('a condition that cannot be evaluated', () => {
  it('on a step asks the failure decision; retry evaluates it again, skip skips the step and its sub-steps', async () => {
    const {operator, requests} = scripted({decision: 'retry'}, {decision: 'skip', reason: 'checked by hand'});
    const {events, result} = await play(guardedStep, {operator});
    expect(outline(events)).toEqual([
      'run-start',
      'step-start guarded',
      'note',
      'decision-asked failure',
      'decision-taken failure retry by operator',
      'note',
      'decision-asked failure',
      'decision-taken failure skip by operator',
      'node-end inner#1 skipped',
      'step-start sub-step',
      'node-end child#1 skipped',
      'step-end sub-step skipped',
      'step-end guarded skipped',
      'step-start later',
      'node-start after#1',
      'output after stdout "after\\n"',
      'node-end after#1 passed',
      'step-end later done',
      'run-end passed',
    ]);
    expect(asked(events)[0]).toEqual({type: 'decision-asked', kind: 'failure', stepId: 'guarded', prompt: 'step `guarded`: if="int(\'x\') > 1" could not be evaluated: int() type error: cannot convert to int'});
    expect(requests.map((request) => ({node: request.node?.id, step: request.step.id, attempt: request.attempt, reason: request.result.reason}))).toEqual([
      {node: undefined, step: 'guarded', attempt: 1, reason: 'if="int(\'x\') > 1" could not be evaluated: int() type error: cannot convert to int'},
      {node: undefined, step: 'guarded', attempt: 2, reason: 'if="int(\'x\') > 1" could not be evaluated: int() type error: cannot convert to int'},
    ]);
    expect(result.outcome).toBe('passed');
  });

  it('on a step, marked done, marks every node of the step and its sub-steps done without running any', async () => {
    const {operator} = scripted({decision: 'mark-done', note: 'rolled back by hand'});
    const {events} = await play(guardedStep, {operator});
    expect(outline(events).filter((line) => /^(node|step)-/.test(line))).toEqual([
      'step-start guarded',
      'node-end inner#1 marked-done',
      'step-start sub-step',
      'node-end child#1 marked-done',
      'step-end sub-step done',
      'step-end guarded done',
      'step-start later',
      'node-start after#1',
      'node-end after#1 passed',
      'step-end later done',
    ]);
  });

  it('on a step fails a headless run there, resumable', async () => {
    const {events, result} = await play(guardedStep);
    expect(outline(events)).toEqual([
      'run-start',
      'step-start guarded',
      'note',
      'decision-asked failure',
      'decision-taken failure stop by auto',
      'step-end guarded failed',
      'run-end failed',
    ]);
    expect((events.at(-1) as RunEndEvent).reason).toBe('step `guarded`: if="int(\'x\') > 1" could not be evaluated: int() type error: cannot convert to int');
    expect(result).toMatchObject({outcome: 'failed', exitCode: 1});
  });

  it('on a checklist asks the failure decision instead of showing the checklist; abort ends the run aborted', async () => {
    const {operator, requests} = scripted({decision: 'abort'});
    const {events, result} = await play(guardedChecklist, {operator});
    expect(outline(events)).toEqual([
      'run-start',
      'step-start check',
      'note',
      'decision-asked failure manual',
      'decision-taken failure manual abort by operator',
      'step-end check failed',
      'run-end aborted',
    ]);
    expect(requests.map((request) => request.node?.id)).toEqual(['manual']);
    expect(result).toMatchObject({outcome: 'aborted', exitCode: 1});
  });

  it('on a checklist fails a headless run there', async () => {
    const {events, result} = await play(guardedChecklist);
    expect(outline(events).slice(-4)).toEqual(['decision-asked failure manual', 'decision-taken failure manual stop by auto', 'step-end check failed', 'run-end failed']);
    expect(result).toMatchObject({outcome: 'failed', exitCode: 1});
  });

  it('on a node asks the failure decision even with allow-failure; retry evaluates it again rather than running the node', async () => {
    const {operator} = scripted({decision: 'retry'}, {decision: 'skip'});
    const {events, result} = await play(['## S', '```sh {#risky allow-failure if="int(\'z\') > 1"}', 'echo ran', '```'].join('\n'), {operator});
    expect(outline(events)).toEqual([
      'run-start',
      'step-start s',
      'note',
      'decision-asked failure risky',
      'decision-taken failure risky retry by operator',
      'note',
      'decision-asked failure risky',
      'decision-taken failure risky skip by operator',
      'node-end risky#1 skipped',
      'step-end s done',
      'run-end passed',
    ]);
    expect(result.outcome).toBe('passed');
  });
});
