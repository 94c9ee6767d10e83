import {describe, expect, it} from 'vitest';
import {autoOperator} from '../../src/engine/auto-operator.js';
import type {RunEndEvent} from '../../src/engine/events.js';
import type {Operator} from '../../src/engine/operator.js';
import {outline, play} from './helpers.js';

// Abort ends a run for good wherever the operator chooses it: the run is
// recorded `aborted` (finished, not resumable), never `failed`.

const aborting: Operator = {
  ...autoOperator,
  kind: 'operator',
  confirm: async () => ({decision: 'abort'}),
  failure: async () => ({decision: 'abort'}),
  unknown: async () => ({decision: 'abort'}),
};

const runEnd = (events: readonly {type: string}[]): RunEndEvent => events.at(-1) as RunEndEvent;

describe('abort', () => {
  it('at a confirm gate ends the run aborted', async () => {
    const {events, result} = await play(['## S', '```sh {#gated confirm="Go?"}', 'echo never', '```'].join('\n'), {operator: aborting});
    expect(outline(events)).toEqual([
      'run-start',
      'step-start s',
      'decision-asked confirm gated',
      'decision-taken confirm gated abort by operator',
      'run-end aborted',
    ]);
    expect(runEnd(events).reason).toBe('the operator stopped at `gated`');
    expect(result).toMatchObject({outcome: 'aborted', exitCode: 1});
  });

  it('at a failure ends the run aborted, not failed', async () => {
    const {events, result} = await play(['## S', '```sh {#broken}', 'exit 7', '```', '```sh {#after}', 'echo after', '```'].join('\n'), {operator: aborting});
    expect(outline(events)).toEqual([
      'run-start',
      'step-start s',
      'node-start broken#1',
      'node-end broken#1 failed',
      'decision-asked failure broken',
      'decision-taken failure broken abort by operator',
      'step-end s failed',
      'run-end aborted',
    ]);
    expect(runEnd(events).reason).toBe('aborted by the operator at `broken`');
    expect(result).toMatchObject({outcome: 'aborted', exitCode: 1});
  });

  it('at an unknown node on resume ends the run aborted', async () => {
    const {events, result} = await play(['## S', '```sh {#slow}', 'echo again', '```'].join('\n'), {
      operator: aborting,
      resume: {attempt: 2, completed: new Map(), unknown: new Set(['slow']), captures: {}, history: []},
    });
    expect(outline(events)).toEqual([
      'run-start',
      'step-start s',
      'decision-asked unknown slow',
      'decision-taken unknown slow abort by operator',
      'run-end aborted',
    ]);
    expect(runEnd(events).reason).toBe('aborted by the operator at `slow`, which started in an earlier attempt and never finished');
    expect(result).toMatchObject({outcome: 'aborted', exitCode: 1});
  });

  it('after an interruption ends the run aborted', async () => {
    const {events, result} = await play(['## S', '```sh {#sleepy}', 'echo started; sleep 30', '```'].join('\n'), {
      operator: aborting,
      onEvent: (event, controls) => {
        if (event.type === 'output' && event.nodeId === 'sleepy') controls.interruptNode();
      },
    });
    expect(outline(events)).toEqual([
      'run-start',
      'step-start s',
      'node-start sleepy#1',
      'output sleepy stdout "started\\n"',
      'interrupt',
      'node-end sleepy#1 interrupted',
      'decision-asked failure sleepy',
      'decision-taken failure sleepy abort by operator',
      'step-end s failed',
      'run-end aborted',
    ]);
    expect(result).toMatchObject({outcome: 'aborted', exitCode: 1});
  });

  it('headless, --yes never aborts: a failure or an unknown node that is not idempotent stops the run failed, resumable', async () => {
    const failed = await play(['## S', '```sh {#broken}', 'exit 7', '```'].join('\n'));
    expect(outline(failed.events).slice(-4)).toEqual(['decision-asked failure broken', 'decision-taken failure broken stop by auto', 'step-end s failed', 'run-end failed']);
    const unknown = await play(['## S', '```sh {#slow}', 'echo again', '```'].join('\n'), {
      resume: {attempt: 2, completed: new Map(), unknown: new Set(['slow']), captures: {}, history: []},
    });
    expect(outline(unknown.events).slice(-3)).toEqual(['decision-asked unknown slow', 'decision-taken unknown slow stop by auto', 'run-end failed']);
    expect(unknown.result).toMatchObject({outcome: 'failed', exitCode: 1});
  });
});

describe('interrupting a node', () => {
  it('that may fail asks the failure decision instead of counting an allowed failure, and keeps its retries for the operator', async () => {
    let asked = 0;
    const operator: Operator = {
      ...autoOperator,
      kind: 'operator',
      failure: async ({attempt}) => {
        asked += 1;
        return attempt === 1 ? {decision: 'retry'} : {decision: 'skip', reason: 'enough'};
      },
    };
    const {events, result} = await play([
      '## S',
      '```sh {#probe allow-failure retries=3 interval=10ms}',
      'echo started; sleep 30',
      '```',
      '```sh {#after if="probe.failed"}',
      'echo after',
      '```',
    ].join('\n'), {
      operator,
      onEvent: (event, controls) => {
        if (event.type === 'output' && event.nodeId === 'probe') controls.interruptNode();
      },
    });
    expect(asked).toBe(2);
    expect(outline(events).filter((line) => /probe|after|run-end|interrupt/.test(line) && !line.startsWith('output'))).toEqual([
      'node-start probe#1',
      'interrupt',
      'node-end probe#1 interrupted',
      'decision-asked failure probe',
      'decision-taken failure probe retry by operator',
      'node-start probe#2',
      'interrupt',
      'node-end probe#2 interrupted',
      'decision-asked failure probe',
      'decision-taken failure probe skip by operator',
      'node-end probe#1 skipped',
      'node-end after#1 skipped',
      'run-end passed',
    ]);
    expect(result.outcome).toBe('passed');
  });
});
