import {createHash, randomBytes} from 'node:crypto';
import {closeSync, fchmodSync, linkSync, openSync, readFileSync, unlinkSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {lockFileName, privateFileMode, withPath} from './paths.js';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export interface RunLock {
  readonly path: string;
  readonly owner: LockOwner;
  // set when this lock replaced one left behind by a process that died
  readonly staleFrom?: LockOwner;
  release(): void;
}

// Another live process (or one on another host, which cannot be checked)
// is writing this run.
export class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
  // undefined when the lock file cannot be read
  constructor(readonly runDir: string, readonly owner: LockOwner | undefined) {
    super(lockedMessage(runDir, owner));
  }
}

function lockedMessage(runDir: string, owner: LockOwner | undefined): string {
  const path = join(runDir, lockFileName);
  if (owner === undefined) return `run ${runDir} is locked, but its lock file cannot be read; if no other runbook process is using this run, remove ${path}`;
  if (owner.host !== hostname()) return `run ${runDir} is in use by process ${owner.pid} on host ${owner.host} (since ${owner.startedAt}); if that process is gone, remove ${path}`;
  return `run ${runDir} is in use by process ${owner.pid} (since ${owner.startedAt}); wait for it to finish or stop it first`;
}

const held = new Set<string>();
let exitHookInstalled = false;

// One process writes a run at a time. The lock file appears with its content
// in one step (written aside, then hard-linked into place, which fails if a
// lock exists), so nobody ever reads a half-written lock. A lock whose
// process is gone from this host is stale and taken over; see `claim` for
// why two processes taking over the same stale lock cannot both win.
export function acquireRunLock(runDir: string): RunLock {
  const path = join(runDir, lockFileName);
  const owner: LockOwner = {pid: process.pid, host: hostname(), startedAt: new Date().toISOString()};
  const claimed = claim(path, `${JSON.stringify(owner)}\n`, 0);
  if (claimed.kind === 'refused') throw new RunLockedError(runDir, claimed.owner);
  const staleFrom = claimed.staleFrom;
  held.add(path);
  installExitHook();
  let released = false;
  return {
    path,
    owner,
    ...(staleFrom === undefined ? {} : {staleFrom}),
    release: () => {
      if (released) return;
      released = true;
      held.delete(path);
      const current = readRunLock(runDir);
      if (current?.kind === 'owned' && current.owner.pid === owner.pid && current.owner.startedAt === owner.startedAt) unlinkQuietly(path);
    },
  };
}

type Claim = {readonly kind: 'taken'; readonly staleFrom?: LockOwner} | {readonly kind: 'refused'; readonly owner: LockOwner | undefined};

// Takes `path` for `content`. A stale file is removed only by whoever holds
// its takeover file (named after the stale content, created exclusively the
// same way, and itself taken over the same way if its taker died), and only
// after reading, while holding it, that the stale content is still there. So
// of two processes taking over one stale lock, one removes it and links its
// own; the other either fails to create the takeover file (refused, naming
// the taker) or finds the new lock (refused, naming its holder).
function claim(path: string, content: string, depth: number): Claim {
  let staleFrom: LockOwner | undefined;
  for (let tries = 0; ; tries += 1) {
    if (createExclusive(path, content)) return staleFrom === undefined ? {kind: 'taken'} : {kind: 'taken', staleFrom};
    const text = readText(path);
    if (text === undefined) {
      // removed between our attempt and the read: try again
      if (tries < 5) continue;
      throw new Error(`cannot take the lock ${path}: it keeps changing`);
    }
    const current = parseLock(text);
    if (current.kind === 'unreadable' || isAlive(current.owner)) return {kind: 'refused', owner: current.kind === 'unreadable' ? undefined : current.owner};
    if (depth >= 3 || tries >= 5) throw new Error(`cannot take the lock ${path}: it keeps changing`);
    const takeover = `${path}.takeover-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    const taken = claim(takeover, content, depth + 1);
    if (taken.kind === 'refused') return taken;
    try {
      if (readText(path) === text) unlinkQuietly(path);
    } finally {
      unlinkQuietly(takeover);
    }
    staleFrom = current.owner;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export type LockState = {readonly kind: 'owned'; readonly owner: LockOwner} | {readonly kind: 'unreadable'};

export function readRunLock(runDir: string): LockState | undefined {
  const text = readText(join(runDir, lockFileName));
  return text === undefined ? undefined : parseLock(text);
}

function parseLock(text: string): LockState {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.startedAt === 'string') {
      return {kind: 'owned', owner: {pid: value.pid as number, host: value.host, startedAt: value.startedAt}};
    }
  } catch {
    // fall through
  }
  return {kind: 'unreadable'};
}

// Whether a live process holds the run's lock (a stale lock does not count).
export function isRunLockHeld(runDir: string): boolean {
  const current = readRunLock(runDir);
  return current !== undefined && (current.kind === 'unreadable' || isAlive(current.owner));
}

// A process on another host cannot be checked, so it counts as alive. A
// zombie (killed, not yet reaped by its parent) is dead.
export function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return !isZombie(owner.pid) && !startedAfter(owner);
}

// A pid the system gave to a newer process since the lock was written: that
// process started after the lock did, so it cannot be the one that took it.
function startedAfter(owner: LockOwner): boolean {
  const started = processStartTime(owner.pid);
  const locked = Date.parse(owner.startedAt);
  return started !== undefined && Number.isFinite(locked) && started > locked + 2000;
}

// Milliseconds since the epoch; undefined where /proc cannot tell. Measured
// as the process's age on the clock since boot (its start and the uptime,
// both from /proc), taken back from now: /proc/stat's boot time is the wall
// clock at boot, which is wrong by every step the clock made since.
function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after `(comm)`: state is the 3rd field, starttime the 22nd
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    if (!Number.isFinite(ticks) || !Number.isFinite(uptime)) return undefined;
    // /proc counts in USER_HZ, which Linux fixes at 100 for user space
    return Date.now() - (uptime - ticks / 100) * 1000;
  } catch {
    return undefined;
  }
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: `pid (comm) state …`; comm may contain spaces and parentheses
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

function createExclusive(path: string, content: string): boolean {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const fd = openSync(aside, 'wx', privateFileMode);
  try {
    fchmodSync(fd, privateFileMode);
    writeSync(fd, content);
  } catch (error) {
    unlinkQuietly(aside);
    throw withPath(error, path);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(aside);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

// Locks are released when the process exits normally, even if nobody called release().
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const path of held) unlinkQuietly(path);
    held.clear();
  });
}
