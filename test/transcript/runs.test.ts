import {appendFileSync, mkdirSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {RunOutcome} from '../../src/engine/events.js';
import {isFinishedOutcome, latestUnfinishedRun, listRuns} from '../../src/transcript/runs.js';
import {openTranscriptForAppend} from '../../src/transcript/write.js';
import {sampleRun, sha256, startTranscript, temporaryDir} from './helpers.js';

function recordRun(dir: string, runId: string, outcome: RunOutcome | 'none', runbookPath = join(dir, 'rollback.md')): string {
  const writer = startTranscript(dir, {runId, header: {runbookPath, runbookSha256: sha256(''), source: '', argv: [], inputs: {}}});
  for (const event of sampleRun(runId, outcome)) writer.onEvent(event);
  writer.close();
  return writer.path;
}

describe('isFinishedOutcome', () => {
  it('counts passed and aborted runs as done, everything else as resumable', () => {
    expect((['passed', 'aborted', 'failed', 'interrupted', undefined] as const).map(isFinishedOutcome)).toEqual([true, true, false, false, false]);
  });
});

describe('listRuns', () => {
  it('lists runs oldest first with their last outcome and attempt', () => {
    const dir = temporaryDir();
    recordRun(dir, '20261128T231502Z-bbbbbb', 'failed');
    recordRun(dir, '20261128T101010Z-aaaaaa', 'passed');
    const crashed = recordRun(dir, '20261129T000000Z-cccccc', 'none');
    const resumed = openTranscriptForAppend(crashed);
    resumed.onEvent({type: 'note', text: 'again', by: 'engine'});
    resumed.close();
    mkdirSync(join(dir, 'not-a-run'));
    expect(listRuns(dir).map((run) => [run.runId, run.outcome, run.attempt, run.finished])).toEqual([
      ['20261128T101010Z-aaaaaa', 'passed', 1, true],
      ['20261128T231502Z-bbbbbb', 'failed', 1, false],
      ['20261129T000000Z-cccccc', undefined, 2, false],
    ]);
  });

  it('finds nothing in a directory that does not exist', () => {
    expect(listRuns(join(temporaryDir(), 'missing'))).toEqual([]);
  });

  it('reads the outcome past a torn last line', () => {
    const dir = temporaryDir();
    const path = recordRun(dir, '20261128T231502Z-bbbbbb', 'interrupted');
    appendFileSync(path, '{"seq":13,');
    expect(listRuns(dir).map((run) => [run.outcome, run.finished])).toEqual([['interrupted', false]]);
  });
});

describe('latestUnfinishedRun', () => {
  it('picks the newest unfinished run of the same runbook', () => {
    const dir = temporaryDir();
    const runbook = join(dir, 'rollback.md');
    recordRun(dir, '20261128T080000Z-000001', 'failed', runbook);
    recordRun(dir, '20261128T090000Z-000002', 'interrupted', relative(process.cwd(), runbook));
    recordRun(dir, '20261128T100000Z-000003', 'passed', runbook);
    recordRun(dir, '20261128T110000Z-000004', 'aborted', runbook);
    recordRun(dir, '20261128T120000Z-000005', 'failed', join(dir, 'other.md'));
    expect(latestUnfinishedRun(dir, runbook)?.runId).toBe('20261128T090000Z-000002');
    expect(latestUnfinishedRun(dir, join(dir, 'other.md'))?.runId).toBe('20261128T120000Z-000005');
    expect(latestUnfinishedRun(dir, join(dir, 'third.md'))).toBeUndefined();
  });

  it('counts a run that stopped without a run-end as unfinished', () => {
    const dir = temporaryDir();
    recordRun(dir, '20261128T080000Z-000001', 'none');
    expect(latestUnfinishedRun(dir, join(dir, 'rollback.md'))?.outcome).toBeUndefined();
    expect(latestUnfinishedRun(dir, join(dir, 'rollback.md'))?.runId).toBe('20261128T080000Z-000001');
  });
});
