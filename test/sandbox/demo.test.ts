import {spawn} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {isAlive, makeTempDir, repoRoot, runProcess} from './helpers.js';

const demo = join(repoRoot, 'scripts', 'demo.mjs');
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, {recursive: true, force: true});
  dir = undefined;
});

test('the demo plays the rollback against the sandbox, stops it and says where the transcript is', {timeout: 240_000}, async () => {
  dir = makeTempDir('demo');
  const sandboxDir = join(dir, 'sandbox');
  const runs = join(dir, 'runs');
  const result = await runProcess(process.execPath, [demo, '--sandbox-dir', sandboxDir, '--transcript-dir', runs]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('demo: '));
  expect(lines[0]).toMatch(new RegExp(`^demo: sandbox running: api http://127\\.0\\.0\\.1:\\d+, web http://127\\.0\\.0\\.1:\\d+ \\(env file ${sandboxDir}/sandbox\\.env\\)$`));
  expect(lines.slice(1, 3)).toEqual([
    `demo: node bin/runbook.js play runbooks/rollback.md --env-file ${sandboxDir}/sandbox.env --yes --transcript-dir ${runs}`,
    'demo: sandbox stopped',
  ]);
  expect(lines[3]).toMatch(new RegExp(`^demo: transcript: ${runs}/[^/]+/transcript\\.jsonl$`));
  expect(lines).toHaveLength(4);
  expect(existsSync((lines[3] ?? '').slice('demo: transcript: '.length))).toBe(true);
  expect(existsSync(join(sandboxDir, 'server.json'))).toBe(false);
  expect(existsSync(join(sandboxDir, 'sandbox.env'))).toBe(false);
});

test('the demo stops the sandbox when it is told to stop mid-run, and exits 130', {timeout: 240_000}, async () => {
  dir = makeTempDir('demo-stop');
  const sandboxDir = join(dir, 'sandbox');
  const child = spawn(process.execPath, [demo, '--sandbox-dir', sandboxDir, '--transcript-dir', join(dir, 'runs')], {cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  let serverPid: number | undefined;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    // once the first redeploy is under way, the run is well inside the sandbox
    if (serverPid === undefined && stdout.includes('-> redeploy_web')) {
      serverPid = Number(readFileSync(join(sandboxDir, 'sandbox.pid'), 'utf8'));
      child.kill('SIGTERM');
    }
  });
  const code = await exited;
  expect(serverPid, stderr).toBeGreaterThan(0);
  expect(code, stdout + stderr).toBe(130);
  expect(stderr).toContain('demo: sandbox stopped\n');
  expect(isAlive(serverPid ?? 0)).toBe(false);
  expect(existsSync(join(sandboxDir, 'sandbox.env'))).toBe(false);
});
