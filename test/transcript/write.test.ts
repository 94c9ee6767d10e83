import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {masked, type RunEvent} from '../../src/engine/events.js';
import {Redactor} from '../../src/engine/redaction.js';
import {readTranscript, sideOutputPath} from '../../src/transcript/read.js';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {createTranscript, defaultOutputCapBytes} from '../../src/transcript/write.js';
import {filesUnder, mode, rawLines, sampleRun, sha256, startTranscript, temporaryDir, zeroCounts} from './helpers.js';

describe('createTranscript', () => {
  it('closes the transcript it opened when the header cannot be written, and leaves no run behind', () => {
    const dir = temporaryDir();
    const openFiles = (): number => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    const failing = {redactValue: (): never => {
      throw new Error('header refused');
    }} as unknown as Redactor;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(() => createTranscript({transcriptDir: dir, header: {runbookPath: 'r.md', runbookSha256: sha256('x'), source: 'x', argv: [], inputs: {}}, redactor: failing})).toThrow('header refused');
    }
    expect(openFiles()).toBe(before);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes the header line, then one chained line per event', () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir, {runId: '20261128T231502Z-3f9a1c', header: {
      runbookPath: 'runbooks/rollback.md', runbookSha256: sha256('# Rollback\n'), source: '# Rollback\n',
      argv: ['play', 'runbooks/rollback.md'], inputs: {LKG_SHA: 'abc1234'}, incident: 'INC-42',
      operator: 'ops@laptop', engineVersion: '1.2.3', startedAt: '2026-11-28T23:15:02.000Z',
    }});
    const events = sampleRun(writer.runId);
    for (const event of events) writer.onEvent(event);
    writer.close();

    expect(writer.path).toBe(join(dir, '20261128T231502Z-3f9a1c', 'transcript.jsonl'));
    const [headerLine, ...lines] = rawLines(writer.path);
    expect(headerLine?.toString()).toBe(JSON.stringify({
      type: 'header', format: 'runbook-transcript/1', runId: '20261128T231502Z-3f9a1c',
      runbookPath: 'runbooks/rollback.md', runbookSha256: sha256('# Rollback\n'), source: '# Rollback\n',
      engineVersion: '1.2.3', operator: 'ops@laptop', argv: ['play', 'runbooks/rollback.md'], inputs: {LKG_SHA: 'abc1234'},
      incident: 'INC-42', startedAt: '2026-11-28T23:15:02.000Z', seq: 0, prev: null,
    }));
    // one line per event, then the attempt's seal
    expect(lines).toHaveLength(events.length + 1);
    const seal = JSON.parse(lines.at(-1)?.toString() ?? '') as {seq: number; event: unknown};
    expect(seal.seq).toBe(events.length + 1);
    expect(seal.event).toEqual({type: 'seal', head: sha256(lines.at(-2) ?? Buffer.alloc(0)), lines: events.length + 1, records: events.length, outcome: 'passed'});
    let previousMono = 0;
    lines.slice(0, -1).forEach((line, index) => {
      const record = JSON.parse(line.toString()) as Record<string, unknown>;
      expect(Object.keys(record)).toEqual(['seq', 'time', 'mono', 'attempt', 'prev', 'event']);
      expect(record['seq']).toBe(index + 1);
      expect(record['attempt']).toBe(1);
      expect(record['event']).toEqual(events[index]);
      expect(new Date(record['time'] as string).toISOString()).toBe(record['time']);
      expect(record['mono']).toBeGreaterThanOrEqual(previousMono);
      previousMono = record['mono'] as number;
    });
  });

  it('chains every line to the exact bytes of the line before it', () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir);
    for (const event of sampleRun(writer.runId)) writer.onEvent(event);
    writer.onEvent({type: 'note', text: 'unicode ✓ and "quotes" and \\ and \u2028', by: 'operator'});
    writer.close();

    const lines = rawLines(writer.path);
    expect(JSON.parse(lines[0]?.toString() ?? '')).toMatchObject({seq: 0, prev: null});
    for (let index = 1; index < lines.length; index += 1) {
      const prev = (JSON.parse(lines[index]?.toString() ?? '') as {prev: string}).prev;
      expect(prev, `line ${index + 1}`).toBe(sha256(lines[index - 1] ?? Buffer.alloc(0)));
    }
  });

  it('makes the run directory 0700 and the transcript 0600 whatever the umask', () => {
    const dir = join(temporaryDir(), 'fresh', 'runs');
    const previous = process.umask(0o000);
    try {
      const writer = startTranscript(dir, {outputCapBytes: 4});
      writer.onEvent({type: 'node-start', nodeId: 'big', stepId: 's', attempt: 1, command: 'yes', mutates: false, interactive: false});
      writer.onEvent({type: 'output', nodeId: 'big', stream: 'stdout', text: 'more than four bytes'});
      expect(mode(join(writer.runDir, 'lock'))).toBe(0o600);
      writer.onEvent({type: 'node-end', nodeId: 'big', stepId: 's', outcome: 'passed', attempt: 1, exitCode: 0, signal: null, durationMs: 1, captures: {}, outputCaptured: true});
      writer.close();
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(dir, '..'))).toBe(0o700);
      expect(mode(writer.runDir)).toBe(0o700);
      expect(mode(writer.path)).toBe(0o600);
      expect(mode(join(writer.runDir, 'outputs'))).toBe(0o700);
      expect(mode(join(writer.runDir, 'outputs', 'big-1.log'))).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('names runs by UTC start time and random hex', () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir);
    writer.close();
    expect(writer.runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(writer.runDir).toBe(join(dir, writer.runId));
  });

  it('refuses to reuse a run id', () => {
    const dir = temporaryDir();
    startTranscript(dir, {runId: '20261128T231502Z-3f9a1c'}).close();
    expect(() => startTranscript(dir, {runId: '20261128T231502Z-3f9a1c'})).toThrow(`run 20261128T231502Z-3f9a1c already exists in ${dir}`);
  });

  it('holds the run lock until closed', () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir);
    expect(JSON.parse(readFileSync(join(writer.runDir, 'lock'), 'utf8'))).toMatchObject({pid: process.pid});
    writer.close();
    expect(existsSync(join(writer.runDir, 'lock'))).toBe(false);
    writer.close();
  });
});

describe('output past the cap', () => {
  const node = (attempt: number): RunEvent => ({type: 'node-start', nodeId: 'dump', stepId: 's', attempt, command: 'cat big', mutates: false, interactive: false});
  const end = (attempt: number): RunEvent => ({type: 'node-end', nodeId: 'dump', stepId: 's', outcome: 'failed', attempt, exitCode: 1, signal: null, durationMs: 5, captures: {}, outputCaptured: true});

  it('defaults to 64 KiB per node', () => {
    expect(defaultOutputCapBytes).toBe(65_536);
  });

  it('goes to a side file referenced, with size and hash, just before node-end', async () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir, {outputCapBytes: 100});
    const chunks = Array.from({length: 40}, (_, index) => `line ${index} é✓🚀\n`);
    writer.onEvent(node(1));
    chunks.forEach((text, index) => writer.onEvent({type: 'output', nodeId: 'dump', stream: index % 3 === 0 ? 'stderr' : 'stdout', text}));
    writer.onEvent(end(1));
    writer.onEvent({type: 'run-end', outcome: 'failed', durationMs: 5, counts: zeroCounts});
    writer.close();

    const {records} = await readTranscript(writer.path);
    const types = records.map((record) => record.event.type);
    expect(types.slice(-4)).toEqual(['output-ref', 'node-end', 'run-end', 'seal']);
    const inline = records.flatMap((record) => record.event.type === 'output' ? [record.event.text] : []).join('');
    expect(Buffer.byteLength(inline)).toBeLessThanOrEqual(100);
    const reference = records.at(-4)?.event;
    if (reference?.type !== 'output-ref') throw new Error('expected an output-ref');
    const side = readFileSync(sideOutputPath(writer.path, reference));
    expect(inline + side.toString('utf8')).toBe(chunks.join(''));
    expect(reference).toEqual({type: 'output-ref', nodeId: 'dump', attempt: 1, file: 'outputs/dump-1.log', bytes: side.length, sha256: sha256(side)});
    expect((await verifyTranscript(writer.path)).problems).toEqual([]);
  });

  it('keeps inline and side output in order when a character does not fit the cap exactly', async () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir, {outputCapBytes: 5});
    writer.onEvent(node(1));
    for (const text of ['abcd', '🚀', 'e', 'f']) writer.onEvent({type: 'output', nodeId: 'dump', stream: 'stdout', text});
    writer.onEvent(end(1));
    writer.close();
    const {records} = await readTranscript(writer.path);
    expect(records.flatMap((record) => record.event.type === 'output' ? [record.event.text] : [])).toEqual(['abcd']);
    expect(readFileSync(join(writer.runDir, 'outputs', 'dump-1.log'), 'utf8')).toBe('🚀ef');
  });

  it('starts a new side file for each attempt of the node', async () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir, {outputCapBytes: 3});
    for (const attempt of [1, 2]) {
      writer.onEvent(node(attempt));
      writer.onEvent({type: 'output', nodeId: 'dump', stream: 'stdout', text: `try ${attempt}`});
      writer.onEvent(end(attempt));
    }
    writer.close();
    const {records} = await readTranscript(writer.path);
    expect(records.flatMap((record) => record.event.type === 'output-ref' ? [record.event.file] : [])).toEqual(['outputs/dump-1.log', 'outputs/dump-2.log']);
    expect(readFileSync(join(writer.runDir, 'outputs', 'dump-2.log'), 'utf8')).toBe(' 2');
  });

  it('references a side file at run-end when the node never ended', async () => {
    const dir = temporaryDir();
    const writer = startTranscript(dir, {outputCapBytes: 3});
    writer.onEvent(node(1));
    writer.onEvent({type: 'output', nodeId: 'dump', stream: 'stdout', text: 'abcdef'});
    writer.onEvent({type: 'run-end', outcome: 'interrupted', durationMs: 1, counts: zeroCounts});
    writer.close();
    const {records} = await readTranscript(writer.path);
    expect(records.map((record) => record.event.type)).toEqual(['node-start', 'output', 'output-ref', 'run-end', 'seal']);
  });
});

describe('secrets', () => {
  const secret = 'hunter2-Secret-Value';
  const forms = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), encodeURIComponent(secret)];

  it('never reach the transcript or its side files when events pass the redactor first', () => {
    const dir = temporaryDir();
    const redactor = new Redactor([secret]);
    const header = {
      runbookPath: 'r.md', runbookSha256: sha256('x'), source: `env:\n  API_TOKEN: ${secret}\n`,
      argv: ['play', 'r.md'], inputs: {API_TOKEN: masked},
    };
    // the header's source holds the secret: the writer's redactor masks it
    const writer = createTranscript({transcriptDir: dir, header, outputCapBytes: 64, redactor});
    const output = `token=${secret} b64=${forms[1] ?? ''}\n`.repeat(6);
    writer.onEvent({type: 'node-start', nodeId: 'leak', stepId: 's', attempt: 1, command: 'echo $API_TOKEN', mutates: false, interactive: false});
    const stream = redactor.createStream();
    for (let index = 0; index < output.length; index += 7) {
      const text = stream.push(output.slice(index, index + 7));
      if (text !== '') writer.onEvent({type: 'output', nodeId: 'leak', stream: 'stdout', text});
    }
    writer.onEvent({type: 'output', nodeId: 'leak', stream: 'stdout', text: stream.flush()});
    writer.onEvent({type: 'node-end', nodeId: 'leak', stepId: 's', outcome: 'passed', attempt: 1, exitCode: 0, signal: null, durationMs: 1, captures: {}, outputCaptured: true,
      http: redactor.redactValue({method: 'GET', url: `https://api/x?token=${secret}`, status: 200, headers: {'set-cookie': 'sid=1'}, body: `{"token":"${secret}"}`, bodyTruncated: false, assertions: []})});
    // an event that skipped the engine's redaction is still masked by the writer
    writer.onEvent({type: 'note', text: `pasted ${secret} by mistake`, by: 'operator'});
    writer.close();

    const files = filesUnder(dir);
    expect(files.some((file) => file.includes('outputs'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const form of forms) expect(text.includes(form), `${form} in ${file}`).toBe(false);
    }
    expect(readFileSync(writer.path, 'utf8')).toContain(masked);
  });
});
