import {describe, expect, it} from 'vitest';
import {isOutcome, nodeOutcomes, outcomeTraits} from '../../src/engine/outcomes.js';
import {resultView} from '../../src/engine/results.js';
import {countOutcomes} from '../../src/engine/run-total.js';

describe('outcome traits', () => {
  it('says which outcomes are ok, failed, failing the run and ran', () => {
    const pick = (trait: keyof (typeof outcomeTraits)['passed']): string[] => nodeOutcomes.filter((outcome) => outcomeTraits[outcome][trait]);
    expect(pick('ok')).toEqual(['passed', 'marked-done']);
    expect(pick('failed')).toEqual(['allowed-failure', 'failed', 'timed-out', 'interrupted']);
    expect(pick('fails')).toEqual(['failed', 'timed-out']);
    expect(pick('ran')).toEqual(['passed', 'allowed-failure', 'failed', 'timed-out', 'interrupted']);
    expect(pick('skipped')).toEqual(['skipped']);
  });

  it('is what conditions see of a result and what the counts count', () => {
    expect(resultView('marked-done', {exitCode: null, durationMs: 0, stdout: ''})).toMatchObject({ok: true, failed: false, skipped: false});
    expect(resultView('allowed-failure', {exitCode: 1, durationMs: 0, stdout: ''})).toMatchObject({ok: false, failed: true, skipped: false});
    expect(countOutcomes(['passed', 'passed', 'skipped'])).toEqual({passed: 2, 'allowed-failure': 0, failed: 0, 'timed-out': 0, interrupted: 0, skipped: 1, 'marked-done': 0});
    expect([isOutcome('running'), isOutcome('timed-out')]).toEqual([false, true]);
  });
});
