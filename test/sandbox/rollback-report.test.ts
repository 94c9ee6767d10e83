import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Table} from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import {afterEach, describe, expect, test} from 'vitest';
import {incidentRecordSchema} from '../../src/reporters/incident-schema.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {allNodes} from '../../src/runbook/walk.js';
import {repoRoot, runProcess, startSandbox, type Sandbox} from './helpers.js';

// `runbook report` on a real headless rollback against the sandbox.
const cli = join(repoRoot, 'bin', 'runbook.js');
const playTimeout = 240_000;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

describe('runbook report on a sandbox rollback run', () => {
  test('lists every mutates node with its approval, and holds no secret', {timeout: playTimeout}, async () => {
    sandbox = await startSandbox('report');
    const transcriptDir = join(sandbox.dir, 'runs');
    const played = await runProcess(process.execPath, [cli, 'play', 'runbooks/rollback.md', '--yes', '--env-file', sandbox.envFile, '--transcript-dir', transcriptDir, '--incident', 'INC-7']);
    expect(played.code, played.stdout + played.stderr).toBe(0);
    const [runId] = readdirSync(transcriptDir);
    const markdown = await runProcess(process.execPath, [cli, 'report', runId ?? '', '--transcript-dir', transcriptDir]);
    const json = await runProcess(process.execPath, [cli, 'report', join(transcriptDir, runId ?? ''), '--json']);
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);

    const secrets = [sandbox.env['OPS_TOKEN'] ?? '', new URL(sandbox.env['DATABASE_URL'] ?? '').password];
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(markdown.stdout).not.toContain(secret);
      expect(json.stdout).not.toContain(secret);
    }

    const record = incidentRecordSchema.parse(JSON.parse(json.stdout));
    const mutates = allNodes(parseRunbook(readFileSync(join(repoRoot, 'runbooks', 'rollback.md'), 'utf8'), 'rollback.md').runbook)
      .filter((node) => node.attributes.mutates === true).map((node) => node.id);
    expect(mutates.length).toBeGreaterThan(3);
    expect(record.mutating.map((node) => node.nodeId)).toEqual(mutates);
    for (const node of record.mutating) {
      expect(node.runs.map((run) => [run.outcome, run.approval?.who])).toEqual([['passed', 'auto']]);
      expect(markdown.stdout).toMatch(new RegExp(`^\\| \`${node.nodeId}\` \\| .* \\| 1 \\| auto \\(run\\) \\| \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\| passed \\|`, 'm'));
    }
    expect(record.incident).toBe('INC-7');
    expect(record.outcomeText).toMatch(/^passed with \d+ exceptions \(\d+ allowed failures, \d+ skipped\)$/);
    expect(record.verification).toMatchObject({verdict: 'intact', sealed: true});
    expect(played.stderr + played.stdout).toContain(`transcript head: ${record.verification.head ?? ''}`);
    expect(record.httpTargets.length).toBeGreaterThan(0);
    for (const target of record.httpTargets) expect(target.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    // it parses back as Markdown into tables whose every row has its header's cells
    const tables = unified().use(remarkParse).use(remarkGfm).parse(markdown.stdout).children.filter((node): node is Table => node.type === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(6);
    for (const table of tables) for (const row of table.children) expect(row.children.length).toBe(table.children[0]?.children.length);
    expect(tables[2]?.children.length).toBe(record.timeline.length + 1);
  });
});
