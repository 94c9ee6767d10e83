import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {cliPath, isAlive, makeTempDir, repoRoot, runProcess, startSandbox, type Sandbox} from './helpers.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('sandbox/cli.mjs start', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox('cli');
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  test('writes a dotenv file with absolute paths and every variable the rollback runbook needs', async () => {
    const state = await sandbox.state();
    const {env} = sandbox;
    expect(Object.keys(env)).toEqual([
      'API_ORIGIN', 'WEB_ORIGIN', 'APP_DIR', 'LKG_SHA', 'WEB_DEPLOYMENT_ID', 'API_DEPLOYMENT_ID', 'WORKER_DEPLOYMENT_ID',
      'OPS_TOKEN', 'DATABASE_URL', 'SANDBOX_ORIGIN', 'TMPDIR', 'PATH',
    ]);
    expect(env['API_ORIGIN']).toBe(state.origins.api);
    expect(env['WEB_ORIGIN']).toBe(state.origins.web);
    expect(env['API_ORIGIN']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env['WEB_ORIGIN']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env['SANDBOX_ORIGIN']).toBe(env['API_ORIGIN']);
    expect(env['APP_DIR']).toBe(join(sandbox.dir, 'app'));
    expect(env['TMPDIR']).toBe(join(sandbox.dir, 'tmp'));
    expect(env['PATH']).toBe(`${join(repoRoot, 'sandbox', 'bin')}${delimiter}${process.env['PATH'] ?? ''}`);
    expect(env['OPS_TOKEN']).toMatch(/^sbx_ops_[0-9a-f]{32}$/);
    expect(env['DATABASE_URL']).toMatch(new RegExp(`^postgres://kezilu:[\\w-]{16}@127\\.0\\.0\\.1:${new URL(state.origins.api).port}/kezilu$`));
    expect(env['LKG_SHA']).toBe(state.lkgSha);
    for (const service of ['web', 'api', 'worker'] as const) {
      const id = env[`${service.toUpperCase()}_DEPLOYMENT_ID`];
      expect(id).toMatch(uuid);
      expect(state.services[service].deployments.find((deployment) => deployment.id === id)?.meta.commitHash).toBe(state.lkgSha);
    }
  });

  test('keeps its files private and records the server pid', async () => {
    const state = await sandbox.state();
    expect(statSync(sandbox.envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(sandbox.dir, 'sandbox.pid'), 'utf8')).toBe(`${state.pid}\n`);
    expect(readFileSync(sandbox.envFile, 'utf8').split('\n')[0]).toMatch(/^# runbook sandbox \(pid \d+\), written by `node sandbox\/cli\.mjs start` at /);
  });

  test('makes the app checkout a git repository: the last known good commit, then the bad release', async () => {
    const state = await sandbox.state();
    const git = (...args: string[]): string => execFileSync('git', ['-C', sandbox.env['APP_DIR'] ?? '', ...args], {encoding: 'utf8'}).trim();
    expect(git('log', '--format=%H %s')).toBe([
      `${state.badSha} Rotate session cookie signing and enforce the strict S3 startup check (#418)`,
      `${state.lkgSha} Batch position imports in chunks of 500 (#412)`,
    ].join('\n'));
    expect(git('status', '--porcelain')).toBe('');
    expect(state.services.api.commitHash).toBe(state.badSha);
  });

  test('status describes the bad deploy', async () => {
    const state = await sandbox.state();
    const status = await runProcess(process.execPath, [cliPath, 'status', '--dir', sandbox.dir]);
    const bad = state.badSha.slice(0, 7);
    expect(status).toEqual({code: 0, stderr: '', stdout: [
      `sandbox: running (pid ${state.pid})`,
      `  api  ${state.origins.api}`,
      `  web  ${state.origins.web}`,
      '  modes  health=auto smoke=pass e2e=pass backfill=missing storage=failing replay=ok slowMs=15000',
      `  web    ${bad} (bad), 2 deployments`,
      `  api    ${bad} (bad), 2 deployments`,
      `  worker ${bad} (bad), 2 deployments`,
      '  S3_STARTUP_CHECK_STRICT (api)  true',
      `  ingestion running, dead letters ${state.queue.deadLetters.count}, replays 0, missing aggregates 17`,
      '',
    ].join('\n')});
  });

  test('set switches modes and rejects unknown ones with exit 2', async () => {
    const set = await runProcess(process.execPath, [cliPath, 'set', 'smoke=fail', 'slowMs=250', '--dir', sandbox.dir]);
    expect(set).toEqual({code: 0, stderr: '', stdout: 'sandbox: health=auto smoke=fail e2e=pass backfill=missing storage=failing replay=ok slowMs=250\n'});
    expect((await sandbox.state()).modes['smoke']).toBe('fail');

    const unknownKey = await runProcess(process.execPath, [cliPath, 'set', 'colour=red', '--dir', sandbox.dir]);
    expect(unknownKey).toEqual({code: 2, stdout: '', stderr: 'sandbox: unknown mode `colour`, expected one of health, smoke, e2e, backfill, storage, replay, slowMs\n'});
    const unknownValue = await runProcess(process.execPath, [cliPath, 'set', 'health=sideways', '--dir', sandbox.dir]);
    expect(unknownValue).toEqual({code: 2, stdout: '', stderr: 'sandbox: unknown value `sideways` for health, expected one of auto, ok, failing, slow\n'});
    expect((await sandbox.state()).modes['health']).toBe('auto');
  });
});

describe('sandbox/cli.mjs lifecycle', () => {
  test('stop ends the server it started and removes the env file; a second stop says it is not running', async () => {
    const sandbox = await startSandbox('stop');
    const {pid} = await sandbox.state();
    expect(isAlive(pid)).toBe(true);
    const stopped = await runProcess(process.execPath, [cliPath, 'stop', '--dir', sandbox.dir]);
    expect(stopped).toEqual({code: 0, stdout: 'sandbox: stopped\n', stderr: ''});
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(sandbox.envFile)).toBe(false);
    expect(existsSync(join(sandbox.dir, 'sandbox.pid'))).toBe(false);
    expect(await runProcess(process.execPath, [cliPath, 'stop', '--dir', sandbox.dir])).toEqual({code: 0, stdout: 'sandbox: not running\n', stderr: ''});
    expect(await runProcess(process.execPath, [cliPath, 'status', '--dir', sandbox.dir])).toEqual({code: 1, stdout: 'sandbox: not running\n', stderr: ''});
    await sandbox.stop();
  });

  test('start in a directory that already runs a sandbox replaces it with a fresh one', async () => {
    const sandbox = await startSandbox('restart', ['health=ok']);
    const first = await sandbox.state();
    expect(first.modes['health']).toBe('ok');
    const again = await runProcess(process.execPath, [cliPath, 'start', '--dir', sandbox.dir]);
    expect(again.code).toBe(0);
    expect(isAlive(first.pid)).toBe(false);
    const status = await runProcess(process.execPath, [cliPath, 'status', '--json', '--dir', sandbox.dir]);
    const second = JSON.parse(status.stdout) as {running: boolean; pid: number; modes: Record<string, string>};
    expect(second.running).toBe(true);
    expect(second.pid).not.toBe(first.pid);
    expect(second.modes['health']).toBe('auto');
    await sandbox.stop();
    expect(isAlive(second.pid)).toBe(false);
  });

  test('usage mistakes exit 2 without starting anything', async () => {
    const dir = makeTempDir('usage');
    expect(await runProcess(process.execPath, [cliPath, 'launch', '--dir', dir])).toMatchObject({code: 2, stdout: ''});
    expect((await runProcess(process.execPath, [cliPath, 'launch', '--dir', dir])).stderr.split('\n')[0]).toBe('sandbox: unknown command launch');
    expect((await runProcess(process.execPath, [cliPath, 'start', 'storage=maybe', '--dir', dir])).stderr)
      .toBe('sandbox: unknown value `maybe` for storage, expected one of ok, failing\n');
    expect(existsSync(join(dir, 'sandbox.env'))).toBe(false);
    const set = await runProcess(process.execPath, [cliPath, 'set', 'health=ok', '--dir', dir]);
    expect(set).toEqual({code: 1, stdout: '', stderr: `sandbox: no sandbox is running in ${dir}; start one with \`node sandbox/cli.mjs start\`\n`});
  });
});
