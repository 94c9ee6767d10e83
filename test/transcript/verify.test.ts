import {appendFileSync, readFileSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {hostname} from 'node:os';
import {masked} from '../../src/engine/events.js';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {openTranscriptForAppend} from '../../src/transcript/write.js';
import {rawLines, sampleRun, sha256, startTranscript, temporaryDir, zeroCounts} from './helpers.js';

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
    const lines = rawLines(path);
    const head = sha256(lines.at(-2) ?? Buffer.alloc(0));
    expect(await verifyTranscript(path)).toEqual({
      ok: true, status: 'finished', runId: path.split('/').at(-2), lines: 14, attempts: 1, outcome: 'passed',
      head, sealed: true, seals: [{line: 14, attempt: 1, head, signature: undefined}], lockOwner: undefined, problems: [],
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
      {line: 13, severity: 'error', message: 'the seal counts 13 lines before it where there are 12: lines were removed or inserted'},
      {line: 13, severity: 'error', message: 'the seal counts 12 records in attempt 1 where there are 11: records were removed or inserted'},
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

  it('reports an output line that is no longer JSON past its start, mid-file and as the last line', async () => {
    const path = finishedRun(temporaryDir());
    // line 8 is the first output event: its text loses its closing quote
    rewriteLine(path, 8, (text) => text.replace('status: ok\\n"', 'status: ok\\n'));
    expect((await verifyTranscript(path)).problems).toEqual([
      {line: 8, severity: 'error', message: 'not valid JSON: the line was changed or damaged'},
      {line: 8, severity: 'error', message: 'does not match the hash recorded in line 9: line 8 was changed after it was written, or lines were removed or inserted here'},
    ]);
    // cut after line 8: nothing after it vouches for it
    const lines = rawLines(path);
    truncateSync(path, lines.slice(0, 8).reduce((size, line) => size + line.length + 1, 0));
    expect((await verifyTranscript(path)).problems).toEqual([
      {line: 8, severity: 'error', message: 'not valid JSON: the line was changed or damaged'},
      {line: 8, severity: 'error', message: 'not sealed after line 8: the process writing it was killed, or its last lines were cut off; the two cannot be told apart (resuming the run seals what is there)'},
    ]);
  });

  it('reports a line whose start is right but whose event is not an object, before a line that is not JSON', async () => {
    const path = finishedRun(temporaryDir());
    rewriteLine(path, 8, (text) => text.replace(/"event":\{.*\}\}$/, '"event":{"type":"output"},"x":}'));
    rewriteLine(path, 9, () => 'not json');
    expect((await verifyTranscript(path)).problems.slice(0, 2)).toEqual([
      {line: 8, severity: 'error', message: 'not valid JSON: the line was changed or damaged'},
      {line: 9, severity: 'error', message: 'not valid JSON: the line was changed or damaged'},
    ]);
  });

  it('reports a transcript cut before its seal as not sealed: a kill looks the same', async () => {
    const path = finishedRun(temporaryDir());
    const lines = rawLines(path);
    truncateSync(path, lines.slice(0, -1).reduce((size, line) => size + line.length + 1, 0));
    expect(await verifyTranscript(path)).toMatchObject({
      ok: false, status: 'finished', lines: 13, outcome: 'passed', sealed: false,
      problems: [{line: 13, severity: 'error', message: 'not sealed after line 13: the process writing it was killed, or its last lines were cut off; the two cannot be told apart (resuming the run seals what is there)'}],
    });
  });

  it('reports a torn last line', async () => {
    const path = finishedRun(temporaryDir());
    appendFileSync(path, '{"seq":14,"ti');
    expect((await verifyTranscript(path)).problems).toEqual([
      {line: 15, severity: 'error', message: 'incomplete last line (13 bytes without a newline): the writer stopped mid-line; resuming the run recovers it'},
    ]);
  });

  it('treats a run whose writer is still alive as in progress, and says the lock is trusted for nothing else', async () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir);
    for (const event of sampleRun(writer.runId, 'none')) writer.onEvent(event);
    const running = await verifyTranscript(writer.path);
    expect(running).toMatchObject({ok: true, status: 'in-progress', sealed: false, lockOwner: {pid: process.pid}});
    expect(running.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^in progress: the lock file names a live process \(pid \d+ on .+\); verify trusts the lock for nothing else: /),
    ]);
    writer.close();
    // sealed without a run-end: the writer closed, the run did not end
    expect(await verifyTranscript(writer.path)).toMatchObject({ok: true, status: 'unfinished', sealed: true, problems: []});
  });

  it('ignores a lock file that is not a lock, and still reports the cut tail', async () => {
    const path = finishedRun(temporaryDir());
    const lines = rawLines(path);
    truncateSync(path, lines.slice(0, -3).reduce((size, line) => size + line.length + 1, 0));
    writeFileSync(join(path, '..', 'lock'), 'garbage\n');
    const result = await verifyTranscript(path);
    expect(result).toMatchObject({ok: false, status: 'unfinished', sealed: false, lockOwner: undefined});
    expect(result.problems.map((problem) => problem.message)).toEqual([
      'lock cannot be read as a lock; it is ignored (verify trusts the lock only to say a run is in progress)',
      expect.stringMatching(/^not sealed after line 11: /),
    ]);
  });

  it('does not take a lock naming a process that started after it for a live writer', async () => {
    const path = finishedRun(temporaryDir());
    const lines = rawLines(path);
    truncateSync(path, lines.slice(0, -3).reduce((size, line) => size + line.length + 1, 0));
    // this test's own process is alive, but it started long after 2001
    writeFileSync(join(path, '..', 'lock'), `${JSON.stringify({pid: process.pid, host: hostname(), startedAt: '2001-01-01T00:00:00.000Z'})}\n`);
    expect(await verifyTranscript(path)).toMatchObject({ok: false, status: 'unfinished', lockOwner: undefined});
  });

  it('warns of an attempt that ended without a seal, then checks the next one', async () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir);
    for (const event of sampleRun(writer.runId, 'none').slice(0, 5)) writer.onEvent(event);
    // killed: no seal, the lock left behind by a process that is gone
    writer.lock.release();
    const resumed = openTranscriptForAppend(writer.path);
    resumed.onEvent({type: 'run-end', outcome: 'passed', durationMs: 1, counts: zeroCounts});
    resumed.close();
    expect(await verifyTranscript(writer.path)).toMatchObject({
      ok: true, sealed: true, attempts: 2,
      problems: [{line: 6, severity: 'warning', message: 'attempt 1 (lines 2–6) ended without a seal: its process was killed or lost power; its lines are chained, but only later seals anchor them'}],
    });
  });

  it('catches a changed seal, and records added after it', async () => {
    const path = finishedRun(temporaryDir());
    rewriteLine(path, 14, (text) => text.replace('"outcome":"passed"', '"outcome":"failed"'));
    expect((await verifyTranscript(path)).problems).toEqual([
      {line: 14, severity: 'error', message: 'the seal says the attempt ended failed, its records say passed'},
    ]);

    const again = finishedRun(temporaryDir());
    const last = JSON.parse(rawLines(again).at(-1)?.toString() ?? '') as {seq: number};
    appendFileSync(again, `${JSON.stringify({seq: last.seq + 1, time: '2026-12-02T10:00:00.000Z', mono: 1, attempt: 1, prev: sha256(rawLines(again).at(-1) ?? Buffer.alloc(0)), event: {type: 'note', text: 'forged', by: 'operator'}})}\n`);
    expect((await verifyTranscript(again)).problems).toEqual([
      {line: 15, severity: 'error', message: 'a record of attempt 1 after its seal on line 14: lines were added after the attempt was sealed'},
      {line: 15, severity: 'error', message: 'not sealed after line 15: the process writing it was killed, or its last lines were cut off; the two cannot be told apart (resuming the run seals what is there)'},
    ]);
  });

  it('with the expected head, catches a consistent rewrite and lines added after the head', async () => {
    const path = finishedRun(temporaryDir());
    const original = (await verifyTranscript(path)).head ?? '';
    expect(await verifyTranscript(path, {expectHead: `sha256:${original.slice(0, 32)}`})).toMatchObject({ok: true, problems: []});

    // edit the note, then recompute every prev and the seal: the chain is consistent again
    const lines = rawLines(path).map((line) => JSON.parse(line.toString()) as Record<string, unknown>);
    (lines[10]?.['event'] as {text: string}).text = 'all fine, rolled back';
    const rewritten: string[] = [JSON.stringify(lines[0])];
    for (const record of lines.slice(1)) {
      record['prev'] = sha256(rewritten.at(-1) ?? '');
      if ((record['event'] as {type: string}).type === 'seal') (record['event'] as {head: string}).head = record['prev'] as string;
      rewritten.push(JSON.stringify(record));
    }
    writeFileSync(path, `${rewritten.join('\n')}\n`);
    expect((await verifyTranscript(path)).ok).toBe(true);
    const caught = await verifyTranscript(path, {expectHead: original});
    expect(caught.ok).toBe(false);
    expect(caught.problems).toEqual([{line: undefined, severity: 'error', message: expect.stringMatching(/^does not end at the expected head sha256:[0-9a-f]{32}: it ends at sha256:[0-9a-f]{32} and no line has the expected hash, so it was rewritten \(each prev recomputed\), or cut before that head$/)}]);

    const resumed = finishedRun(temporaryDir());
    const head = (await verifyTranscript(resumed)).head ?? '';
    const writer = openTranscriptForAppend(resumed);
    writer.onEvent({type: 'note', text: 'later', by: 'operator'});
    writer.close();
    expect((await verifyTranscript(resumed, {expectHead: head})).problems).toEqual([
      {line: undefined, severity: 'error', message: `does not end at the expected head sha256:${head.slice(0, 32)}: that is the hash of line 13; it ends at sha256:${((await verifyTranscript(resumed)).head ?? '').slice(0, 32)}, so lines 14–16 were added after it (a resume adds an attempt: check the attempts)`},
    ]);
  });

  it('checks the header\'s source against its runbookSha256', async () => {
    const dir = temporaryDir();
    const changed = startTranscript(dir, {header: {runbookPath: 'r.md', runbookSha256: sha256('# Rollback\n'), source: '# Rollback, edited\n', argv: [], inputs: {}}});
    changed.onEvent({type: 'note', text: 'x', by: 'operator'});
    changed.close();
    expect((await verifyTranscript(changed.path)).problems).toEqual([
      {line: 1, severity: 'error', message: expect.stringMatching(/^the header's source does not hash to its runbookSha256 \([0-9a-f]{12}… recorded, [0-9a-f]{12}… now\): the recorded runbook text or its hash was changed$/)},
    ]);
    const maskedSource = startTranscript(temporaryDir(), {header: {runbookPath: 'r.md', runbookSha256: sha256('token: hunter2\n'), source: `token: ${masked}\n`, argv: [], inputs: {}}});
    maskedSource.onEvent({type: 'note', text: 'x', by: 'operator'});
    maskedSource.close();
    expect(await verifyTranscript(maskedSource.path)).toMatchObject({ok: true, problems: [{line: 1, severity: 'warning', message: expect.stringContaining('masked secrets')}]});
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
