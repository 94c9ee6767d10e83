import {spawn, spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {findProcesses, startTime} from '../../src/executors/marked-processes.js';

describe.runIf(existsSync('/proc/self/stat'))('findProcesses', () => {
  it('finds a marked process that escaped the group, and passes over it when it started before the node', async () => {
    const runId = `test-${process.pid}-${Date.now()}`;
    const child = spawn('sleep', ['30'], {env: {...process.env, RUNBOOK_RUN_ID: runId, RUNBOOK_NODE_ID: 'n'}, detached: true, stdio: 'ignore'});
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const pid = child.pid ?? 0;
      const started = startTime(pid);
      expect(started).toBeTypeOf('number');
      const marker = {runId, nodeId: 'n'};
      expect(findProcesses(marker).map((found) => found.pid)).toEqual([pid]);
      const since = (start: number | undefined, firstPid = pid, ranMs = 10): {pid: number; started: number | undefined; ranMs: number} => ({pid: firstPid, started: start, ranMs});
      expect(findProcesses(marker, undefined, since(started)).map((found) => found.pid)).toEqual([pid]);
      expect(findProcesses(marker, undefined, since((started ?? 0) + 1))).toEqual([]);
      // its own group is found whatever the start
      expect(findProcesses(marker, pid, since((started ?? 0) + 1)).map((found) => found.pid)).toEqual([pid]);
      // a short node's processes have the pids allocated since its first; a long one's may have wrapped around
      spawnSync('true');
      expect(findProcesses(marker, pid, since(started, pid + 1))).toEqual([]);
      expect(findProcesses(marker, pid, since(started, pid + 1, 5000)).map((found) => found.pid)).toEqual([pid]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
