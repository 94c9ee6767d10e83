import {describe, expect, it} from 'vitest';
import {initialRunState, reduceRunEvent} from '../../../src/engine/run-state.js';
import {headerLines} from '../../../src/ui/view/header.js';
import {lineText} from '../../../src/ui/view/lines.js';
import {loadFixture, runStart} from '../helpers.js';

const runbook = loadFixture();
const render = (...args: Parameters<typeof headerLines>): string[] => headerLines(...args).map(lineText);

describe('headerLines', () => {
  it('says whether the run is starting or resuming before its first event', () => {
    const state = initialRunState(runbook);
    expect(render(state, {runId: 'r-1', transcriptPath: 't.jsonl'}, 50, 0, 1)).toEqual([
      `${'Deploy check'.padEnd(42)}starting`,
      'run r-1 · transcript t.jsonl',
    ]);
    expect(render(state, {runId: 'r-1', transcriptPath: 't.jsonl', resumed: true}, 50, 0, 1)[0]).toBe(`${'Deploy check'.padEnd(42)}resuming`);
  });

  it('shows the elapsed time, attempt, incident and read-only rehearsals, cut to the rows it has', () => {
    const state = reduceRunEvent(initialRunState(runbook), runStart({attempt: 3, resumed: true, readOnly: true}), 1000);
    expect(render(state, {runId: 'r-1', transcriptPath: '.runbook/runs/r-1/transcript.jsonl', incident: 'INC-7'}, 60, 62_000, 2)).toEqual([
      `${'Deploy check'.padEnd(47)}elapsed 01:01`,
      'run run-1 · attempt 3 (resumed) · incident INC-7 · read-only',
      'rehearsal · transcript .runbook/runs/r-1/transcript.jsonl',
    ]);
    expect(render(state, {runId: 'r-1', transcriptPath: '.runbook/runs/r-1/transcript.jsonl', incident: 'INC-7'}, 60, 62_000, 1)[1]).toBe('run run-1 · attempt 3 (resumed) · incident INC-7 · read-onl…');
  });
});
