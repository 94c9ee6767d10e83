import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {repoRoot, runProcess, startSandbox, type ProcessResult, type Sandbox} from './helpers.js';

// The rollback runbook, played headless by the real CLI against the sandbox.
const cli = join(repoRoot, 'bin', 'runbook.js');
const playTimeout = 240_000;

interface TranscriptEvent {
  readonly type: string;
  readonly nodeId?: string;
  readonly outcome?: string;
  readonly text?: string;
}

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function play(started: Sandbox): Promise<ProcessResult & {transcriptDir: string}> {
  const transcriptDir = join(started.dir, 'runs');
  const result = await runProcess(process.execPath, [cli, 'play', 'runbooks/rollback.md', '--yes', '--env-file', started.envFile, '--transcript-dir', transcriptDir]);
  return {...result, transcriptDir};
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function transcriptEvents(transcriptDir: string): TranscriptEvent[] {
  const [runId, ...others] = readdirSync(transcriptDir);
  expect(others).toEqual([]);
  const lines = readFileSync(join(transcriptDir, runId ?? '', 'transcript.jsonl'), 'utf8').trim().split('\n');
  return lines.slice(1).map((line) => (JSON.parse(line) as {event: TranscriptEvent}).event);
}

function expectNoSecrets(started: Sandbox, result: ProcessResult & {transcriptDir: string}): void {
  const secrets = [started.env['OPS_TOKEN'] ?? '', new URL(started.env['DATABASE_URL'] ?? '').password];
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
    for (const file of filesUnder(result.transcriptDir)) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
  }
}

const outcomes = (events: readonly TranscriptEvent[]): Record<string, string> =>
  Object.fromEntries(events.filter((event) => event.type === 'node-end').map((event) => [event.nodeId ?? '', event.outcome ?? '']));

describe('runbooks/rollback.md against the sandbox', () => {
  test('rolls the bad deploy back and exits 0', {timeout: playTimeout}, async () => {
    sandbox = await startSandbox('play-pass');
    const result = await play(sandbox);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toMatch(/transcript .*runs\/[^/]+\/transcript\.jsonl/);

    const state = await sandbox.state();
    for (const service of ['web', 'api', 'worker'] as const) expect(state.services[service].release, service).toBe('lkg');
    expect(state.variables.api['S3_STARTUP_CHECK_STRICT']).toBe('false');
    expect(state.ingestion).toBe('running');
    expect(state.replays).toMatchObject([{status: 'done', failed: 0}]);
    expect(state.backfill).toEqual({missing: 0, enqueued: 17});
    expect(state.events.map((event) => event.action)).toEqual([
      'deploy', 'deploy', 'deploy', 'variables', 'deploy', 'ingestion-pause', 'replay', 'backfill-enqueue', 'ingestion-resume',
    ]);

    const events = transcriptEvents(result.transcriptDir);
    expect(outcomes(events)).toMatchObject({
      health: 'allowed-failure', smoke_before: 'allowed-failure', dead_letters_before: 'allowed-failure', e2e_before: 'allowed-failure',
      no_trigger: 'skipped', audit_note: 'passed', redeploy_web: 'passed', redeploy_api: 'passed', redeploy_worker: 'passed',
      health_after_rollback: 'allowed-failure', relax_s3_check: 'passed', health_stable: 'passed', pause_ingestion: 'passed',
      replay: 'passed', replay_settled: 'passed', verify_backfill: 'allowed-failure', backfill_unverified: 'skipped',
      enqueue_backfills: 'passed', verify_backfill_after: 'passed', smoke: 'passed', e2e: 'passed', resume_ingestion: 'passed',
    });
    expectNoSecrets(sandbox, result);
  });

  test('exits 1 at the post-rollback smoke check when the sandbox fails it, with its output in the transcript', {timeout: playTimeout}, async () => {
    sandbox = await startSandbox('play-smoke-fail', ['smoke=fail', 'storage=ok', 'backfill=ok']);
    const result = await play(sandbox);
    expect(result.code, result.stdout + result.stderr).toBe(1);

    const events = transcriptEvents(result.transcriptDir);
    const ended = outcomes(events);
    expect(ended['smoke']).toBe('failed');
    expect(ended['relax_s3_check']).toBe('skipped');
    expect(ended['enqueue_backfills']).toBe('skipped');
    expect(ended['e2e']).toBeUndefined();
    const smokeOutput = events.filter((event) => event.type === 'output' && event.nodeId === 'smoke').map((event) => event.text ?? '').join('');
    expect(smokeOutput).toContain('✗ import: authenticated write: POST /api/imports answered 500');
    expect((await sandbox.state()).ingestion).toBe('paused');
    expectNoSecrets(sandbox, result);
  });
});
