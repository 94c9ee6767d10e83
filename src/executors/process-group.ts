import {readdir, readFile} from 'node:fs/promises';
import {setTimeout as delay} from 'node:timers/promises';

// A child started with `detached: true` leads its own process group, so one
// signal to `-pid` reaches every process the node started (pipelines,
// background jobs, grandchildren), and none outlives a timeout.
export interface StopTarget {
  readonly pid: number;
  // false for interactive nodes: they stay in the terminal's foreground group
  readonly group: boolean;
  // true once the child has exited and its output pipes are closed
  readonly settled: () => boolean;
  // stops reading the pipes, which a process outside the group may hold open
  readonly abandonOutput: () => void;
}

const pollMs = 20;

export function sendSignal(target: Pick<StopTarget, 'pid' | 'group'>, signal: NodeJS.Signals): void {
  try {
    process.kill(target.group ? -target.pid : target.pid, signal);
  } catch (error) {
    // ESRCH: everything already exited
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export async function groupAlive(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return hasLivingMember(pgid);
}

// A killed grandchild stays a zombie, still in the group, until its new
// parent reaps it, and a container's PID 1 may take its time; on Linux such
// zombies do not count. Without /proc, any member counts.
async function hasLivingMember(pgid: number): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // `pid (comm) state ppid pgrp …`; comm may itself contain `) `
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z') return true;
  }
  return false;
}

const finished = async (target: StopTarget): Promise<boolean> =>
  target.settled() && (!target.group || !(await groupAlive(target.pid)));

async function finishesWithin(target: StopTarget, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!(await finished(target))) {
    const left = deadline - performance.now();
    if (left <= 0) return false;
    await delay(Math.min(pollMs, left));
  }
  return true;
}

// Sends each signal in turn, giving the target `graceMs` to finish after
// each; the last should be SIGKILL. Resolves when the child and its whole
// group are gone, or after the last grace period at worst.
export async function stopProcess(target: StopTarget, signals: readonly NodeJS.Signals[], graceMs: number): Promise<void> {
  for (const signal of signals) {
    sendSignal(target, signal);
    if (await finishesWithin(target, graceMs)) return;
  }
  target.abandonOutput();
  await finishesWithin(target, graceMs);
}
