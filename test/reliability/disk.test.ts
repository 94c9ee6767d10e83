import {execFileSync} from 'node:child_process';
import {chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {verifyTranscript, type VerifyResult} from '../../src/transcript/verify.js';
import {cliPath, runCollected, type CliResult} from '../cli/run-cli.js';
import {recordedEvents, runIdsIn, transcriptPathOf, workDir} from './play-runs.js';
import {printSeedOnFailure, seed, seeded, times} from './seeded.js';

// Disk trouble: an unwritable transcript directory (real permissions, played
// as an unprivileged user), a read-only and a full file system (real small
// tmpfs mounts), and seeded injected write errors at every kind of record.
// Expected: before anything ran, exit 2 with one line naming the path and
// what to do; once the run began, it stops before its next side effect,
// exit 1, one line naming the path and how to continue; what was recorded
// stays a valid chain, and `--resume` completes the run once the disk is fixed.

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const writeFault = fileURLToPath(new URL('../cli/fixtures/fs-fault.mjs', import.meta.url));
const faults = times(20, 300);
const nodeIds = ['one', 'two', 'three', 'four', 'five'];

const isRoot = process.getuid?.() === 0;
// Playing as `nobody` needs root, setpriv, and a checkout `nobody` can read.
const canPlayUnprivileged = isRoot && (() => {
  try {
    execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('node:fs').readFileSync(${JSON.stringify(cliPath)})`], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
})();
// Mounting needs root and a kernel that lets this container mount tmpfs.
const canMount = isRoot && (() => {
  const probe = mkdtempSync(join(tmpdir(), 'runbook-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], {stdio: 'ignore'});
    execFileSync('umount', [probe], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, {recursive: true, force: true});
  }
})();

const figures = {injected: 0, unreached: 0, refusedBeforeStart: 0, stoppedMidRun: 0, resumedToPass: 0, tornTails: 0, realMounts: 0};
afterAll(() => process.stdout.write(`disk trouble (RUNBOOK_SEED=${seed}, mounts ${canMount ? 'real' : 'unavailable'}): ${JSON.stringify(figures)}\n`));

interface Play {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly preload?: string;
  // as `nobody`, so that permissions are enforced (root ignores them)
  readonly unprivileged?: boolean;
}

function play({args, cwd, env = {}, preload, unprivileged = false}: Play): Promise<CliResult> {
  const node = [...(preload === undefined ? [] : ['--import', preload]), '--', cliPath, 'play', ...args];
  const [command, commandArgs] = unprivileged
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...node]] as const
    : [process.execPath, node] as const;
  return runCollected(command, commandArgs, {cwd, env: {...process.env, NO_COLOR: '1', ...env}});
}

const stackTrace = /^\s+at /m;
const beforeStart = (shown: string, code: string): RegExp => new RegExp(`^runbook: cannot record the run in ${escape(shown)}: \\S+: [a-z/ -]+ \\(${code}\\); nothing ran — give --transcript-dir a directory you can write to\\n$`);
const midRun = (path: string, code: string, runId: string): RegExp => new RegExp(`(^|\\n)runbook: cannot write the transcript ${escape(path)}( \\(\\S+\\))?: [a-z/ -]+ \\(${code}\\); the run stopped before its next step — fix the disk, then continue it with runbook play \\S+ --resume ${runId}( --transcript-dir \\S+)?( --yes)?\\n$`);
const escape = (text: string): string => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

const marks = (dir: string): Map<string, number> => new Map(nodeIds.map((id) => {
  const path = join(dir, 'marks', id);
  return [id, existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0];
}));

// What a run stopped by the disk leaves: a valid chain that did not finish.
function onlyUnfinished(result: VerifyResult): string[] {
  return result.problems.filter((problem) => problem.severity === 'error')
    .map((problem) => problem.message)
    .filter((message) => !message.startsWith('not sealed after line ') && !message.startsWith('incomplete last line '));
}

function setUp(dir: string): void {
  copyFileSync(join(fixtures, 'five-nodes.md'), join(dir, 'five-nodes.md'));
  mkdirSync(join(dir, 'marks'));
}

describe(`disk trouble (RUNBOOK_SEED=${seed})`, () => {
  it.skipIf(!canPlayUnprivileged)('an unwritable transcript directory (real permissions): refused before anything ran, exit 2', async () => {
    const work = workDir('disk');
    try {
      setUp(work.path);
      chmodSync(work.path, 0o777);
      chmodSync(join(work.path, 'marks'), 0o777);
      mkdirSync(join(work.path, 'locked'), {mode: 0o555});
      chmodSync(join(work.path, 'locked'), 0o555);
      const result = await play({args: ['five-nodes.md', '--yes', '--transcript-dir', 'locked'], cwd: work.path, unprivileged: true});
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(beforeStart('locked', 'EACCES'));
      expect([...marks(work.path).values()]).toEqual([0, 0, 0, 0, 0]);
      figures.refusedBeforeStart += 1;
    } finally {
      work.remove();
    }
  });

  it.skipIf(!canPlayUnprivileged)('a run directory that loses its write permission mid-run (real permissions): stopped before the next node, exit 1, then resumed', async () => {
    const work = workDir('disk');
    const dir = work.path;
    try {
      setUp(dir);
      chmodSync(dir, 0o777);
      chmodSync(join(dir, 'marks'), 0o777);
      // `one` takes the run directory's write permission away; `two` then needs a side file
      writeFileSync(join(dir, 'five-nodes.md'), readFileSync(join(dir, 'five-nodes.md'), 'utf8').replace('echo one\n', 'echo one\nif [ ! -f locked-once ]; then touch locked-once; chmod 0500 ".runbook/runs/$RUNBOOK_RUN_ID"; fi\n'));
      const result = await play({args: ['five-nodes.md', '--yes'], cwd: dir, unprivileged: true});
      const [runId = ''] = runIdsIn(dir);
      const runDir = join(dir, '.runbook/runs', runId);
      const path = transcriptPathOf(dir, runId);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(midRun(path, 'EACCES', runId));
      expect(result.stderr).toContain(`(${join(runDir, 'outputs')})`);
      expect(result.stderr).not.toMatch(stackTrace);
      expect(Object.fromEntries(marks(dir))).toEqual({one: 1, two: 1, three: 0, four: 0, five: 0});
      figures.stoppedMidRun += 1;
      chmodSync(runDir, 0o700);
      expect(onlyUnfinished(await verifyTranscript(path))).toEqual([]);
      const resumed = await play({args: ['five-nodes.md', '--yes', '--resume'], cwd: dir, unprivileged: true});
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      expect(await verifyTranscript(path)).toMatchObject({ok: true, status: 'finished', outcome: 'passed'});
      expect(Object.fromEntries(marks(dir))).toEqual({one: 1, two: 2, three: 1, four: 1, five: 1});
      figures.resumedToPass += 1;
    } finally {
      work.remove();
    }
  });

  describe.skipIf(!canMount)('on a real tmpfs', () => {
    // A small tmpfs at `<dir>/mnt`, unmounted afterwards whatever happens.
    async function withMount(options: string, test: (dir: string, mount: string) => Promise<void>): Promise<void> {
      const work = workDir('disk');
      const mount = join(work.path, 'mnt');
      mkdirSync(mount);
      execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mount]);
      figures.realMounts += 1;
      try {
        setUp(work.path);
        await test(work.path, mount);
      } finally {
        execFileSync('umount', ['-l', mount]);
        work.remove();
      }
    }

    // A file system with files open for writing cannot be remounted read-only
    // (EBUSY), so a file system going read-only mid-run is injected (EROFS) below.
    it('read-only before the run: refused, exit 2, nothing ran', async () => {
      await withMount('size=1m,mode=0755', async (dir, mount) => {
        execFileSync('mount', ['-o', 'remount,ro', mount]);
        const refused = await play({args: ['five-nodes.md', '--yes', '--transcript-dir', 'mnt/runs'], cwd: dir});
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(beforeStart('mnt/runs', 'EROFS'));
        expect([...marks(dir).values()]).toEqual([0, 0, 0, 0, 0]);
        figures.refusedBeforeStart += 1;
      });
    });

    it('full before the run: refused, exit 2, nothing left; full mid-run: stopped, exit 1, resumed once there is room', async () => {
      await withMount('size=256k', async (dir, mount) => {
        const fill = (): void => {
          try {
            execFileSync('sh', ['-c', `head -c 1048576 /dev/zero > ${join(mount, 'filler')}`], {stdio: 'ignore'});
          } catch {
            // ENOSPC: full, as wanted
          }
        };
        fill();
        const refused = await play({args: ['five-nodes.md', '--yes', '--transcript-dir', 'mnt/runs'], cwd: dir});
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(beforeStart('mnt/runs', 'ENOSPC'));
        expect(readdirSync(join(mount, 'runs'))).toEqual([]);
        figures.refusedBeforeStart += 1;
        rmSync(join(mount, 'filler'));

        // `three` fills the disk, then prints
        writeFileSync(join(dir, 'five-nodes.md'), readFileSync(join(dir, 'five-nodes.md'), 'utf8').replace('echo three\n', 'if [ ! -f filled-once ]; then touch filled-once; head -c 1048576 /dev/zero > mnt/filler 2>/dev/null || true; fi\nseq 1 3000\n'));
        const stopped = await play({args: ['five-nodes.md', '--yes', '--transcript-dir', 'mnt/runs'], cwd: dir});
        const [runId = ''] = runIdsIn(dir, 'mnt/runs');
        const path = transcriptPathOf(dir, runId, 'mnt/runs');
        expect(stopped.code).toBe(1);
        expect(stopped.stderr).toMatch(midRun(path, 'ENOSPC', runId));
        // the hint is the command to paste, transcript directory included
        expect(stopped.stderr).toContain(`continue it with runbook play five-nodes.md --resume ${runId} --transcript-dir mnt/runs --yes\n`);
        expect(Object.fromEntries(marks(dir))).toEqual({one: 1, two: 1, three: 1, four: 0, five: 0});
        expect(onlyUnfinished(await verifyTranscript(path))).toEqual([]);
        figures.stoppedMidRun += 1;
        rmSync(join(mount, 'filler'));
        const resumed = await play({args: ['five-nodes.md', '--yes', '--resume', '--transcript-dir', 'mnt/runs'], cwd: dir});
        expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
        expect(await verifyTranscript(path)).toMatchObject({ok: true, status: 'finished', outcome: 'passed'});
        figures.resumedToPass += 1;
      });
    });
  });

  // A clean run of five-nodes.md writes about 33 transcript lines (output
  // arrives in chunks of varying size) and one side file.
  const random = seeded().fork('disk');
  const plan = Array.from({length: faults}, (_, index) => {
    const inSide = random.next() < 0.15;
    return {index, code: random.pick(['ENOSPC', 'EROFS', 'EIO']), path: inSide ? 'outputs/' : 'transcript.jsonl', nth: inSide ? 1 : random.int(1, 33)};
  });

  describe.concurrent('injected write errors', () => {
    for (const fault of plan) {
      it(`#${fault.index + 1}: ${fault.code} at write ${fault.nth} of ${fault.path}`, async () => {
        printSeedOnFailure();
        const work = workDir('disk');
        const dir = work.path;
        try {
          setUp(dir);
          const result = await play({args: ['five-nodes.md', '--yes'], cwd: dir, preload: writeFault, env: {RUNBOOK_TEST_FS_FAULT: JSON.stringify({call: 'write', code: fault.code, path: fault.path, nth: fault.nth})}});
          figures.injected += 1;
          expect(result.stderr).not.toMatch(stackTrace);
          const [runId] = runIdsIn(dir);
          if (result.code === 0 && runId !== undefined) {
            // the run wrote fewer lines than the fault waited for
            expect(await verifyTranscript(transcriptPathOf(dir, runId))).toMatchObject({ok: true, outcome: 'passed'});
            figures.unreached += 1;
            return;
          }
          if (runId === undefined) {
            // the header could not be written: nothing ran and no run is left
            expect(result.code).toBe(2);
            expect(result.stderr).toMatch(beforeStart('.runbook/runs', fault.code));
            expect([...marks(dir).values()]).toEqual([0, 0, 0, 0, 0]);
            figures.refusedBeforeStart += 1;
            return;
          }
          const path = transcriptPathOf(dir, runId);
          expect(result.code).toBe(1);
          expect(result.stderr).toMatch(midRun(path, fault.code, runId));
          if (fault.path === 'outputs/') expect(result.stderr).toContain(` (${join(dir, '.runbook/runs', runId, 'outputs/two-1.log')}): `);
          figures.stoppedMidRun += 1;
          // no node began without its node-start on disk, so none began after the failed write
          const events = recordedEvents(path);
          const started = new Set(events.filter((event) => event.type === 'node-start').map((event) => String(event['nodeId'])));
          const ended = new Set(events.filter((event) => event.type === 'node-end').map((event) => String(event['nodeId'])));
          for (const [id, count] of marks(dir)) if (count > 0) expect(started, `${id} ran without a recorded node-start`).toContain(id);
          if (!readFileSync(path, 'utf8').endsWith('\n')) figures.tornTails += 1;
          expect(onlyUnfinished(await verifyTranscript(path))).toEqual([]);

          const resumed = await play({args: ['five-nodes.md', '--yes', '--resume'], cwd: dir});
          expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
          expect(await verifyTranscript(path)).toMatchObject({ok: true, status: 'finished', outcome: 'passed'});
          for (const [id, count] of marks(dir)) expect(count, `${id} ran ${count} times`).toBe(ended.has(id) || !started.has(id) ? 1 : count === 2 ? 2 : 1);
          figures.resumedToPass += 1;
        } finally {
          work.remove();
        }
      });
    }
  });
});
