import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {acquireRunLock, isRunLockHeld, RunLockedError} from '../../src/transcript/lock.js';
import {mode, temporaryDir} from './helpers.js';

// a lock written now: its process started before it
const lockTime = new Date().toISOString();

function writeLock(runDir: string, pid: number, host = hostname()): void {
  writeFileSync(join(runDir, 'lock'), `${JSON.stringify({pid, host, startedAt: lockTime})}\n`);
}

// The pid of a process that has already exited.
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn node');
  return child.pid;
}

describe('acquireRunLock', () => {
  it('creates the lock with pid, host and start time, and removes it on release', () => {
    const runDir = temporaryDir();
    const lock = acquireRunLock(runDir);
    expect(lock.path).toBe(join(runDir, 'lock'));
    const owner = JSON.parse(readFileSync(lock.path, 'utf8')) as Record<string, unknown>;
    expect(owner).toEqual({pid: process.pid, host: hostname(), startedAt: lock.owner.startedAt});
    expect(mode(lock.path)).toBe(0o600);
    expect(lock.staleFrom).toBeUndefined();
    expect(isRunLockHeld(runDir)).toBe(true);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    expect(isRunLockHeld(runDir)).toBe(false);
  });

  it('fails while the holder is alive, naming its pid', () => {
    const runDir = temporaryDir();
    const lock = acquireRunLock(runDir);
    expect(() => acquireRunLock(runDir)).toThrow(new RunLockedError(runDir, lock.owner));
    expect(() => acquireRunLock(runDir)).toThrow(`run ${runDir} is in use by process ${process.pid} (since ${lock.owner.startedAt}); wait for it to finish or stop it first`);
    lock.release();
    acquireRunLock(runDir).release();
  });

  it('fails while another live process holds it, and takes it over once that process is gone', async () => {
    const runDir = temporaryDir();
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'});
    const pid = holder.pid;
    if (pid === undefined) throw new Error('could not spawn node');
    try {
      writeLock(runDir, pid);
      expect(() => acquireRunLock(runDir)).toThrow(`is in use by process ${pid} `);
    } finally {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await exited;
    }
    const lock = acquireRunLock(runDir);
    expect(lock.staleFrom).toEqual({pid, host: hostname(), startedAt: lockTime});
    lock.release();
  });

  it('takes over a stale lock left by a dead process', () => {
    const runDir = temporaryDir();
    const pid = deadPid();
    writeLock(runDir, pid);
    expect(isRunLockHeld(runDir)).toBe(false);
    const lock = acquireRunLock(runDir);
    expect(lock.staleFrom?.pid).toBe(pid);
    expect((JSON.parse(readFileSync(lock.path, 'utf8')) as {pid: number}).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock whose pid now belongs to a process that started after the lock', () => {
    const runDir = temporaryDir();
    // this process is alive, but it started long after this lock was written
    writeFileSync(join(runDir, 'lock'), `${JSON.stringify({pid: process.pid, host: hostname(), startedAt: '2001-01-01T00:00:00.000Z'})}\n`);
    const lock = acquireRunLock(runDir);
    expect(lock.staleFrom).toEqual({pid: process.pid, host: hostname(), startedAt: '2001-01-01T00:00:00.000Z'});
    lock.release();
  });

  it('does not guess about a process on another host', () => {
    const runDir = temporaryDir();
    writeLock(runDir, deadPid(), 'elsewhere.example');
    expect(() => acquireRunLock(runDir)).toThrow(`on host elsewhere.example (since ${lockTime}); if that process is gone, remove ${join(runDir, 'lock')}`);
  });

  it('refuses an unreadable lock', () => {
    const runDir = temporaryDir();
    writeFileSync(join(runDir, 'lock'), '');
    expect(() => acquireRunLock(runDir)).toThrow(`run ${runDir} is locked, but its lock file cannot be read; if no other runbook process is using this run, remove ${join(runDir, 'lock')}`);
  });

  it('is released when the process exits normally without releasing it', () => {
    const runDir = temporaryDir();
    const module = new URL('../../src/transcript/lock.ts', import.meta.url).pathname;
    const script = `const {acquireRunLock} = await import(${JSON.stringify(module)}); acquireRunLock(${JSON.stringify(runDir)}); console.log(process.pid);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8'});
    expect(child.stderr).toBe('');
    expect(child.stdout).toMatch(/^\d+\n$/);
    expect(existsSync(join(runDir, 'lock'))).toBe(false);
  });

  it('lets exactly one of two processes take over a stale lock at the same instant, 100 times out of 100', async () => {
    const pid = deadPid();
    const runDirs = Array.from({length: 100}, () => {
      const runDir = temporaryDir();
      writeLock(runDir, pid);
      return runDir;
    });
    const module = new URL('../../src/transcript/lock.ts', import.meta.url).pathname;
    // each racer takes the lock of run i at start + 5·i ms, spinning to be on
    // time; the second racer starts 0, 10, …, 190 µs later, which sweeps the
    // moments at which the first may be in the middle of its takeover (five
    // sweeps, 100 pairs: the old takeover let both win in some of them)
    const script = `
      const {acquireRunLock} = await import(${JSON.stringify(module)});
      const runDirs = ${JSON.stringify(runDirs)};
      process.stdout.write('ready\\n');
      process.stdin.once('data', (data) => {
        const start = Number(String(data));
        const results = runDirs.map((runDir, index) => {
          const at = start + 5 * index + (racer === 1 ? (index % 20) * 0.01 : 0);
          while (performance.timeOrigin + performance.now() < at);
          try {
            acquireRunLock(runDir);
            return 'taken';
          } catch (error) {
            return error.message;
          }
        });
        // holds its locks until both racers are done
        process.stdout.write(JSON.stringify(results) + '\\n');
        process.stdin.once('end', () => process.exit(0));
      });`;
    const racers = [0, 1].map((racer) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const racer = ${racer};${script}`], {stdio: ['pipe', 'pipe', 'inherit']});
      let output = '';
      const ready = new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.startsWith('ready\n')) resolve();
      }));
      const done = new Promise<string[]>((resolve) => child.stdout.on('data', () => {
        if (output.endsWith(']\n')) resolve(JSON.parse(output.slice('ready\n'.length)) as string[]);
      }));
      const exited = new Promise((resolve) => child.once('close', resolve));
      return {child, ready, done, exited};
    });
    await Promise.all(racers.map((racer) => racer.ready));
    const start = Date.now() + 200;
    for (const racer of racers) racer.child.stdin.write(`${start}`);
    const [first, second] = await Promise.all(racers.map((racer) => racer.done));
    for (const racer of racers) racer.child.stdin.end();
    await Promise.all(racers.map((racer) => racer.exited));
    const pids = racers.map((racer) => racer.child.pid);
    runDirs.forEach((runDir, index) => {
      const outcomes = [first?.[index], second?.[index]];
      expect(outcomes.filter((outcome) => outcome === 'taken')).toHaveLength(1);
      const winner = pids[outcomes.indexOf('taken')];
      const refusal = outcomes.find((outcome) => outcome !== 'taken');
      expect(refusal).toMatch(new RegExp(`^run ${runDir} is in use by process ${winner} \\(since .*\\); wait for it to finish or stop it first$`));
      // the winner exited, so its lock is gone; no takeover file is left behind
      expect(readdirSync(runDir)).toEqual([]);
    });
  });
});

