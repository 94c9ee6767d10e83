import {appendFileSync, readFileSync, truncateSync, statSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {readTranscript} from '../../src/transcript/read.js';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {openTranscriptForAppend} from '../../src/transcript/write.js';
import {jsonLines, rawLines, sampleRun, sha256, startTranscript, temporaryDir, zeroCounts} from './helpers.js';

function interruptedRun(dir: string): string {
  const writer = startTranscript(dir);
  for (const event of sampleRun(writer.runId, 'interrupted')) writer.onEvent(event);
  writer.close();
  return writer.path;
}

function expectChainIntact(path: string): void {
  const lines = rawLines(path);
  lines.slice(1).forEach((line, index) => {
    const record = JSON.parse(line.toString()) as {seq: number; prev: string};
    expect(record.seq, `line ${index + 2}`).toBe(index + 1);
    expect(record.prev, `line ${index + 2}`).toBe(sha256(lines[index] ?? Buffer.alloc(0)));
  });
}

describe('openTranscriptForAppend', () => {
  it('continues the chain with the next seq and attempt 2', async () => {
    const path = interruptedRun(temporaryDir());
    const before = rawLines(path).length;
    const writer = openTranscriptForAppend(path);
    expect(writer.attempt).toBe(2);
    expect(writer.recovered).toBeUndefined();
    writer.onEvent({type: 'note', text: 'resumed', by: 'engine'});
    writer.onEvent({type: 'run-end', outcome: 'passed', durationMs: 3, counts: zeroCounts});
    writer.close();

    const lines = jsonLines(path);
    // the note, the run-end, and the attempt's seal
    expect(lines.slice(before).map((line) => [line['seq'], line['attempt'], (line['event'] as {type: string}).type])).toEqual([[before, 2, 'note'], [before + 1, 2, 'run-end'], [before + 2, 2, 'seal']]);
    expectChainIntact(path);
    expect(await verifyTranscript(path)).toMatchObject({ok: true, status: 'finished', attempts: 2, outcome: 'passed', problems: []});
  });

  it('takes the attempt number from the caller', () => {
    const path = interruptedRun(temporaryDir());
    const second = openTranscriptForAppend(path, {attempt: 2});
    second.onEvent({type: 'note', text: 'second', by: 'engine'});
    second.close();
    const third = openTranscriptForAppend(path);
    expect(third.attempt).toBe(3);
    third.close();
    expect(() => openTranscriptForAppend(path, {attempt: 1})).toThrow(`${path}: attempt 1 would go back in time; the transcript is already at attempt 2`);
  });

  it('cuts away a torn last line and records it in the chain', async () => {
    const path = interruptedRun(temporaryDir());
    const clean = readFileSync(path);
    const torn = '{"seq":13,"time":"2026-11-28T23:16:00.000Z","mono":12.5,"attem';
    appendFileSync(path, torn);

    const writer = openTranscriptForAppend(path);
    expect(writer.recovered).toEqual({type: 'recovered', discardedBytes: torn.length, sha256: sha256(torn)});
    writer.onEvent({type: 'run-end', outcome: 'passed', durationMs: 3, counts: zeroCounts});
    writer.close();

    const bytes = readFileSync(path);
    expect(bytes.subarray(0, clean.length).equals(clean)).toBe(true);
    expect(bytes.includes(torn)).toBe(false);
    const {records} = await readTranscript(path);
    expect(records.slice(-3).map((record) => [record.attempt, record.event.type === 'seal' ? 'seal' : record.event])).toEqual([
      [2, {type: 'recovered', discardedBytes: torn.length, sha256: sha256(torn)}],
      [2, {type: 'run-end', outcome: 'passed', durationMs: 3, counts: zeroCounts}],
      [2, 'seal'],
    ]);
    expectChainIntact(path);
    const verified = await verifyTranscript(path);
    expect(verified.ok).toBe(true);
    expect(verified.problems).toEqual([{
      line: 15, severity: 'warning',
      message: `when the run resumed, a torn line of ${torn.length} bytes (sha256 ${sha256(torn)}) left by an interrupted write was cut away`,
    }]);
  });

  it('keeps a last line that lost only its newline', async () => {
    const path = interruptedRun(temporaryDir());
    const size = statSync(path).size;
    truncateSync(path, size - 1);
    const writer = openTranscriptForAppend(path);
    expect(writer.recovered).toBeUndefined();
    writer.onEvent({type: 'run-end', outcome: 'passed', durationMs: 3, counts: zeroCounts});
    writer.close();
    // attempt 1's seal kept (its newline restored), then attempt 2's run-end and seal
    expect(jsonLines(path).map((line) => line['seq'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expectChainIntact(path);
    expect((await verifyTranscript(path)).problems).toEqual([]);
  });

  it('continues a transcript that holds only its header', () => {
    const dir = temporaryDir();
    const first = startTranscript(dir);
    first.close();
    const writer = openTranscriptForAppend(first.path);
    writer.onEvent({type: 'note', text: 'hello', by: 'engine'});
    writer.close();
    expect(writer.runId).toBe(first.runId);
    // the first attempt recorded nothing, so it has no seal to write
    expect(jsonLines(first.path).map((line) => [line['seq'], line['attempt']])).toEqual([[0, undefined], [1, 2], [2, 2]]);
    expectChainIntact(first.path);
  });

  it('refuses a transcript whose header line is torn', () => {
    const dir = temporaryDir();
    const first = startTranscript(dir);
    first.close();
    truncateSync(first.path, 20);
    expect(() => openTranscriptForAppend(first.path)).toThrow(`${first.path}: has no complete header line; it cannot be continued`);
  });

  it('refuses while another writer holds the run', () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir);
    expect(() => openTranscriptForAppend(writer.path)).toThrow(`is in use by process ${process.pid}`);
    writer.close();
  });
});
