import {appendFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readTranscript, readTranscriptItems} from '../../src/transcript/read.js';
import {rawLines, sampleRun, startTranscript, temporaryDir} from './helpers.js';

describe('readTranscript', () => {
  it('returns the header and every record with its line, in order', async () => {
    const writer = startTranscript(temporaryDir());
    const events = sampleRun(writer.runId);
    for (const event of events) writer.onEvent(event);
    writer.close();
    const transcript = await readTranscript(writer.path);
    expect(transcript.header).toMatchObject({type: 'header', runId: writer.runId, runbookPath: 'runbooks/rollback.md', operator: 'ops@laptop'});
    // every event, then the seal the writer adds when it closes
    expect(transcript.records.map((record) => record.event).slice(0, -1)).toEqual(events);
    expect(transcript.records.at(-1)?.event.type).toBe('seal');
    expect(transcript.records.map((record) => [record.line, record.seq, record.attempt])).toEqual([...events, null].map((_, index) => [index + 2, index + 1, 1]));
    expect(transcript.problems).toEqual([]);
  });

  it('reads on past damaged lines and reports them', async () => {
    const writer = startTranscript(temporaryDir());
    for (const event of sampleRun(writer.runId)) writer.onEvent(event);
    writer.close();
    const lines = rawLines(writer.path).map((line) => line.toString());
    lines[2] = '{"broken"';
    lines[3] = '{"type":"note"}';
    writeFileSync(writer.path, `${lines.join('\n')}\n`);
    appendFileSync(writer.path, '{"seq":13');
    const transcript = await readTranscript(writer.path);
    expect(transcript.records).toHaveLength(11);
    expect(transcript.problems).toEqual([
      {line: 3, message: 'not valid JSON'},
      {line: 4, message: 'not a transcript record (expected seq, time, mono, attempt, prev and event)'},
      {line: 15, message: 'incomplete last line (9 bytes without a newline): the writer stopped mid-line; resuming the run recovers it'},
    ]);
  });

  it('reports a file that is not a transcript', async () => {
    const path = join(temporaryDir(), 'notes.jsonl');
    writeFileSync(path, '{"hello":"world"}\n');
    expect(await readTranscript(path)).toEqual({
      header: undefined, records: [],
      problems: [{line: 1, message: 'not a runbook transcript header (expected {"type":"header","format":"runbook-transcript/1",…})'}],
    });
  });

  it('streams lines longer than a read chunk intact', async () => {
    const writer = startTranscript(temporaryDir());
    const text = 'x'.repeat(300_000);
    writer.onEvent({type: 'note', text, by: 'operator'});
    writer.close();
    const kinds: string[] = [];
    for await (const item of readTranscriptItems(writer.path)) {
      kinds.push(item.kind);
      if (item.kind === 'record' && item.entry.event.type !== 'seal') expect(item.entry.event).toEqual({type: 'note', text, by: 'operator'});
    }
    expect(kinds).toEqual(['header', 'record', 'record']);
  });
});
