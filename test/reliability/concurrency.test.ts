import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {cliPath, runCli, runCollected} from '../cli/run-cli.js';
import {noneLeft, recordedEvents, runIdsIn, startPlay, transcriptPathOf, until, workDir} from './play-runs.js';
import {printSeedOnFailure, seed, seeded, times} from './seeded.js';

// Concurrency: one process writes a run at a time (src/transcript/lock.ts).
// Two fresh plays of one file are two runs; a resume of a live run is refused
// naming the process; a lock left by a dead process is taken over and the
// transcript says so; of two resumes of one run started together exactly one
// proceeds and the other is refused clearly, and the transcript verifies.

const pairs = times(20, 200);
const lockGate = fileURLToPath(new URL('fixtures/lock-gate.mjs', import.meta.url));
const lanesAtOnce = 10;

let work: ReturnType<typeof workDir>;
let dir = '';

beforeEach(() => {
  work = workDir('concurrency');
  dir = work.path;
});

afterEach(() => work.remove());

// `second` fails until `fixed` exists, then works a while, so two resumes overlap.
const runbook = [
  '---', 'env:', '  LANE: none', '---',
  '# Locked', '## First', '```sh {#first}', 'echo first', '```',
  '## Second', '```sh {#second}', 'test -f fixed', 'echo x >> "marks-$LANE"', 'sleep "$(cat fixed)"', '```',
].join('\n');

const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn node');
  return child.pid;
};

const inUse = /^runbook: run \S+ is in use by process (\d+) \(since [^)]+\); wait for it to finish or stop it first\n$/;

async function failedRun(): Promise<{runId: string; path: string}> {
  writeFileSync(join(dir, 'r.md'), runbook);
  expect((await runCli(['play', 'r.md', '--yes'], {cwd: dir})).code).toBe(1);
  const [runId = ''] = runIdsIn(dir);
  return {runId, path: transcriptPathOf(dir, runId)};
}

describe(`concurrency (RUNBOOK_SEED=${seed})`, () => {
  it('two fresh plays of one runbook at once are two runs, each whole', async () => {
    writeFileSync(join(dir, 'r.md'), runbook);
    writeFileSync(join(dir, 'fixed'), '0.2');
    const results = await Promise.all([runCli(['play', 'r.md', '--yes'], {cwd: dir}), runCli(['play', 'r.md', '--yes'], {cwd: dir})]);
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    const runIds = runIdsIn(dir);
    expect(runIds).toHaveLength(2);
    for (const runId of runIds) expect(await verifyTranscript(transcriptPathOf(dir, runId))).toMatchObject({ok: true, status: 'finished', outcome: 'passed', attempts: 1});
  });

  it('refuses to resume a live run, by id or as the latest, naming its process; the live run goes on and verifies', async () => {
    const {runId, path} = await failedRun();
    writeFileSync(join(dir, 'fixed'), '30');
    const live = startPlay(dir, ['r.md', '--yes', '--resume', runId]);
    await until(() => existsSync(join(dir, 'marks-none')), 'the resumed node to start');
    for (const args of [['--resume', runId], ['--resume']]) {
      const refused = await runCli(['play', 'r.md', '--yes', ...args], {cwd: dir});
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(inUse);
      expect(Number(inUse.exec(refused.stderr)?.[1])).toBe(live.child.pid);
    }
    live.child.kill('SIGTERM');
    expect(await live.exited).toBe(130);
    expect(readFileSync(join(dir, 'marks-none'), 'utf8')).toBe('x\n');
    expect((await verifyTranscript(path)).problems.filter((problem) => problem.severity === 'error').map((problem) => problem.message)).toEqual([]);
    expect(await noneLeft(runId)).toEqual([]);
  });

  it('takes over a lock left by a dead process (kill -9, or a stale lock file) and says so in the transcript', async () => {
    const {runId, path} = await failedRun();
    writeFileSync(join(dir, 'fixed'), '30');
    const killed = startPlay(dir, ['r.md', '--yes', '--resume', runId]);
    await until(() => existsSync(join(dir, 'marks-none')), 'the resumed node to start');
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(JSON.parse(readFileSync(join(dir, '.runbook/runs', runId, 'lock'), 'utf8'))).toMatchObject({pid: killed.child.pid, host: hostname()});
    writeFileSync(join(dir, 'fixed'), '0');
    const resumed = await runCli(['play', 'r.md', '--yes', '--resume'], {cwd: dir});
    expect(resumed.code, resumed.stderr).toBe(1);
    // `second` was cut off and is not idempotent: the takeover is noted all the same
    expect(resumed.stdout).toContain(`   note: took over the lock of process ${killed.child.pid}, which is gone\n`);
    const stale = deadPid();
    writeFileSync(join(dir, '.runbook/runs', runId, 'lock'), `${JSON.stringify({pid: stale, host: hostname(), startedAt: '2026-12-02T09:00:00.000Z'})}\n`);
    const again = await runCli(['play', 'r.md', '--yes', '--resume', runId], {cwd: dir});
    expect(again.stdout).toContain(`   note: took over the lock of process ${stale}, which is gone\n`);
    const notes = recordedEvents(path).filter((event) => event.type === 'note').map((event) => String(event['text']));
    expect(notes).toEqual(expect.arrayContaining([`took over the lock of process ${killed.child.pid}, which is gone`, `took over the lock of process ${stale}, which is gone`]));
    expect(existsSync(join(dir, '.runbook/runs', runId, 'lock'))).toBe(false);
    expect(await noneLeft(runId)).toEqual([]);
  });

  it('a resume that got the lock only after another resume finished the run refuses, and runs nothing again', async () => {
    const {runId, path} = await failedRun();
    writeFileSync(join(dir, 'fixed'), '0');
    const gate = join(dir, 'gate');
    mkdirSync(gate);
    const late = runCollected(process.execPath, ['--import', lockGate, '--', cliPath, 'play', 'r.md', '--yes', '--resume', runId], {
      cwd: dir, env: {...process.env, NO_COLOR: '1', RUNBOOK_TEST_LOCK_GATE: gate},
    });
    await until(() => existsSync(join(gate, 'paused')), 'the late resume to reach the lock');
    expect((await runCli(['play', 'r.md', '--yes', '--resume', runId], {cwd: dir})).code).toBe(0);
    writeFileSync(join(gate, 'go'), '');
    expect(await late).toEqual({code: 2, stdout: '', stderr: `runbook: run ${runId} is finished (passed); there is nothing to resume\n`});
    expect(readFileSync(join(dir, 'marks-none'), 'utf8')).toBe('x\n');
    expect(await verifyTranscript(path)).toMatchObject({ok: true, status: 'finished', outcome: 'passed', attempts: 2});
  });

  it(`of ${pairs} pairs of resumes of one run started together, exactly one of each proceeds; the other is refused clearly`, {timeout: 30_000 + pairs * 6000}, async () => {
    printSeedOnFailure();
    const random = seeded().fork('concurrency');
    writeFileSync(join(dir, 'r.md'), runbook);
    const lanes = Array.from({length: pairs}, (_, index) => ({lane: `t${String(index).padStart(2, '0')}`, staleLock: random.next() < 0.5, runId: ''}));
    const tally = {proceeded: 0, refusedInUse: 0, refusedFinished: 0, staleLocks: 0, takeoversNoted: 0};
    // a failed run in each lane (its own transcript dir): a resume ends every
    // process of its run id, so lanes must not share one
    for (let start = 0; start < lanes.length; start += lanesAtOnce) {
      await Promise.all(lanes.slice(start, start + lanesAtOnce).map(async (lane) => {
        expect((await runCli(['play', 'r.md', '--yes', '--transcript-dir', lane.lane], {cwd: dir})).code).toBe(1);
        lane.runId = runIdsIn(dir, lane.lane)[0] ?? '';
        if (lane.staleLock) {
          tally.staleLocks += 1;
          writeFileSync(join(dir, lane.lane, lane.runId, 'lock'), `${JSON.stringify({pid: deadPid(), host: hostname(), startedAt: '2026-12-02T09:00:00.000Z'})}\n`);
        }
      }));
    }
    writeFileSync(join(dir, 'fixed'), '0.5');
    for (let start = 0; start < lanes.length; start += lanesAtOnce) {
      await Promise.all(lanes.slice(start, start + lanesAtOnce).map(async ({lane, staleLock, runId}) => {
        const args = ['play', 'r.md', '--yes', '--resume', runId, '--transcript-dir', lane, '--set', `LANE=${lane}`];
        const results = await Promise.all([runCli(args, {cwd: dir}), runCli(args, {cwd: dir})]);
        const codes = results.map((result) => result.code).sort();
        expect(codes, `${lane}: ${results.map((result) => result.stdout + result.stderr).join(' | ')}`).toEqual([0, 2]);
        const refused = results.find((result) => result.code === 2);
        const message = refused?.stderr ?? '';
        if (inUse.test(message)) tally.refusedInUse += 1;
        else if (message === `runbook: run ${runId} is finished (passed); there is nothing to resume\n`) tally.refusedFinished += 1;
        else expect.fail(`${lane}: the refusal does not say why: ${message}`);
        tally.proceeded += 1;
        expect(readFileSync(join(dir, `marks-${lane}`), 'utf8'), `${lane}: \`second\` ran more than once`).toBe('x\n');
        const transcript = join(dir, lane, runId, 'transcript.jsonl');
        expect(await verifyTranscript(transcript)).toMatchObject({ok: true, status: 'finished', outcome: 'passed', attempts: 2});
        const noted = recordedEvents(transcript).some((event) => event.type === 'note' && String(event['text']).startsWith('took over the lock of process '));
        expect(noted).toBe(staleLock);
        if (noted) tally.takeoversNoted += 1;
      }));
    }
    process.stdout.write(`concurrency, resume pairs (RUNBOOK_SEED=${seed}): ${JSON.stringify(tally)}\n`);
    expect(tally.proceeded).toBe(pairs);
  });
});
