import {killMarkedNow} from './marked-processes.js';
import {sendSignal} from './process-group.js';

// Runs whose processes must not outlive this process, and the process
// groups of running nodes: when this process exits (a second Ctrl-C, a
// crash), they are killed.
const trackedRuns = new Set<string>();
export const liveGroups = new Set<number>();

export function trackRun(runId: string): void {
  if (trackedRuns.size === 0) process.once('exit', () => killTrackedRunsNow());
  trackedRuns.add(runId);
}

export function killTrackedRunsNow(): void {
  for (const group of liveGroups) sendSignal({pid: group, group: true}, 'SIGKILL');
  for (const runId of trackedRuns) killMarkedNow({runId});
}
