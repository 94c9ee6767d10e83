import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Root, RootContent, Table} from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildIncidentRecord} from '../../src/reporters/incident-record.js';
import {headingsToFill, incidentMarkdown, timelineColumns} from '../../src/reporters/incident-markdown.js';
import {incidentRecordSchema, type IncidentRecord} from '../../src/reporters/incident-schema.js';
import {readTranscriptItems} from '../../src/transcript/read.js';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {writeIncidentRunAtFixedTimes} from '../fixtures/report/incident-run.js';

// The golden incident record of a two-attempt run written through the real
// transcript writer at fixed times (test/fixtures/report/incident-run.ts).
// UPDATE_GOLDEN=1 rewrites test/fixtures/report/expected.md; review the diff.
const goldenPath = new URL('../fixtures/report/expected.md', import.meta.url);

let dir: string;
let transcript: string;
let record: IncidentRecord;
let markdown: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-report-'));
  transcript = writeIncidentRunAtFixedTimes(join(dir, 'runs'));
  record = await buildIncidentRecord(transcript, readTranscriptItems(transcript), await verifyTranscript(transcript));
  markdown = incidentMarkdown(record);
});

afterAll(() => rmSync(dir, {recursive: true, force: true}));

function parse(text: string): Root {
  return unified().use(remarkParse).use(remarkGfm).parse(text);
}

function textOf(node: RootContent): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as RootContent[]).map(textOf).join('');
  return '';
}

describe('runbook report: the incident record', () => {
  it('renders the fixture run exactly as the golden report', () => {
    if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, markdown);
    expect(markdown).toBe(readFileSync(goldenPath, 'utf8'));
  });

  it('parses back into the expected headings and well-formed tables', () => {
    const tree = parse(markdown);
    const headings = tree.children.filter((node) => node.type === 'heading' && node.depth === 2).map(textOf);
    expect(headings).toEqual(['Summary', 'Timeline', 'What changed things', 'Failures', 'Captured values', 'HTTP targets', 'Action items', ...headingsToFill]);
    const tables = tree.children.filter((node): node is Table => node.type === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(6);
    for (const table of tables) {
      const width = table.children[0]?.children.length;
      for (const row of table.children) expect(row.children.length).toBe(width);
    }
    const timelineIndex = tree.children.findIndex((node) => node.type === 'heading' && textOf(node) === 'Timeline');
    const timeline = tree.children.slice(timelineIndex).find((node): node is Table => node.type === 'table');
    expect(timeline?.children[0]?.children.map(textOf)).toEqual([...timelineColumns]);
    // one row per timeline entry (the header aside): no cell text split a row or a cell
    expect((timeline?.children.length ?? 0) - 1).toBe(record.timeline.length);
    const cells = timeline?.children.slice(1).map((row) => row.children.map(textOf)) ?? [];
    expect(cells.find((row) => row[3] === 'flush confirm: skip')?.[7]).toBe('not needed: | the old primary is *fenced*');
    expect(cells.find((row) => row[3] === 'note')?.[7]).toBe('resuming after the<br>cache came back');
  });

  it('says what the run was: outcome with its exceptions, operators per attempt, verification and head', async () => {
    expect(record.outcomeText).toBe('passed with 5 exceptions (1 allowed failure, 2 skipped, 1 marked done, 1 checklist item not applicable)');
    expect(record.attempts.map((a) => [a.attempt, a.operator, a.host, a.outcome])).toEqual([[1, 'alice', 'ops-1', 'interrupted'], [2, 'bob', 'ops-2', 'passed']]);
    const verified = await verifyTranscript(transcript);
    expect(verified.ok && verified.sealed).toBe(true);
    expect(markdown).toContain(`| Transcript head | \`sha256:${verified.head?.slice(0, 32)}\` |`);
    expect(markdown).toContain('| Verification | intact, sealed |');
  });

  it('lists every mutates node with who approved it, and what was skipped, marked done or not applicable with the reason', () => {
    expect(record.mutating.map((node) => [node.nodeId, node.runs.map((run) => [run.outcome, run.approval?.by, run.approval?.decision])])).toEqual([
      ['failover', [['passed', 'operator', 'run']]],
      ['flush', [['skipped', 'operator', 'skip']]],
    ]);
    expect(record.exceptionList.map((e) => [e.kind, e.nodeId, e.by, e.reason])).toEqual([
      ['skipped', 'flush', 'operator alice', 'not needed: | the old primary is *fenced*'],
      ['not-applicable', 'fail-over-5', 'operator bob', 'the status page is down too'],
      ['marked-done', 'verify_replication', 'operator bob', 'checked lag by hand in the console: 0s'],
      ['skipped', 'cleanup', 'engine', 'if="false" is false'],
    ]);
  });

  it('shows each failure with the tail of its output, read from the side file past the inline cap, inert', () => {
    const config = record.failures.find((f) => f.nodeId === 'read_config');
    expect(config?.sideFile).toMatch(/^outputs\/read_config-1\.log$/);
    expect(config?.excerpt.at(-1)).toBe('cat: /etc/cache/config.d: Permission denied');
    expect(config?.excerpt).toHaveLength(20);
    expect(markdown).not.toContain('\u001B');
    expect(markdown).not.toContain('\u0007');
    expect(markdown).toContain('Could not connect to | `redis` at 10.0.0.5:6379\\x1b]0;pwned\\x07');
    // a backtick run in output gets a longer fence
    expect(markdown).toContain('````text\nreplica-1: lag ``` unknown\n````');
  });

  it('keeps captured secrets masked, and lists http targets and unticked checklist items as action items', () => {
    expect(record.captures.map((c) => [c.name, c.value])).toEqual([['NEW_PRIMARY', 'replica-2'], ['TOKEN', '••••••']]);
    expect(record.httpTargets.map((t) => `${t.method} ${t.url} ${t.status}`)).toEqual(['GET https://cache.example.com/health?region=eu&tier=1 200']);
    expect(markdown).toContain('- [ ] Page the on-call DBA (checklist `fail-over-5`, step 2. Fail over: not ticked)');
    expect(record.actionItems.map((item) => item.text)).toEqual(['Page the on-call DBA']);
  });

  it('gives the same content as data that matches its schema', () => {
    const data: unknown = JSON.parse(JSON.stringify(record));
    expect(incidentRecordSchema.parse(data)).toEqual(record);
    expect(incidentRecordSchema.safeParse({...record, timeline: [{time: 1}]}).success).toBe(false);
  });
});
