import {describe, expect, it} from 'vitest';
import type {NodeOutcome} from '../../src/engine/events.js';
import {runTotal} from '../../src/engine/run-total.js';

const zero: Record<NodeOutcome, number> = {passed: 0, 'allowed-failure': 0, failed: 0, 'timed-out': 0, interrupted: 0, skipped: 0, 'marked-done': 0};

describe('runTotal', () => {
  it('a first attempt is the whole run', () => {
    const outcomes = new Map<string, NodeOutcome>([['a', 'passed'], ['b', 'failed']]);
    expect(runTotal({attempt: 1, durationMs: 357, startedAt: new Date('2026-12-01T10:00:00.000Z'), outcomes}))
      .toEqual({attempts: 1, durationMs: 357, counts: {...zero, passed: 1, failed: 1}});
  });

  it('a resumed attempt counts from the first start, and each node once by its latest outcome', () => {
    const earlier = {firstStartedAt: '2026-12-01T10:00:00.000Z', recordedMs: 60_000, outcomes: new Map<string, NodeOutcome>([['a', 'passed'], ['b', 'failed'], ['c', 'skipped']])};
    const outcomes = new Map<string, NodeOutcome>([['b', 'passed'], ['d', 'marked-done']]);
    expect(runTotal({attempt: 3, durationMs: 2_500, startedAt: new Date('2026-12-01T10:12:00.000Z'), outcomes, earlier}))
      .toEqual({attempts: 3, durationMs: 722_500, counts: {...zero, passed: 2, skipped: 1, 'marked-done': 1}});
  });

  it('without a recorded first start (an older transcript), the attempts\' recorded durations add up', () => {
    const earlier = {recordedMs: 60_000, outcomes: new Map<string, NodeOutcome>()};
    expect(runTotal({attempt: 2, durationMs: 2_500, startedAt: new Date(), outcomes: new Map(), earlier}))
      .toEqual({attempts: 2, durationMs: 62_500, counts: zero});
  });
});
