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

// a check after the node that mutates, a node whose condition depends on
// it, and a node that uses its capture: each writes to runs.log when it runs
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
  '## 3) Report',
  '```sh {#summary}',
  'echo "report $STATE" >> runs.log',
  '```',
  '## 4) Confirm',
  '```sh {#deployed}',
  'echo \'deployed?\' >> runs.log; test -f deployed',
  '```',
  '',
].join('\n');

const log = (): string[] => readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n');

describe('a resumed read-only rehearsal (headless)', () => {
  it('stays a rehearsal: the node that mutates does not run, and the summary does not call its step done', async () => {
    writeFileSync(join(dir, 'r.md'), rollback);
    const first = await runCli(['play', 'r.md', '--yes', '--read-only'], {cwd: dir});
    expect(first.code).toBe(1);
    expect(stable(first.stdout)).toBe([
      'Playing Rollback  run RUN, read-only rehearsal',
      '',
      '== 1) Roll back code',
      '   ↷ redeploy skipped — read-only rehearsal: the node mutates',
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

  it('goes live with --live: what the rehearsal skipped because it mutates runs, then everything after it', async () => {
    writeFileSync(join(dir, 'r.md'), rollback);
    expect((await runCli(['play', 'r.md', '--yes', '--read-only'], {cwd: dir})).code).toBe(1);
    const live = await runCli(['play', 'r.md', '--yes', '--resume', '--live'], {cwd: dir});
    expect(live.code).toBe(0);
    expect(existsSync(join(dir, 'deployed'))).toBe(true);
    expect(stable(live.stdout).split('\n').slice(0, 3)).toEqual([
      'Resuming Rollback  run RUN, attempt 2',
      '   pending again after the rehearsal: 1) Roll back code, 2) Verify',
      '   note: attempt 1 was a read-only rehearsal; this attempt is live: from redeploy on (the first node skipped because it mutates) the rehearsal\'s results no longer count, and these 2 nodes are pending again: redeploy, verify',
    ]);
    expect(events().filter((event) => event.type === 'run-start').map(({attempt, readOnly}) => ({attempt, readOnly}))).toEqual([{attempt: 1, readOnly: true}, {attempt: 2, readOnly: false}]);
    expect(events().filter((event) => event.type === 'node-start').map((event) => event['nodeId'])).toEqual(['verify', 'redeploy', 'verify']);
  });

  it('goes live with --live: a check after the node that mutates runs again after it, and its capture replaces the rehearsal\'s', async () => {
    writeFileSync(join(dir, 'd.md'), redeploy);
    const rehearsal = await runCli(['play', 'd.md', '--yes', '--read-only'], {cwd: dir});
    expect(rehearsal.code).toBe(1);
    expect(log()).toEqual(['before', 'health old', 'report old', 'deployed?']);

    const live = await runCli(['play', 'd.md', '--yes', '--resume', '--live'], {cwd: dir});
    expect(live.code).toBe(0);
    expect(log()).toEqual(['before', 'health old', 'report old', 'deployed?', 'deploy', 'health new', 'smoke', 'report new', 'deployed?']);
    expect(stable(live.stdout)).toBe([
      'Resuming Redeploy  run RUN, attempt 2',
      '   pending again after the rehearsal: 2) Redeploy, 2.1) Verify health after the redeploy, 3) Report, 4) Confirm',
      '   note: attempt 1 was a read-only rehearsal; this attempt is live: from deploy on (the first node skipped because it mutates) the rehearsal\'s results no longer count, and these 5 nodes are pending again: deploy, health, smoke, summary, deployed',
      '',
      '== 2) Redeploy',
      '   ? Run `deploy`? It changes things (mutates).',
      '   confirm: run — auto-approved (--yes)',
      '-> deploy (sh) [mutates]',
      '   $ echo deploy >> runs.log; touch deployed',
      '   ✓ deploy passed (exit 0, T)',
      '',
      '== 2.1) Verify health after the redeploy',
      '-> health (sh)',
      '   $ if [ -f deployed ]; then echo "health new" >> runs.log; echo new; else echo "health old" >> runs.log; echo old; fi',
      '   │ new',
      '   ✓ health passed (exit 0, T)',
      '     captured STATE = new',
      '-> smoke (sh)',
      '   $ echo smoke >> runs.log',
      '   ✓ smoke passed (exit 0, T)',
      '',
      '== 3) Report',
      '-> summary (sh)',
      '   $ echo "report $STATE" >> runs.log',
      '   ✓ summary passed (exit 0, T)',
      '',
      '== 4) Confirm',
      '-> deployed (sh)',
      '   $ echo \'deployed?\' >> runs.log; test -f deployed',
      '   ✓ deployed passed (exit 0, T)',
      '',
      'Summary: PASSED in T over 2 attempts — 6 passed; attempt 2: T — 5 passed',
      '',
    ].join('\n'));
    const ends = events().filter((event) => event.type === 'node-end').map(({nodeId, outcome, captures}) => [nodeId, outcome, captures]);
    expect(ends).toEqual([
      ['baseline', 'passed', {STATE: 'initial'}],
      ['deploy', 'skipped', {}],
      ['health', 'passed', {STATE: 'old'}],
      ['smoke', 'skipped', {}],
      ['summary', 'passed', {}],
      ['deployed', 'failed', {}],
      ['deploy', 'passed', {}],
      ['health', 'passed', {STATE: 'new'}],
      ['smoke', 'passed', {}],
      ['summary', 'passed', {}],
      ['deployed', 'passed', {}],
    ]);
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
    // the run's last event, then the seal of its attempt
    expect(recorded.at(-2)).toMatchObject({type: 'run-end', outcome: 'interrupted'});
    expect(recorded.at(-1)).toMatchObject({type: 'seal', outcome: 'interrupted'});
    expect(existsSync(join(dir, 'after-ran'))).toBe(false);
  });
});
