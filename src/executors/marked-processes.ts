import {readdirSync, readFileSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';

// Every process a node starts carries the node's marker in its environment
// (RUNBOOK_RUN_ID, RUNBOOK_NODE_ID, set by the engine), and keeps it across
// `setsid`, double forks and re-parenting. On Linux, /proc/<pid>/environ
// shows it, so what escaped the node's process group can still be found.
// Elsewhere (no /proc) nothing is found and only the group is ended.

export interface Marker {
  readonly runId: string;
  // undefined: every node of the run
  readonly nodeId?: string;
}

export interface FoundProcess {
  readonly pid: number;
  // the command line, arguments joined by spaces (not redacted)
  readonly command: string;
  readonly nodeId: string | undefined;
}

interface ProcessEntry {
  readonly pid: number;
  readonly state: string;
  readonly group: number;
  // clock ticks after boot
  readonly started: number;
}

const pollMs = 20;

// Living (not zombie) processes other than this one that carry `marker` or,
// when `group` is given, belong to that process group.
// The node's main process, when the processes to find are its descendants
// (in its group, or carrying its marker, which is inherited).
export interface NodeStart {
  readonly pid: number;
  // its `startTime`: a process started before cannot carry the marker of a
  // node started then, so its environment is not read
  readonly started: number | undefined;
  // how long the node ran: a short node's processes have the pids allocated
  // since its main process's, unless pids wrapped around meanwhile
  readonly ranMs: number;
}

// Below this, pids cannot have wrapped around past a node's first pid
// (pid_max is 32768 at least: that many forks take longer).
const noWrapMs = 1000;

export function findProcesses(marker: Marker | undefined, group?: number, since?: NodeStart): FoundProcess[] {
  const found: FoundProcess[] = [];
  const startedSince = since?.started;
  for (const entry of processEntries(since)) {
    if (entry.pid === process.pid || entry.state === 'Z') continue;
    const inGroup = group !== undefined && entry.group === group;
    const mayCarry = marker !== undefined && (startedSince === undefined || entry.started >= startedSince);
    const environment = mayCarry ? markerOf(entry.pid) : undefined;
    const ofRun = environment !== undefined && environment.runId === marker?.runId;
    const marked = ofRun && (marker?.nodeId === undefined || environment.nodeId === marker.nodeId);
    if (!marked && !inGroup) continue;
    found.push({pid: entry.pid, command: commandLine(entry.pid), nodeId: ofRun ? environment.nodeId : undefined});
  }
  return found;
}

// SIGTERM to each, then SIGKILL to what is left after `graceMs`; resolves
// when all are gone, or after the second grace period at worst.
export async function endProcesses(pids: readonly number[], graceMs: number): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    for (const pid of pids) signalQuietly(pid, signal);
    const deadline = performance.now() + graceMs;
    while (pids.some(isLiving)) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      await delay(Math.min(pollMs, left));
    }
    if (!pids.some(isLiving)) return;
  }
}

// For paths that cannot wait (process exit): SIGKILL to every marked process.
export function killMarkedNow(marker: Marker): void {
  for (const found of findProcesses(marker)) signalQuietly(found.pid, 'SIGKILL');
}

export function isLiving(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return statOf(pid)?.state !== 'Z';
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone
  }
}

function processEntries(since?: NodeStart): ProcessEntry[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  // only the pids allocated since the node's first, when that is a range
  const last = since === undefined || since.ranMs >= noWrapMs ? undefined : lastPid();
  const newer = last !== undefined && since !== undefined && last >= since.pid;
  const entries: ProcessEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (newer && (pid < since.pid || pid > last)) continue;
    const stat = statOf(pid);
    if (stat !== undefined) entries.push(stat);
  }
  return entries;
}

// The pid most recently allocated (in this pid namespace).
function lastPid(): number | undefined {
  try {
    const pid = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8').trim());
    return Number.isSafeInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function statOf(pid: number): ProcessEntry | undefined {
  try {
    // `pid (comm) state ppid pgrp …`; comm may itself contain `) `
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {pid, state: fields[0] ?? '', group: Number(fields[2]), started: Number(fields[19])};
  } catch {
    return undefined;
  }
}

// When a process started (clock ticks after boot), for `findProcesses`;
// undefined without /proc or once it is gone.
export function startTime(pid: number): number | undefined {
  const started = statOf(pid)?.started;
  return started === undefined || Number.isNaN(started) ? undefined : started;
}

function markerOf(pid: number): {runId: string | undefined; nodeId: string | undefined} | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    // gone, or another user's
    return undefined;
  }
  let runId: string | undefined;
  let nodeId: string | undefined;
  for (const entry of environ.split('\0')) {
    if (entry.startsWith('RUNBOOK_RUN_ID=')) runId = entry.slice('RUNBOOK_RUN_ID='.length);
    else if (entry.startsWith('RUNBOOK_NODE_ID=')) nodeId = entry.slice('RUNBOOK_NODE_ID='.length);
  }
  return runId === undefined ? undefined : {runId, nodeId};
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ');
  } catch {
    return '';
  }
}
