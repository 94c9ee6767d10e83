import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {build} from 'esbuild';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildIncidentRecord} from '../../src/reporters/incident-record.js';
import {readTranscriptItems} from '../../src/transcript/read.js';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {runId, writeIncidentRunAtFixedTimes} from '../fixtures/report/incident-run.js';
import {runCli} from './run-cli.js';

// `runbook replay` without a terminal, through the built CLI (run
// `node scripts/build.mjs` first): the report's timeline, one line a row.

let dir: string;
let transcript: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-replay-cli-'));
  transcript = writeIncidentRunAtFixedTimes(join(dir, 'runs'));
});

afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('runbook replay without a terminal', () => {
  it('prints the report’s timeline, one line per row, for a transcript path, a run directory or a run id', async () => {
    const record = await buildIncidentRecord(transcript, readTranscriptItems(transcript), await verifyTranscript(transcript));
    const outputs: string[] = [];
    for (const args of [[transcript], [dirname(transcript)], [runId, '--transcript-dir', join(dir, 'runs')]]) {
      const result = await runCli(['replay', ...args], {cwd: dir});
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^runbook: replay of .*transcript\.jsonl: transcript intact sha256:[0-9a-f]{32}; nothing runs\n$/);
      outputs.push(result.stdout);
    }
    expect(new Set(outputs).size).toBe(1);
    const lines = (outputs[0] ?? '').trimEnd().split('\n');
    expect(lines.length).toBe(record.timeline.length);
    expect(lines.map((line) => line.split(' · ')[0])).toEqual(record.timeline.map((entry) => entry.time));
    expect(outputs[0]).toMatchInlineSnapshot(`
      "2026-12-02T10:15:00.000Z · attempt 1 · attempt 1 started (live) · operator alice (alice@ops-1)
      2026-12-02T10:15:00.100Z · attempt 1 · 1. Check the primary · step started
      2026-12-02T10:15:00.200Z · attempt 1 · 1. Check the primary · ping sh node · failed, exit 1 · 1.2s · exit code 1
      2026-12-02T10:15:01.400Z · attempt 1 · 1. Check the primary · ping retry · engine · retry 1 of 1 in 2s
      2026-12-02T10:15:03.400Z · attempt 1 · 1. Check the primary · ping sh node, try 2 · passed · 300ms
      2026-12-02T10:15:03.800Z · attempt 1 · 1. Check the primary · read_config sh node · allowed-failure, exit 3 · 600ms · exit code 3
      2026-12-02T10:15:04.400Z · attempt 1 · 1. Check the primary · step ended · done · 4.3s · a node failed and was allowed to
      2026-12-02T10:15:04.500Z · attempt 1 · 2. Fail over · step started
      2026-12-02T10:15:16.500Z · attempt 1 · 2. Fail over · failover confirm: run · operator alice · 12.0s
      2026-12-02T10:15:16.500Z · attempt 1 · 2. Fail over · failover sh node · operator alice · passed · 3.0s
      2026-12-02T10:15:39.500Z · attempt 1 · 2. Fail over · flush confirm: skip · operator alice · 20.0s · not needed: | the old primary is *fenced*
      2026-12-02T10:15:39.500Z · attempt 1 · 2. Fail over · flush sh node · operator alice · skipped · skipped by the operator: not needed: | the old primary is *fenced*
      2026-12-02T10:15:39.600Z · attempt 1 · 2. Fail over · token sh node · passed · 400ms
      2026-12-02T10:15:40.100Z · attempt 1 · 2. Fail over · probe http node · interrupted · 5.0s · interrupted by the operator
      2026-12-02T10:15:45.100Z · attempt 1 · 2. Fail over · probe interruption: the node stops
      2026-12-02T10:15:48.100Z · attempt 1 · 2. Fail over · probe failure: quit · operator alice · 3.0s
      2026-12-02T10:15:48.100Z · attempt 1 · attempt 1 ended · interrupted · 47.5s · quit by the operator
      2026-12-02T10:25:48.200Z · attempt 2 · attempt 2 resumed (live) · operator bob (bob@ops-2)
      2026-12-02T10:25:48.200Z · attempt 2 · note · operator bob · resuming after the ⏎ cache came back
      2026-12-02T10:25:48.300Z · attempt 2 · 2. Fail over · step started
      2026-12-02T10:25:48.400Z · attempt 2 · 2. Fail over · probe http node · passed, HTTP 200 · 200ms
      2026-12-02T10:26:18.600Z · attempt 2 · 2. Fail over · fail-over-5 checklist: done · operator bob · 1 ticked, 1 not applicable · 30.0s
      2026-12-02T10:26:18.600Z · attempt 2 · 2. Fail over · fail-over-5 checklist node · operator bob · passed
      2026-12-02T10:26:18.600Z · attempt 2 · 2. Fail over · step ended · done · 30.5s
      2026-12-02T10:26:18.700Z · attempt 2 · 3. Clean up · step started
      2026-12-02T10:26:18.800Z · attempt 2 · 3. Clean up · verify_replication sh node · failed, exit 2 · 1.0s · exit code 2
      2026-12-02T10:26:59.800Z · attempt 2 · 3. Clean up · verify_replication failure: mark-done · operator bob · 40.0s · checked lag by hand in the console: 0s
      2026-12-02T10:26:59.800Z · attempt 2 · 3. Clean up · verify_replication sh node · operator bob · marked-done · marked done: checked lag by hand in the console: 0s
      2026-12-02T10:26:59.800Z · attempt 2 · 3. Clean up · cleanup sh node · skipped · if="false" is false
      2026-12-02T10:26:59.800Z · attempt 2 · 3. Clean up · step ended · done · 41.1s
      2026-12-02T10:26:59.900Z · attempt 2 · attempt 2 ended · passed · 1m 12s
      "
    `);
  });

  it('is a known command: a missing RUN is asked for, never answered with "Did you mean play?"', async () => {
    const result = await runCli(['replay'], {cwd: dir});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'run'");
    expect(result.stderr).not.toContain('Did you mean');
  });

  it('exits 2 naming the run when there is no transcript', async () => {
    const result = await runCli(['replay', join(dir, 'nowhere')], {cwd: dir});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^runbook: .*nowhere: no transcript there/);
  });
});

describe('what replay can reach', () => {
  it('never imports an executor or the engine’s run loop: the modules it bundles are read-only', async () => {
    const result = await build({entryPoints: ['src/commands/replay.ts'], bundle: true, write: false, platform: 'node', format: 'esm', metafile: true, packages: 'external', logLevel: 'silent'});
    const modules = Object.keys(result.metafile.inputs);
    expect(modules).toContain('src/ui/replay-store.ts');
    // the kinds' descriptors say how to read a block; executors and their loaders stay out
    const readOnly = (path: string): boolean => /^src\/executors\/kinds\/(index|kind|body-problems|[\w-]+\/(descriptor|request|template-warnings))\.ts$/.test(path);
    expect(modules.filter((path) => (path.startsWith('src/executors/') && !readOnly(path)) || /^src\/engine\/(run|session)\.ts$/.test(path))).toEqual([]);
    expect(modules.filter((path) => path.startsWith('src/engine/')).sort()).toEqual([
      'src/engine/events.ts', 'src/engine/node-settings.ts', 'src/engine/outcomes.ts', 'src/engine/redaction.ts', 'src/engine/run-state.ts',
      'src/engine/secret-encodings.ts', 'src/engine/secret-names.ts', 'src/engine/secret-search.ts', 'src/engine/secret-view.ts', 'src/engine/status-marks.ts',
    ]);
    // nor a module that spawns or connects
    for (const external of Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((entry) => entry.path))) {
      expect(['node:child_process', 'child_process', 'node:net', 'node:http', 'node:https', 'undici', 'execa']).not.toContain(external);
    }
  });
});
