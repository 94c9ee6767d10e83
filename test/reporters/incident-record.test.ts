import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Table} from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import {afterAll, describe, expect, it} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import {buildIncidentRecord} from '../../src/reporters/incident-record.js';
import {incidentMarkdown} from '../../src/reporters/incident-markdown.js';
import {OutputTail} from '../../src/reporters/output-tail.js';
import type {TranscriptRecord} from '../../src/transcript/format.js';
import type {TranscriptItem} from '../../src/transcript/read.js';
import type {VerifyResult} from '../../src/transcript/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-record-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const source = '# R\n## 1. Only\n```sh {#flaky}\nfalse\n```\n';
const verified: VerifyResult = {ok: true, status: 'finished', runId: 'r', lines: 1, attempts: 1, outcome: 'passed', head: 'ab'.repeat(32), sealed: true, seals: [], lockOwner: undefined, problems: []};

async function* items(records: readonly TranscriptRecord[]): AsyncGenerator<TranscriptItem> {
  yield {kind: 'header', line: 1, header: {type: 'header', format: 'runbook-transcript/1', runId: 'r', runbookPath: 'r.md', runbookSha256: '0', source, engineVersion: '0', operator: 'a@b', argv: [], inputs: {}, startedAt: '2026-12-02T10:00:00.000Z', seq: 0, prev: null}};
  let seq = 1;
  for (const event of records) {
    yield {kind: 'record', entry: {line: seq + 1, seq, time: new Date(Date.parse('2026-12-02T10:00:00.000Z') + seq).toISOString(), mono: seq, attempt: 1, prev: '', event}};
    seq += 1;
  }
}

const start = (attempt: number): RunEvent => ({type: 'node-start', nodeId: 'flaky', stepId: 'only', attempt, command: 'false', mutates: false, interactive: false});
const failed = (attempt: number): RunEvent => ({type: 'node-end', nodeId: 'flaky', stepId: 'only', outcome: 'failed', attempt, exitCode: 1, signal: null, durationMs: 1, reason: 'exit code 1', captures: {}, outputCaptured: true});

describe('the incident record in bounded memory', () => {
  it('keeps the last lines of a node attempt, joining chunks split mid-line and cutting a long line', () => {
    const tail = new OutputTail(3, 10);
    tail.add('stdout', 'one\ntw');
    tail.add('stdout', 'o\nthree\n');
    tail.add('stderr', 'x'.repeat(50));
    tail.add('stderr', 'y\nfour\n');
    expect(tail.lines()).toEqual({lines: ['three', `${'x'.repeat(10)}…`, 'four'], before: 2});
  });

  it('shows the output of the first failures and counts the rest without it', async () => {
    const records: RunEvent[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) records.push(start(attempt), {type: 'output', nodeId: 'flaky', stream: 'stderr', text: `try ${attempt}\n`}, failed(attempt));
    const record = await buildIncidentRecord(join(dir, 't.jsonl'), items(records), verified, {excerptLines: 5, excerptLineLength: 100, excerpts: 2});
    expect(record.failures.map((f) => [f.try, f.excerpt])).toEqual([[1, ['try 1']], [2, ['try 2']]]);
    expect(record.failuresWithoutExcerpt).toBe(3);
    expect(record.timeline.filter((row) => row.kind === 'node')).toHaveLength(5);
  });

  it('reads the tail of a side file only inside outputs/, never a path a transcript points elsewhere', async () => {
    mkdirSync(join(dir, 'outputs'), {recursive: true});
    writeFileSync(join(dir, 'outputs', 'flaky-1.log'), `${'x'.repeat(200_000)}\nlast side line\n`);
    writeFileSync(join(dir, 'secret.txt'), 'do not read me\n');
    const ref = (file: string): TranscriptRecord => ({type: 'output-ref', nodeId: 'flaky', attempt: 1, file, bytes: 1, sha256: '0'});
    const inline: RunEvent = {type: 'output', nodeId: 'flaky', stream: 'stdout', text: 'inline line\n'};
    const inside = await buildIncidentRecord(join(dir, 't.jsonl'), items([start(1), inline, ref('outputs/flaky-1.log'), failed(1)]), verified);
    expect(inside.failures[0]?.excerpt).toEqual(['last side line']);
    expect(inside.failures[0]?.sideFile).toBe('outputs/flaky-1.log');
    const outside = await buildIncidentRecord(join(dir, 't.jsonl'), items([start(1), inline, ref('outputs/../secret.txt'), failed(1)]), verified);
    expect(outside.failures[0]?.excerpt).toEqual(['inline line']);
  });

  it('reports a hand-made record with fields of the wrong kinds as a row, without crashing or breaking a table', async () => {
    const hostile = [
      start(1),
      {type: 'node-end', nodeId: 'flaky', stepId: 'only', outcome: 'failed', attempt: 1, exitCode: '1|2', signal: null, durationMs: 'x|y', reason: 5, captures: null, outputCaptured: true},
      {type: 'decision-taken', kind: 'failure', nodeId: 'flaky', decision: 'skip', by: 'operator', items: 7},
    ] as unknown as TranscriptRecord[];
    const record = await buildIncidentRecord(join(dir, 't.jsonl'), items(hostile), verified);
    const markdown = incidentMarkdown(record);
    expect(record.timeline.map((row) => row.kind)).toEqual(['node', 'unreadable']);
    const tables = unified().use(remarkParse).use(remarkGfm).parse(markdown).children.filter((node): node is Table => node.type === 'table');
    for (const table of tables) for (const row of table.children) expect(row.children.length).toBe(table.children[0]?.children.length);
    expect(markdown).toContain('| 2026-12-02T10:00:00.001Z | 1 | 1. Only | `flaky` sh node | | failed, exit 1\\|2 | x\\|y | 5 |');
  });
});

