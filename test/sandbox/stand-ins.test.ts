import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {runProcess, startSandbox, type ProcessResult, type Sandbox} from './helpers.js';

let sandbox: Sandbox;
let appDir: string;

beforeAll(async () => {
  sandbox = await startSandbox('stand-ins');
  appDir = sandbox.env['APP_DIR'] ?? '';
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.reset();
});

const railway = (...args: string[]): Promise<ProcessResult> => runProcess('railway', args, {env: sandbox.childEnv});
const node = (script: string, env: Record<string, string> = {}, args: string[] = []): Promise<ProcessResult> =>
  runProcess(process.execPath, [join(appDir, 'scripts', script), ...args], {env: {...sandbox.childEnv, ...env}});

async function rollBack(...services: ('web' | 'api' | 'worker')[]): Promise<void> {
  const {lkgSha} = await sandbox.state();
  for (const service of services) {
    await sandbox.control('POST', `/__sandbox/railway/services/${service}/deployments`, {commitHash: lkgSha, commitMessage: 'rollback'});
  }
}

describe('railway stand-in', () => {
  test('is first on PATH and says what it is', async () => {
    expect(await railway('--version')).toEqual({code: 0, stdout: 'railway 4.10.0 (runbook sandbox stand-in)\n', stderr: ''});
  });

  test('deployment list shows the ids, statuses and commits of a service, as text and JSON', async () => {
    const {services} = await sandbox.state();
    const [bad, lkg] = services.api.deployments;
    expect(await railway('deployment', 'list', '--service', 'api', '--limit', '10')).toEqual({code: 0, stderr: '', stdout: [
      'Recent deployments for api (production):',
      `  ${bad?.id} | SUCCESS  | ${bad?.createdAt} | ${bad?.meta.commitHash.slice(0, 7)} Rotate session cookie signing and enforce the strict S3 startup check (#418)`,
      `  ${lkg?.id} | REMOVED  | ${lkg?.createdAt} | ${lkg?.meta.commitHash.slice(0, 7)} Batch position imports in chunks of 500 (#412)`,
      '',
    ].join('\n')});
    const json = await railway('deployment', 'ls', '--service', 'worker', '--json');
    expect(JSON.parse(json.stdout)).toEqual(services.worker.deployments);
    expect((await railway('deployment', 'list', '--service', 'api', '--limit', '1')).stdout.split('\n')).toHaveLength(3);
  });

  test('up deploys the commit checked out at PATH and prints the build', async () => {
    const {lkgSha} = await sandbox.state();
    const worktree = join(sandbox.env['TMPDIR'] ?? '', 'lkg-up');
    execFileSync('git', ['-C', appDir, 'worktree', 'add', '--detach', worktree, lkgSha], {stdio: 'ignore'});
    try {
      const up = await railway('up', worktree, '--service', 'api', '--ci');
      const state = await sandbox.state();
      const deployment = state.services.api.deployments[0];
      expect(state.services.api).toMatchObject({release: 'lkg', commitHash: lkgSha});
      expect(deployment?.meta).toEqual({commitHash: lkgSha, commitMessage: 'Batch position imports in chunks of 500 (#412)', branch: 'main', source: 'cli'});
      expect(up).toEqual({code: 0, stderr: '', stdout: [
        'Indexed',
        'Compressed [====================] 100%',
        'Uploaded',
        `  Build Logs: https://railway.com/project/kezilu/service/api?id=${deployment?.id}`,
        '',
        `[build] using Railpack for api (commit ${lkgSha.slice(0, 7)})`,
        '[build] npm ci',
        '[build] npm run build --workspace api',
        '[build] Build completed',
        'Deploy complete',
        '',
      ].join('\n')});
    } finally {
      execFileSync('git', ['-C', appDir, 'worktree', 'remove', '--force', worktree]);
    }
  });

  test('variables --set changes a variable and redeploys the service; --kv lists them', async () => {
    const set = await railway('variables', '--service', 'api', '--set', 'S3_STARTUP_CHECK_STRICT=false');
    const state = await sandbox.state();
    expect(set).toEqual({code: 0, stderr: '', stdout: [
      'Set variables S3_STARTUP_CHECK_STRICT on api',
      `Triggered a redeploy of api: https://railway.com/project/kezilu/service/api?id=${state.services.api.deployments[0]?.id}`,
      '',
    ].join('\n')});
    expect(state.services.api.deployments).toHaveLength(3);
    expect(await railway('variables', '--service', 'api', '--kv')).toEqual({code: 0, stderr: '', stdout: [
      'NODE_ENV=production', 'S3_STARTUP_CHECK_STRICT=false', 'CSRF_PROTECTION=enabled', 'SESSION_COOKIE_SECURE=true', '',
    ].join('\n')});
    await railway('variables', '--service', 'worker', '--set', 'QUEUE_MAX_ATTEMPTS=3', '--skip-deploys');
    expect((await sandbox.state()).services.worker.deployments).toHaveLength(2);
  });

  test('status shows the live deployment of each service', async () => {
    const {services} = await sandbox.state();
    const line = (name: 'web' | 'api' | 'worker'): string =>
      `Service: ${name.padEnd(7)} SUCCESS  ${services[name].commitHash.slice(0, 7)}  ${services[name].deployments[0]?.id}`;
    expect(await railway('status')).toEqual({code: 0, stderr: '', stdout: ['Project: kezilu', 'Environment: production', line('web'), line('api'), line('worker'), ''].join('\n')});
  });

  test('fails like the real CLI on mistakes', async () => {
    expect(await railway('up', appDir)).toEqual({code: 1, stdout: '',
      stderr: 'No service found. Please link one via `railway link` or specify one via the `--service` flag.\n'});
    expect(await railway('deployment', 'list', '--service', 'db')).toEqual({code: 1, stdout: '', stderr: 'Service "db" not found.\n'});
    expect(await railway('rollback')).toEqual({code: 2, stdout: '', stderr: "error: unrecognized subcommand 'rollback'\n"});
    expect(await railway('up', '--service', 'api', '--force')).toEqual({code: 2, stdout: '', stderr: "error: unexpected argument '--force' found\n"});
    expect(await railway('redeploy', '--service', 'api')).toEqual({code: 1, stdout: '', stderr: 'Cannot prompt for confirmation in a non-interactive terminal; pass --yes\n'});
    const {SANDBOX_ORIGIN: _origin, ...withoutSandbox} = sandbox.childEnv;
    expect(await runProcess('railway', ['status'], {env: withoutSandbox})).toEqual({code: 1, stdout: '',
      stderr: 'Unauthorized. Please login with `railway login` (the sandbox stand-in needs SANDBOX_ORIGIN)\n'});
  });
});

describe('smoke_post_deploy.mjs', () => {
  const smoke = (): Promise<ProcessResult> => node('smoke_post_deploy.mjs', {SMOKE_API_BASE_URL: sandbox.env['API_ORIGIN'] ?? '', RELEASE_REQUIRED_API_ORIGIN: sandbox.env['API_ORIGIN'] ?? ''});

  test('fails on health and auth against the bad release', async () => {
    const {badSha} = await sandbox.state();
    const release = badSha.slice(0, 7);
    expect(await smoke()).toEqual({code: 1, stderr: 'smoke: FAILED: 2 failed, 2 skipped, 1 passed\n', stdout: [
      `smoke: ${sandbox.env['API_ORIGIN']} (release ${release})`,
      `✗ health: GET /health answered 503 {"status":"failing","release":"${release}","checks":{"database":"ok","storage":"failing","queue":"failing","sessions":"failing"}}`,
      '✓ auth: sign up a throwaway account',
      '✗ auth: session cookie accepted: GET /api/auth/session answered 401 {"error":"session_invalid","detail":"session cookie signature rejected"}',
      '- import: authenticated write (skipped: needs "auth: session cookie accepted")',
      '- auth: sign out ends the session (skipped: needs "auth: session cookie accepted")',
      '',
    ].join('\n')});
  });

  test('passes after the rollback, and fails on the authenticated write when told to', async () => {
    const {lkgSha} = await sandbox.state();
    await rollBack('api');
    await sandbox.setModes({storage: 'ok'});
    const passed = [
      `smoke: ${sandbox.env['API_ORIGIN']} (release ${lkgSha.slice(0, 7)})`,
      '✓ health',
      '✓ auth: sign up a throwaway account',
      '✓ auth: session cookie accepted',
    ];
    expect(await smoke()).toEqual({code: 0, stderr: '', stdout: [...passed, '✓ import: authenticated write', '✓ auth: sign out ends the session', 'smoke: 5 passed', ''].join('\n')});

    await sandbox.setModes({smoke: 'fail'});
    expect(await smoke()).toEqual({code: 1, stderr: 'smoke: FAILED: 1 failed, 0 skipped, 4 passed\n', stdout: [
      ...passed,
      '✗ import: authenticated write: POST /api/imports answered 500 {"error":"import_failed","detail":"insert into positions violates not-null constraint \\"positions_opening_id\\""}',
      '✓ auth: sign out ends the session',
      '',
    ].join('\n')});
  });

  test('refuses to run against an origin other than the release requires', async () => {
    const result = await node('smoke_post_deploy.mjs', {SMOKE_API_BASE_URL: sandbox.env['API_ORIGIN'] ?? '', RELEASE_REQUIRED_API_ORIGIN: 'https://api.kezilu.com'});
    expect(result).toEqual({code: 2, stdout: '', stderr: `smoke: refusing to run: SMOKE_API_BASE_URL is ${sandbox.env['API_ORIGIN']} but this release requires https://api.kezilu.com\n`});
    expect(await node('smoke_post_deploy.mjs', {SMOKE_API_BASE_URL: ''})).toEqual({code: 2, stdout: '', stderr: 'smoke: SMOKE_API_BASE_URL is not set\n'});
  });
});

describe('backfill scripts', () => {
  const display = (): string => {
    const url = new URL(sandbox.env['DATABASE_URL'] ?? '');
    return `postgres://kezilu:***@${url.host}/kezilu`;
  };

  test('verify:backfill exits 1 in strict mode while aggregates are missing, 0 once the backfills ran', async () => {
    const header = [`verify:backfill: checking ${display()} (strict)`, 'verify:backfill: 12840 accounts, 1912334 positions'];
    expect(await node('verify_backfill.mjs', {BACKFILL_VERIFY_STRICT: 'true'})).toEqual({code: 1,
      stderr: 'verify:backfill: FAILED: 17 accounts need a targeted backfill (npm run backfill:enqueue -- --missing-only)\n',
      stdout: [...header,
        '✗ positions aggregates missing for 9 accounts: acc_10231, acc_10257, acc_10283, …',
        '✗ openings aggregates missing for 8 accounts: acc_10244, acc_10270, acc_10296, …',
        ''].join('\n')});

    expect(await node('enqueue_backfills.mjs', {}, ['--missing-only'])).toEqual({code: 0, stderr: '', stdout: [
      `backfill:enqueue: ${display()}`,
      'backfill:enqueue: enqueued 17 targeted backfills (positions: 9, openings: 8)',
      '',
    ].join('\n')});
    expect((await sandbox.state()).backfill).toEqual({missing: 0, enqueued: 17});

    expect(await node('verify_backfill.mjs', {BACKFILL_VERIFY_STRICT: 'true'})).toEqual({code: 0, stderr: '', stdout: [
      ...header, '✓ positions aggregates complete', '✓ openings aggregates complete', 'verify:backfill: OK', '',
    ].join('\n')});
  });

  test('verify:backfill only warns without strict mode', async () => {
    const result = await node('verify_backfill.mjs', {BACKFILL_VERIFY_STRICT: ''});
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').at(-2)).toBe('verify:backfill: WARNING: 17 accounts need a targeted backfill (set BACKFILL_VERIFY_STRICT=true to fail)');
  });

  test('npm run verify:backfill passes the exit code on, so the runbook can tell missing data (1) from no verification (2)', async () => {
    const run = (env: Record<string, string>): Promise<ProcessResult> =>
      runProcess('npm', ['--prefix', appDir, 'run', '--silent', 'verify:backfill'], {env: {...sandbox.childEnv, BACKFILL_VERIFY_STRICT: 'true', ...env}});
    expect((await run({})).code).toBe(1);
    const url = new URL(sandbox.env['DATABASE_URL'] ?? '');
    url.password = 'wrong';
    expect(await run({DATABASE_URL: url.href})).toMatchObject({code: 2, stderr: 'verify:backfill: cannot verify: password authentication failed for user "kezilu"\n'});
    expect(await run({DATABASE_URL: ''})).toMatchObject({code: 2, stderr: 'verify:backfill: cannot verify: DATABASE_URL is not set\n'});
  });

  test('backfill:enqueue refuses a full backfill', async () => {
    expect(await node('enqueue_backfills.mjs')).toEqual({code: 2, stdout: '', stderr: [
      'usage: npm run backfill:enqueue -- --missing-only | --account=ID [--account=ID …]',
      'backfill:enqueue: refusing a full backfill; choose --missing-only or --account=ID',
      '',
    ].join('\n')});
  });
});

describe('e2e.mjs (the Playwright stand-in)', () => {
  const e2e = (): Promise<ProcessResult> => node('e2e.mjs', {PLAYWRIGHT_BASE_URL: sandbox.env['WEB_ORIGIN'] ?? ''}, ['--project=chromium']);
  const titles = [
    '[chromium] › home.spec.ts › web and api serve the same release',
    '[chromium] › auth.spec.ts › sign up lands on the dashboard',
    '[chromium] › auth.spec.ts › session survives a reload',
    '[chromium] › import.spec.ts › CSV import completes and shows the analysis',
    '[chromium] › export.spec.ts › CSV export downloads',
    '[chromium] › auth.spec.ts › sign out ends the session',
  ];

  test('fails on the auth journey against the bad release', async () => {
    expect(await e2e()).toEqual({code: 1, stderr: '', stdout: [
      '',
      'Running 6 tests using 1 worker',
      '',
      `  ✓  1 ${titles[0]}`,
      `  ✘  2 ${titles[1]}`,
      ...titles.slice(2).map((title, index) => `  -  ${index + 3} ${title}`),
      '',
      `  1) ${titles[1]}`,
      '',
      '    Error: expected the dashboard, was redirected to /login',
      '',
      '  1 failed',
      `    ${titles[1]}`,
      '  4 did not run',
      '  1 passed',
      '',
    ].join('\n')});
  });

  test('passes once web and api run the last known good release; e2e=fail breaks the dashboard', async () => {
    await rollBack('web', 'api');
    expect(await e2e()).toEqual({code: 0, stderr: '', stdout: [
      '', 'Running 6 tests using 1 worker', '', ...titles.map((title, index) => `  ✓  ${index + 1} ${title}`), '', '  6 passed', '',
    ].join('\n')});

    await sandbox.setModes({e2e: 'fail'});
    const failed = await e2e();
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`  ✘  2 ${titles[1]}`);
    expect(failed.stdout).toContain('    Error: expected heading "Your analyses" to be visible: GET /app answered 500');
  });

  test('a web release that differs from the api release fails the first test', async () => {
    await rollBack('api');
    const result = await e2e();
    const {badSha, lkgSha} = await sandbox.state();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`    Error: web runs ${badSha.slice(0, 7)}, api runs ${lkgSha.slice(0, 7)}\n`);
  });
});
