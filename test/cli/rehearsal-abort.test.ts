import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {cliPath, runCli} from './run-cli.js';

// Headless: a resumed rehearsal stays a rehearsal unless --live, a condition
// that cannot be evaluated fails the run, and Ctrl-C on a node that may fail
// interrupts the run.

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-rehearsal-'));
});

const events = (): {type: string; [key: string]: unknown}[] => {
  const runs = join(dir, '.runbook/runs');
  const [run = ''] = readdirSync(runs);
  return readFileSync(join(runs, run, 'transcript.jsonl'), 'utf8').trim().split('\n').slice(1).map((line) => (JSON.parse(line) as {event: {type: string}}).event);
};

// durations and run ids vary from run to run
const stable = (text: string): string => text.replace(/\d{8}T\d{6}Z-[0-9a-f]+/g, 'RUN').replace(/\b\d+(\.\d+)?(ms|s)\b/g, 'T');

const rollback = [
  '# Rollback',
  '## 1) Roll back code',
  '```sh {#redeploy mutates}',
  'touch deployed',
  '```',
  '## 2) Verify',
  '```sh {#verify}',
  'test -f deployed',
  '```',
  '',
].join('\n');

describe('a resumed read-only rehearsal (headless)', () => {
  it('stays a rehearsal: the node that mutates does not run, and the summary does not call its step done', async () => {
    writeFileSync(join(dir, 'r.md'), rollback);
    const first = await runCli(['play', 'r.md', '--yes', '--read-only'], {cwd: dir});
    expect(first.code).toBe(1);
    expect(stable(first.stdout)).toBe([
      'Playing Rollback  run RUN, read-only rehearsal',
      '',
      '== 1) Roll back code',
      '   - redeploy skipped — read-only rehearsal: the node mutates',
      '   step rehearsed, not done: 1 node that mutates did not run (read-only)',
      '',
      '== 2) Verify',
      '-> verify (sh)',
      '   $ test -f deployed',
      '   ✗ verify FAILED (exit 1, T) — exit code 1',
      '   failure: stopped here — the run ends failed and can be resumed',
      '',
      'Summary: FAILED (read-only rehearsal) in T — 1 failed, 1 skipped',
      '  rehearsed, not done: 1) Roll back code — 1 node that mutates did not run',
      '',
    ].join('\n'));

    const second = await runCli(['play', 'r.md', '--yes', '--resume'], {cwd: dir});
    expect(second.code).toBe(1);
    expect(stable(second.stdout).split('\n').slice(0, 2)).toEqual([
      'Resuming Rollback  run RUN, attempt 2, read-only rehearsal',
      '   note: attempt 1 was a read-only rehearsal, and so is this one: nodes that mutate are skipped (resume with --live to play it for real)',
    ]);
    expect(existsSync(join(dir, 'deployed'))).toBe(false);
    const starts = events().filter((event) => event.type === 'run-start').map(({attempt, readOnly}) => ({attempt, readOnly}));
    expect(starts).toEqual([{attempt: 1, readOnly: true}, {attempt: 2, readOnly: true}]);
    expect(events().filter((event) => event.type === 'node-start').map((event) => event['nodeId'])).toEqual(['verify', 'verify']);
  });

  it('goes live with --live: what the rehearsal skipped because it mutates runs, then the rest', async () => {
    writeFileSync(join(dir, 'r.md'), rollback);
    expect((await runCli(['play', 'r.md', '--yes', '--read-only'], {cwd: dir})).code).toBe(1);
    const live = await runCli(['play', 'r.md', '--yes', '--resume', '--live'], {cwd: dir});
    expect(live.code).toBe(0);
    expect(existsSync(join(dir, 'deployed'))).toBe(true);
    expect(stable(live.stdout).split('\n').slice(0, 2)).toEqual([
      'Resuming Rollback  run RUN, attempt 2',
      '   note: attempt 1 was a read-only rehearsal; this attempt is live, and the nodes the rehearsal skipped because they mutate are pending again: redeploy',
    ]);
    expect(events().filter((event) => event.type === 'run-start').map(({attempt, readOnly}) => ({attempt, readOnly}))).toEqual([{attempt: 1, readOnly: true}, {attempt: 2, readOnly: false}]);
    expect(events().filter((event) => event.type === 'node-start').map((event) => event['nodeId'])).toEqual(['verify', 'redeploy', 'verify']);
  });

  it('refuses --live without --resume, and with --read-only', async () => {
    writeFileSync(join(dir, 'r.md'), rollback);
    expect(await runCli(['play', 'r.md', '--yes', '--live'], {cwd: dir})).toEqual({code: 2, stdout: '', stderr: 'runbook: --live goes with --resume, to play a read-only rehearsal on for real; a new run is live unless --read-only\n'});
    expect(await runCli(['play', 'r.md', '--yes', '--resume', '--live', '--read-only'], {cwd: dir})).toEqual({code: 2, stdout: '', stderr: 'runbook: --live and --read-only contradict each other; give one\n'});
    expect(readdirSync(dir)).toEqual(['r.md']);
  });
});

describe('a condition that cannot be evaluated (headless)', () => {
  it('on a step fails the run there (exit 1) instead of skipping the step', async () => {
    writeFileSync(join(dir, 'c.md'), [
      '# C',
      '## 1) Guarded',
      '<!-- runbook: if="int(\'x\') > 1" -->',
      '```sh {#inner}',
      'touch inner-ran',
      '```',
      '## 2) Later',
      '```sh {#later}',
      'touch later-ran',
      '```',
      '',
    ].join('\n'));
    const result = await runCli(['play', 'c.md', '--yes'], {cwd: dir});
    expect(result.code).toBe(1);
    expect(stable(result.stdout)).toBe([
      'Playing C  run RUN',
      '',
      '== 1) Guarded',
      '   note: step guarded: if="int(\'x\') > 1" could not be evaluated: int() type error: cannot convert to int',
      '   failure: stopped here — the run ends failed and can be resumed',
      '',
      'Summary: FAILED in T',
      '  step `guarded`: if="int(\'x\') > 1" could not be evaluated: int() type error: cannot convert to int',
      '',
    ].join('\n'));
    expect(readdirSync(dir).sort()).toEqual(['.runbook', 'c.md']);
  });

  it('on a checklist fails the run there (exit 1) instead of showing it with a note', async () => {
    writeFileSync(join(dir, 'c.md'), [
      '# C',
      '## 1) Check',
      'Before going on:',
      '',
      '<!-- runbook: #manual if="int(\'y\') > 1" -->',
      '- [ ] Look at the dashboard',
      '',
      '## 2) Later',
      '```sh {#later}',
      'touch later-ran',
      '```',
      '',
    ].join('\n'));
    const result = await runCli(['play', 'c.md', '--yes'], {cwd: dir});
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('\nSummary: FAILED in ');
    expect(events().filter((event) => event.type === 'decision-taken').map(({kind, nodeId, decision}) => ({kind, nodeId, decision}))).toEqual([{kind: 'failure', nodeId: 'manual', decision: 'stop'}]);
    expect(existsSync(join(dir, 'later-ran'))).toBe(false);
  });
});

describe('Ctrl-C headless', () => {
  it('on a node that may fail ends the run interrupted (exit 130), never as an allowed failure', async () => {
    writeFileSync(join(dir, 'i.md'), [
      '# I',
      '## S',
      '```sh {#probe allow-failure retries=3 interval=10ms}',
      'echo started; sleep 30',
      '```',
      '```sh {#after if="probe.failed"}',
      'touch after-ran',
      '```',
      '',
    ].join('\n'));
    const child = spawn(process.execPath, ['--', cliPath, 'play', 'i.md', '--yes'], {cwd: dir, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('│ started')) resolve();
    }));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(130);
    const recorded = events();
    expect(recorded.filter((event) => event.type === 'node-end').map(({nodeId, outcome}) => ({nodeId, outcome}))).toEqual([{nodeId: 'probe', outcome: 'interrupted'}]);
    expect(recorded.at(-1)).toMatchObject({type: 'run-end', outcome: 'interrupted'});
    expect(existsSync(join(dir, 'after-ran'))).toBe(false);
  });
});
