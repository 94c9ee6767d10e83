import {appendFileSync, readFileSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {rawLines, sampleRun, startTranscript, temporaryDir, zeroCounts} from './helpers.js';

function finishedRun(dir: string, options: {outputCapBytes?: number} = {}): string {
  const writer = startTranscript(dir, options);
  for (const event of sampleRun(writer.runId)) writer.onEvent(event);
  writer.close();
  return writer.path;
}

function rewriteLine(path: string, line: number, change: (text: string) => string): void {
  const lines = rawLines(path).map((bytes) => bytes.toString('utf8'));
  lines[line - 1] = change(lines[line - 1] ?? '');
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('verifyTranscript', () => {
  it('accepts an untouched transcript', async () => {
    const path = finishedRun(temporaryDir());
    expect(await verifyTranscript(path)).toEqual({
      ok: true, status: 'finished', runId: path.split('/').at(-2), lines: 13, attempts: 1, outcome: 'passed', problems: [],
    });
  });

  it('names the line whose bytes were changed', async () => {
    const path = finishedRun(temporaryDir());
    // line 8 is the first output event: "status: ok" becomes "status: OK"
    rewriteLine(path, 8, (text) => text.replace('status: ok', 'status: OK'));
    const result = await verifyTranscript(path);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{
      line: 8, severity: 'error',
      message: 'does not match the hash recorded in line 9: line 8 was changed after it was written, or lines were removed or inserted here',
    }]);
  });

  it('notices a changed header', async () => {
    const path = finishedRun(temporaryDir());
    rewriteLine(path, 1, (text) => text.replace('"LKG_SHA":"abc1234"', '"LKG_SHA":"abc1235"'));
    expect((await verifyTranscript(path)).problems.map((problem) => problem.line)).toEqual([1]);
  });

  it('notices a removed line', async () => {
    const path = finishedRun(temporaryDir());
    const lines = rawLines(path).map((bytes) => bytes.toString('utf8'));
    lines.splice(5, 1);
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect((await verifyTranscript(path)).problems).toEqual([
      {line: 5, severity: 'error', message: 'does not match the hash recorded in line 6: line 5 was changed after it was written, or lines were removed or inserted here'},
      {line: 6, severity: 'error', message: 'seq 6 where 5 was expected: lines were removed, inserted or reordered'},
    ]);
  });

  it('reports a line that is no longer JSON', async () => {
    const path = finishedRun(temporaryDir());
    rewriteLine(path, 4, (text) => text.slice(0, -1));
    expect((await verifyTranscript(path)).problems).toEqual([
      {line: 4, severity: 'error', message: 'not valid JSON: the line was changed or damaged'},
      {line: 4, severity: 'error', message: 'does not match the hash recorded in line 5: line 4 was changed after it was written, or lines were removed or inserted here'},
    ]);
  });

  it('reports a run without a run-end as unfinished: a cut-off tail looks the same', async () => {
    const path = finishedRun(temporaryDir());
    const lines = rawLines(path);
    truncateSync(path, lines.slice(0, -1).reduce((size, line) => size + line.length + 1, 0));
    expect(await verifyTranscript(path)).toMatchObject({
      ok: false, status: 'unfinished', lines: 12, outcome: undefined,
      problems: [{line: undefined, severity: 'error', message: 'no run-end after line 12: the run stopped without finishing (a crash or a kill), or its last lines were cut off; the two cannot be told apart'}],
    });
  });

  it('reports a torn last line', async () => {
    const path = finishedRun(temporaryDir());
    appendFileSync(path, '{"seq":13,"ti');
    expect((await verifyTranscript(path)).problems).toEqual([
      {line: 14, severity: 'error', message: 'incomplete last line (13 bytes without a newline): the writer stopped mid-line; resuming the run recovers it'},
    ]);
  });

  it('treats a run whose writer is still alive as in progress', async () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir);
    for (const event of sampleRun(writer.runId, 'none')) writer.onEvent(event);
    expect(await verifyTranscript(writer.path)).toMatchObject({ok: true, status: 'in-progress', problems: []});
    writer.close();
    expect(await verifyTranscript(writer.path)).toMatchObject({ok: false, status: 'unfinished'});
  });

  it('checks side files against their recorded size and hash', async () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir, {outputCapBytes: 4});
    for (const event of sampleRun(writer.runId)) writer.onEvent(event);
    writer.close();
    const side = join(writer.runDir, 'outputs', 'health-1.log');
    expect(readFileSync(side, 'utf8')).toBe('us: ok\ntook 12ms\n');
    expect((await verifyTranscript(writer.path)).ok).toBe(true);

    writeFileSync(side, 'us: OK\ntook 12ms\n');
    const changed = await verifyTranscript(writer.path);
    expect(changed.problems).toHaveLength(1);
    expect(changed.problems[0]).toMatchObject({line: 9, severity: 'error'});
    expect(changed.problems[0]?.message).toMatch(/^side file outputs\/health-1\.log was changed: its sha256 is [0-9a-f]{64}, the transcript recorded [0-9a-f]{64}$/);

    writeFileSync(side, 'short');
    expect((await verifyTranscript(writer.path)).problems[0]?.message).toBe('side file outputs/health-1.log has 5 bytes, the transcript recorded 17');
  });

  it('warns about side files no record points at', async () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir, {outputCapBytes: 4});
    const events = sampleRun(writer.runId, 'none');
    for (const event of events.slice(0, 8)) writer.onEvent(event);
    // the process dies here: no node-end, no output-ref, no close
    writer.lock.release();
    const result = await verifyTranscript(writer.path);
    expect(result.problems.filter((problem) => problem.severity === 'warning')).toEqual([
      {line: undefined, severity: 'warning', message: 'outputs/health-1.log is not referenced by any output-ref record: the node that wrote it never ended'},
    ]);
    writer.onEvent({type: 'run-end', outcome: 'failed', durationMs: 1, counts: zeroCounts});
    writer.close();
  });
});
