import {describe, expect, it} from 'vitest';
import {defaultTranscriptDir, newRunId, runIdPattern, transcriptPathOf} from '../../src/transcript/paths.js';

describe('newRunId', () => {
  it('is the UTC start second and six random hex digits', () => {
    const id = newRunId(new Date('2026-11-28T23:15:02.789Z'));
    expect(id).toMatch(/^20261128T231502Z-[0-9a-f]{6}$/);
    expect(id).toMatch(runIdPattern);
  });

  it('sorts by start time and differs within the same second', () => {
    const times = ['2026-01-02T03:04:05Z', '2026-11-28T23:15:02Z', '2027-01-01T00:00:00Z'].map((time) => new Date(time));
    const ids = times.map((time) => newRunId(time));
    expect([...ids].reverse().sort()).toEqual(ids);
    const second = new Date('2026-11-28T23:15:02Z');
    const sameSecond = new Set(Array.from({length: 10}, () => newRunId(second)));
    expect(sameSecond.size).toBe(10);
  });
});

describe('paths', () => {
  it('puts transcripts under .runbook/runs/<run-id>/transcript.jsonl', () => {
    expect(transcriptPathOf(defaultTranscriptDir, '20261128T231502Z-3f9a1c')).toBe('.runbook/runs/20261128T231502Z-3f9a1c/transcript.jsonl');
  });
});
