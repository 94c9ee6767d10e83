import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir, userInfo} from 'node:os';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {runCli} from './run-cli.js';

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-attempts-'));
});

interface Line {
  readonly time: string;
  readonly attempt: number;
  readonly event: {type: string; [key: string]: unknown};
}

const records = (path: string): Line[] => readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line) as Line);

const runbook = [
  '---',
  'inputs:',
  '  OPS_TOKEN: {secret: true}',
  '---',
  '# Hand-off',
  '## First',
  '```sh {#first}',
  'sleep 0.2',
  '```',
  '## Second',
  '```sh {#second}',
  'test -f fixed',
  '```',
  '## Third',
  '```sh {#third}',
  'echo done',
  '```',
].join('\n');

// durations vary with the machine; everything else is exact
const timeless = (text: string): string => text.replace(/\b\d+(?:\.\d)?(?:ms|s)\b|\b\d+m \d+s\b/g, 'T');

describe('the record of every attempt', () => {
  it('records who played each attempt, where and how, and sums the whole run in run-end and the summary', async () => {
    writeFileSync(join(dir, 'r.md'), runbook);
    const first = await runCli(['play', 'r.md', '--yes', '--set', 'OPS_TOKEN=hunter2-very-secret', '--operator', 'alice'], {cwd: dir});
    expect(first.code).toBe(1);
    expect(timeless(first.stdout).split('\n').slice(-2).join('\n')).toBe('Summary: FAILED in T — 1 passed, 1 failed\n');
    writeFileSync(join(dir, 'fixed'), '');
    // a secret value anywhere else on the command line is masked by the redactor
    const second = await runCli(['play', 'r.md', '--yes', '--resume', '--set=OPS_TOKEN=hunter2-very-secret', '--incident', 'INC-hunter2-very-secret'], {cwd: dir});
    expect(second.code).toBe(0);
    expect(timeless(second.stdout).split('\n').slice(-2).join('\n')).toBe('Summary: PASSED in T over 2 attempts — 3 passed; attempt 2: T — 2 passed\n');

    const [run] = readdirSync(join(dir, '.runbook/runs'));
    const path = join(dir, '.runbook/runs', run ?? '', 'transcript.jsonl');
    expect(readFileSync(path, 'utf8')).not.toContain('hunter2');
    expect((await verifyTranscript(path)).ok).toBe(true);
    const lines = records(path);
    const starts = lines.filter((line) => line.event.type === 'run-start').map((line) => line.event);
    const user = userInfo().username;
    const base = {type: 'run-start', runId: run, runbookPath: 'r.md', title: 'Hand-off', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), readOnly: false, user, host: hostname()};
    expect(starts).toEqual([
      {...base, attempt: 1, resumed: false, startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), operator: 'alice',
        argv: ['play', 'r.md', '--yes', '--set', 'OPS_TOKEN=••••••', '--operator', 'alice']},
      {...base, attempt: 2, resumed: true, startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), operator: user,
        argv: ['play', 'r.md', '--yes', '--resume', '--set=OPS_TOKEN=••••••', '--incident', 'INC-••••••']},
    ]);
    const header = JSON.parse(readFileSync(path, 'utf8').split('\n')[0] ?? '') as {argv: string[]; operator: string};
    expect(header.argv).toEqual(['play', 'r.md', '--yes', '--set', 'OPS_TOKEN=••••••', '--operator', 'alice']);
    expect(header.operator).toBe(`alice@${hostname()}`);

    const ends = lines.filter((line) => line.event.type === 'run-end').map((line) => line.event as unknown as {durationMs: number; total: {durationMs: number}});
    const zero = {passed: 0, 'allowed-failure': 0, failed: 0, 'timed-out': 0, interrupted: 0, skipped: 0, 'marked-done': 0};
    const [end1, end2] = ends;
    expect(ends).toEqual([
      {type: 'run-end', outcome: 'failed', durationMs: end1?.durationMs, counts: {...zero, passed: 1, failed: 1},
        total: {attempts: 1, durationMs: end1?.durationMs, counts: {...zero, passed: 1, failed: 1}}},
      {type: 'run-end', outcome: 'passed', durationMs: end2?.durationMs, counts: {...zero, passed: 2},
        total: {attempts: 2, durationMs: end2?.total.durationMs, counts: {...zero, passed: 3}}},
    ]);
    // wall time from the first attempt's start to the end of the last
    const [start1, start2] = starts as unknown as {startedAt: string}[];
    expect(end2?.total.durationMs).toBe(Date.parse(start2?.startedAt ?? '') + (end2?.durationMs ?? 0) - Date.parse(start1?.startedAt ?? ''));
    expect(end2?.total.durationMs).toBeGreaterThan((end1?.durationMs ?? 0) + (end2?.durationMs ?? 0));

    // each step's measured duration is recorded once and never rewritten
    const stepEnds = lines.filter((line) => line.event.type === 'step-end').map((line) => [line.attempt, line.event['stepId'], line.event['status'], typeof line.event['durationMs']]);
    expect(stepEnds).toEqual([[1, 'first-1', 'done', 'number'], [1, 'second-1', 'failed', 'number'], [2, 'second-1', 'done', 'number'], [2, 'third-1', 'done', 'number']]);
    const firstStep = lines.find((line) => line.event.type === 'step-end' && line.event['stepId'] === 'first-1');
    expect(firstStep?.event['durationMs']).toBeGreaterThanOrEqual(200);
  });
});
