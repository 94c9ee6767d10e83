import {endProcesses, findProcesses, type FoundProcess} from '../executors/marked-processes.js';
import {killGraceMs} from '../executors/types.js';

// Ends every process still carrying the run's marker, except those of the
// nodes in `keep`: `background` nodes' processes when the run ends, and, when
// a run is resumed, what an attempt whose CLI was killed (kill -9 cannot be
// caught) left running, so that nothing reruns while its original still
// runs (a finished `background` node's processes are kept: nothing reruns
// it). Resolves with what it ended.
export async function endRunProcesses(runId: string, keep: {has(nodeId: string): boolean} = new Set(), graceMs: number = killGraceMs): Promise<FoundProcess[]> {
  const found = findProcesses({runId}).filter((entry) => entry.nodeId === undefined || !keep.has(entry.nodeId));
  if (found.length > 0) await endProcesses(found.map((entry) => entry.pid), graceMs);
  return found;
}
