import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {acquireRunLock, isRunLockHeld, RunLockedError} from '../../src/transcript/lock.js';
import {mode, temporaryDir} from './helpers.js';

function writeLock(runDir: string, pid: number, host = hostname()): void {
  writeFileSync(join(runDir, 'lock'), `${JSON.stringify({pid, host, startedAt: '2026-11-28T23:15:02.000Z'})}\n`);
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
    expect(lock.staleFrom).toEqual({pid, host: hostname(), startedAt: '2026-11-28T23:15:02.000Z'});
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

  it('does not guess about a process on another host', () => {
    const runDir = temporaryDir();
    writeLock(runDir, deadPid(), 'elsewhere.example');
    expect(() => acquireRunLock(runDir)).toThrow(`on host elsewhere.example (since 2026-11-28T23:15:02.000Z); if that process is gone, remove ${join(runDir, 'lock')}`);
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
});
