import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {incidentRecordSchema} from '../../src/reporters/incident-schema.js';
import {runId, writeIncidentRunAtFixedTimes} from '../fixtures/report/incident-run.js';
import {runCli} from './run-cli.js';

// `runbook report` through the built CLI (run `node scripts/build.mjs` first).
const golden = readFileSync(new URL('../fixtures/report/expected.md', import.meta.url), 'utf8');

let dir: string;
let transcript: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-report-cli-'));
  transcript = writeIncidentRunAtFixedTimes(join(dir, 'runs'));
});

afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('runbook report', () => {
  it('prints the incident record for a transcript path, a run directory or a run id', async () => {
    for (const args of [[transcript], [dirname(transcript)], [runId, '--transcript-dir', join(dir, 'runs')]]) {
      const result = await runCli(['report', ...args], {cwd: dir});
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(golden);
    }
  });

  it('writes --out FILE and prints nothing', async () => {
    const out = join(dir, 'postmortem.md');
    const result = await runCli(['report', transcript, '--out', out], {cwd: dir});
    expect(result).toEqual({code: 0, stdout: '', stderr: ''});
    expect(readFileSync(out, 'utf8')).toBe(golden);
  });

  it('prints the same content as JSON that matches the exported schema', async () => {
    const result = await runCli(['report', transcript, '--json'], {cwd: dir});
    expect(result.code).toBe(0);
    const record = incidentRecordSchema.parse(JSON.parse(result.stdout));
    expect(record.runId).toBe(runId);
    expect(record.outcomeText).toMatch(/^passed with 5 exceptions/);
    expect(record.verification).toMatchObject({verdict: 'intact', sealed: true});
  });

  it('exits 2 naming the run when there is no transcript, without a stack trace', async () => {
    const missing = await runCli(['report', join(dir, 'nowhere')], {cwd: dir});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`runbook: ${join(dir, 'nowhere')}: no transcript there; give the path of a transcript.jsonl, a run directory or a run id (like 20261202T101500Z-3fa9c2)\n`);
    const unknownId = await runCli(['report', '20261202T101500Z-000000', '--transcript-dir', join(dir, 'runs')], {cwd: dir});
    expect(unknownId.code).toBe(2);
    expect(unknownId.stderr).toContain('20261202T101500Z-000000: no run with that id in');
    const notTranscript = join(dir, 'notes.jsonl');
    writeFileSync(notTranscript, '{"hello":1}\n');
    const wrong = await runCli(['report', notTranscript], {cwd: dir});
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`runbook: ${notTranscript}: not a runbook transcript: its first line is not a transcript header; give the path of a transcript.jsonl\n`);
    for (const result of [missing, unknownId, wrong]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming --out when it cannot be written', async () => {
    const directory = join(dir, 'a-directory');
    mkdirSync(directory);
    for (const [out, why] of [[join(dir, 'no-such-dir', 'r.md'), 'no such file or directory (ENOENT)'], [directory, 'it is a directory (EISDIR)']] as const) {
      const result = await runCli(['report', transcript, '--out', out], {cwd: dir});
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`runbook: ${out}: cannot write the report (${why}); give --out a file you can write\n`);
    }
  });
});
