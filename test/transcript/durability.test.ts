import * as fs from 'node:fs';
import {describe, expect, it, vi} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import {startTranscript, temporaryDir, zeroCounts} from './helpers.js';

vi.mock('node:fs', async (original) => {
  const actual = await original<typeof fs>();
  return {...actual, fsyncSync: vi.fn(actual.fsyncSync)};
});

const nodeEvents = (nodeId: string, mutates: boolean): RunEvent[] => [
  {type: 'node-start', nodeId, stepId: 's', attempt: 1, command: 'true', mutates, interactive: false},
  {type: 'output', nodeId, stream: 'stdout', text: 'ok\n'},
  {type: 'node-end', nodeId, stepId: 's', outcome: 'passed', attempt: 1, exitCode: 0, signal: null, durationMs: 1, captures: {}, outputCaptured: true},
];

// The durability rule of docs/reliability.md, as fsync calls per event.
describe('transcript durability', () => {
  it('fsyncs before a node that mutates starts, when it ends and at each decision, and not for a read-only node', () => {
    const writer = startTranscript(temporaryDir());
    const fsync = vi.mocked(fs.fsyncSync);
    const syncs = (event: RunEvent): number => {
      fsync.mockClear();
      writer.onEvent(event);
      return fsync.mock.calls.length;
    };
    expect(nodeEvents('read', false).map(syncs)).toEqual([0, 0, 0]);
    expect(syncs({type: 'decision-taken', kind: 'confirm', nodeId: 'write', stepId: 's', decision: 'run', by: 'operator'})).toBe(1);
    expect(nodeEvents('write', true).map(syncs)).toEqual([1, 0, 1]);
    expect(nodeEvents('read-again', false).map(syncs)).toEqual([0, 0, 0]);
    expect(syncs({type: 'run-end', outcome: 'passed', durationMs: 5, counts: zeroCounts})).toBe(1);
    fsync.mockClear();
    writer.close();
    // the seal, and everything before it, is made durable when the transcript closes
    expect(fsync.mock.calls.length).toBeGreaterThanOrEqual(1);
  });
});
