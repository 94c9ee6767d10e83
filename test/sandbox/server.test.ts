import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {eventually, request, startSandbox, type Sandbox} from './helpers.js';

let sandbox: Sandbox;
let api: string;
let web: string;
let ops: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox('server');
  api = sandbox.env['API_ORIGIN'] ?? '';
  web = sandbox.env['WEB_ORIGIN'] ?? '';
  ops = {authorization: `Bearer ${sandbox.env['OPS_TOKEN'] ?? ''}`};
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.reset();
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}): ReturnType<typeof request> =>
  request(url, {method: 'POST', body: JSON.stringify(body), headers: {'content-type': 'application/json', ...headers}});

async function rollBack(...services: ('web' | 'api' | 'worker')[]): Promise<void> {
  const {lkgSha} = await sandbox.state();
  for (const service of services) {
    await sandbox.control('POST', `/__sandbox/railway/services/${service}/deployments`, {commitHash: lkgSha, commitMessage: 'rollback'});
  }
}

describe('GET /health', () => {
  test('starts failing: the bad release reports its failing checks', async () => {
    const {badSha} = await sandbox.state();
    const health = await request(`${api}/health`);
    expect(health.status).toBe(503);
    expect(health.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(health.json).toEqual({status: 'failing', release: badSha.slice(0, 7), checks: {database: 'ok', storage: 'failing', queue: 'failing', sessions: 'failing'}});
  });

  test('after the rollback the strict S3 startup check fails until it is relaxed, then storage is degraded', async () => {
    const {lkgSha} = await sandbox.state();
    const release = lkgSha.slice(0, 7);
    await rollBack('api');
    expect(await request(`${api}/health`)).toMatchObject({status: 503, json: {status: 'failing', release, checks: {database: 'ok', storage: 'failing', queue: 'ok', sessions: 'ok'}}});

    await sandbox.control('POST', '/__sandbox/railway/services/api/variables', {set: {S3_STARTUP_CHECK_STRICT: 'false'}});
    expect(await request(`${api}/health`)).toMatchObject({status: 200, json: {status: 'ok', release, checks: {database: 'ok', storage: 'degraded', queue: 'ok', sessions: 'ok'}}});

    await sandbox.setModes({storage: 'ok'});
    expect(await request(`${api}/health`)).toMatchObject({status: 200, json: {status: 'ok', release, checks: {database: 'ok', storage: 'ok', queue: 'ok', sessions: 'ok'}}});
  });

  test('health=ok and health=failing override the release', async () => {
    await sandbox.setModes({health: 'ok'});
    expect(await request(`${api}/health`)).toMatchObject({status: 200, json: {status: 'ok'}});
    await rollBack('api');
    await sandbox.setModes({health: 'failing', storage: 'ok'});
    expect(await request(`${api}/health`)).toMatchObject({status: 503, json: {status: 'failing', checks: {storage: 'failing'}}});
  });

  test('health=slow answers only after slowMs, with what the release reports', async () => {
    await sandbox.setModes({health: 'slow', slowMs: '300'});
    const started = performance.now();
    const health = await request(`${api}/health`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(health).toMatchObject({status: 503, json: {status: 'failing'}});
  });

  test('slowMs is bounded', async () => {
    const response = await post(`${api}/__sandbox/modes`, {slowMs: '600000'});
    expect(response).toMatchObject({status: 400, json: {error: 'invalid_mode', detail: 'slowMs must be a whole number of milliseconds up to 60000'}});
  });
});

describe('ops API', () => {
  test('requires the ops bearer token', async () => {
    for (const headers of [{}, {authorization: 'Bearer wrong'}, {authorization: sandbox.env['OPS_TOKEN'] ?? ''}]) {
      expect(await request(`${api}/api/ops/dead-letters`, {headers})).toMatchObject({
        status: 401, json: {error: 'unauthorized', detail: 'expected Authorization: Bearer <ops token>'},
      });
    }
    expect(await post(`${api}/api/ops/ingestion/pause`, {})).toMatchObject({status: 401});
  });

  test('dead letters grow with every read while the broken worker runs and ingestion is on', async () => {
    const first = await request(`${api}/api/ops/dead-letters?limit=2`, {headers: ops});
    expect(first.status).toBe(200);
    const body = first.json as {count: number; byJobType: Record<string, number>; items: {id: string; jobType: string; attempts: number; payloadRef: string}[]};
    expect(body.count).toBe(45);
    expect(body.byJobType).toEqual({'import.openings': 15, 'export.csv': 15, 'import.positions': 15});
    expect(body.items.map((item) => [item.id, item.jobType, item.attempts, item.payloadRef])).toEqual([
      ['dl_00001', 'import.openings', 5, 's3://kezilu-imports/payloads/000001.json'],
      ['dl_00002', 'export.csv', 5, 's3://kezilu-imports/payloads/000002.json'],
    ]);
    expect(await request(`${api}/api/ops/dead-letters`, {headers: ops})).toMatchObject({json: {count: 48}});

    expect(await post(`${api}/api/ops/ingestion/pause`, {reason: 'rollback'}, ops)).toMatchObject({status: 200, json: {ingestion: 'paused', reason: 'rollback'}});
    expect(await request(`${api}/api/ops/dead-letters`, {headers: ops})).toMatchObject({json: {count: 48}});
    expect(await request(`${api}/api/ops/queue/stats`, {headers: ops})).toMatchObject({json: {ingestion: 'paused', waiting: 0, deadLetters: {count: 48, addedSinceReplay: null}, lastReplay: null}});

    expect(await post(`${api}/api/ops/ingestion/resume`, {}, ops)).toMatchObject({status: 200, json: {ingestion: 'running', reason: null}});
    await rollBack('worker');
    expect(await request(`${api}/api/ops/dead-letters`, {headers: ops})).toMatchObject({json: {count: 48}});
  });

  test('a replay after the worker is rolled back settles with every job succeeded', async () => {
    await rollBack('worker');
    const replay = await post(`${api}/api/ops/dead-letters/replay`, {all: true, from: 'source-payload'}, ops);
    expect(replay.status).toBe(202);
    expect(replay.json).toMatchObject({replayed: 42, status: 'running'});
    const replayId = (replay.json as {replayId: string}).replayId;
    expect(replayId).toMatch(/^rp_[0-9a-f]{8}$/);
    const settled = await eventually(async () => {
      const stats = await request(`${api}/api/ops/queue/stats`, {headers: ops});
      const body = stats.json as {lastReplay: {status: string}};
      return body.lastReplay.status === 'done' ? body : undefined;
    });
    expect(settled).toMatchObject({deadLetters: {count: 0, addedSinceReplay: 0}, lastReplay: {id: replayId, status: 'done', replayed: 42, succeeded: 42, failed: 0}});
  });

  test('with replay=poison the replayed jobs land in the dead-letter queue again', async () => {
    await rollBack('worker');
    await sandbox.setModes({replay: 'poison'});
    await post(`${api}/api/ops/dead-letters/replay`, {jobTypes: ['export.csv']}, ops);
    const settled = await eventually(async () => {
      const body = (await request(`${api}/api/ops/queue/stats`, {headers: ops})).json as {lastReplay: {status: string}};
      return body.lastReplay.status === 'done' ? body : undefined;
    });
    expect(settled).toMatchObject({deadLetters: {count: 42, addedSinceReplay: 14}, lastReplay: {replayed: 14, succeeded: 0, failed: 14}});
  });

  test('a replay needs a selection', async () => {
    expect(await post(`${api}/api/ops/dead-letters/replay`, {}, ops)).toMatchObject({status: 400, json: {error: 'invalid_selection'}});
    expect(await request(`${api}/api/ops/dead-letters/replay`, {method: 'POST', headers: ops, body: 'not json'})).toMatchObject({status: 400, json: {error: 'invalid_json'}});
  });
});

describe('auth, imports, analysis and exports', () => {
  test('the bad release rejects sessions; the last known good one serves the whole journey', async () => {
    const signup = await post(`${api}/api/auth/signup`, {email: 'a@kezilu.test', password: 'correct horse'});
    expect(signup.status).toBe(201);
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^kz_session=[\w-]+$/);
    expect(await request(`${api}/api/auth/session`, {headers: {cookie}})).toMatchObject({status: 401, json: {error: 'session_invalid'}});

    await rollBack('api');
    const session = await request(`${api}/api/auth/session`, {headers: {cookie}});
    expect(session).toMatchObject({status: 200, json: {user: {email: 'a@kezilu.test'}}});
    const csrf = (signup.json as {csrfToken: string}).csrfToken;
    expect(await post(`${api}/api/imports`, {source: 'csv'}, {cookie})).toMatchObject({status: 403, json: {error: 'csrf_mismatch'}});
    const created = await post(`${api}/api/imports`, {source: 'csv', rows: [{}, {}]}, {cookie, 'x-csrf-token': csrf});
    expect(created).toMatchObject({status: 201, json: {status: 'completed', games: 2, positions: 160}});
    const id = (created.json as {id: string}).id;
    expect(await request(`${api}/api/analysis/${id}`, {headers: {cookie}})).toMatchObject({status: 200, json: {importId: id, openings: [{eco: 'C50'}, {eco: 'B20'}]}});
    const csv = await request(`${api}/api/exports/${id}.csv`, {headers: {cookie}});
    expect(csv.status).toBe(200);
    expect(csv.text).toBe(`game_id,eco,result\n${id}-1,C50,1-0\n${id}-2,B20,0-1\n`);
    expect((await request(`${api}/api/auth/logout`, {method: 'POST', headers: {cookie}})).status).toBe(204);
    expect(await request(`${api}/api/auth/session`, {headers: {cookie}})).toMatchObject({status: 401, json: {error: 'unauthenticated'}});
  });

  test('an unauthenticated write is refused; smoke=fail breaks authenticated writes', async () => {
    expect(await post(`${api}/api/imports`, {source: 'csv'})).toMatchObject({status: 401, json: {error: 'unauthenticated'}});
    await rollBack('api');
    await sandbox.setModes({smoke: 'fail'});
    const signup = await post(`${api}/api/auth/signup`, {email: 'b@kezilu.test', password: 'correct horse'});
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = (signup.json as {csrfToken: string}).csrfToken;
    expect(await post(`${api}/api/imports`, {source: 'csv'}, {cookie, 'x-csrf-token': csrf})).toMatchObject({
      status: 500, json: {error: 'import_failed', detail: 'insert into positions violates not-null constraint "positions_opening_id"'},
    });
  });
});

describe('web', () => {
  test('the home page announces its release and API origin; /app needs a valid session', async () => {
    const {badSha, lkgSha} = await sandbox.state();
    const home = await request(`${web}/`);
    expect(home.status).toBe(200);
    expect(home.text).toContain(`<meta name="release" content="${badSha.slice(0, 7)}">\n<meta name="api-origin" content="${api}">`);
    expect(await request(`${web}/app`)).toMatchObject({status: 302});

    await rollBack('web', 'api');
    expect((await request(`${web}/`)).text).toContain(`<meta name="release" content="${lkgSha.slice(0, 7)}">`);
    const signup = await post(`${api}/api/auth/signup`, {email: 'c@kezilu.test', password: 'correct horse'});
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const app = await request(`${web}/app`, {headers: {cookie}});
    expect(app.status).toBe(200);
    expect(app.text).toContain('<h1>Your analyses</h1>');
    await sandbox.setModes({e2e: 'fail'});
    expect(await request(`${web}/app`, {headers: {cookie}})).toMatchObject({status: 500});
  });
});

describe('control and stand-in backends', () => {
  test('state records deployments, variables, replays and ingestion changes', async () => {
    await rollBack('api');
    await sandbox.control('POST', '/__sandbox/railway/services/api/variables', {set: {S3_STARTUP_CHECK_STRICT: 'false'}});
    await post(`${api}/api/ops/ingestion/pause`, {reason: 'test'}, ops);
    await post(`${api}/api/ops/dead-letters/replay`, {ids: ['dl_00001']}, ops);
    const state = await sandbox.state();
    expect(state.events.map((event) => [event.action, event.service ?? null])).toEqual([
      ['deploy', 'api'], ['variables', 'api'], ['deploy', 'api'], ['ingestion-pause', null], ['replay', null],
    ]);
    expect(state.services.api.deployments.map((deployment) => deployment.status)).toEqual(['SUCCESS', 'REMOVED', 'REMOVED', 'REMOVED']);
    expect(state.services.api.release).toBe('lkg');
    expect(state.variables.api['S3_STARTUP_CHECK_STRICT']).toBe('false');
    expect(state.replays).toMatchObject([{replayed: 1}]);
    expect(state.ingestion).toBe('paused');
  });

  test('the database stand-in checks the credentials of DATABASE_URL', async () => {
    const url = new URL(sandbox.env['DATABASE_URL'] ?? '');
    const basic = (password: string): string => `Basic ${Buffer.from(`${url.username}:${password}`).toString('base64')}`;
    expect(await request(`${api}/__sandbox/db/aggregates`, {headers: {authorization: basic('nope')}})).toMatchObject({
      status: 401, json: {error: 'auth_failed', detail: 'password authentication failed for user "kezilu"'},
    });
    const aggregates = await request(`${api}/__sandbox/db/aggregates`, {headers: {authorization: basic(url.password)}});
    expect(aggregates).toMatchObject({status: 200, json: {accounts: 12840}});
    expect((aggregates.json as {missing: unknown[]}).missing).toHaveLength(17);
    await sandbox.setModes({backfill: 'ok'});
    expect(await request(`${api}/__sandbox/db/aggregates`, {headers: {authorization: basic(url.password)}})).toMatchObject({json: {missing: []}});
  });

  test('unknown paths and methods answer 404 and 405', async () => {
    expect(await request(`${api}/nope`)).toMatchObject({status: 404, json: {error: 'not_found'}});
    expect(await request(`${api}/health`, {method: 'DELETE'})).toMatchObject({status: 405, json: {error: 'method_not_allowed'}});
    expect(await request(`${api}/__sandbox/railway/services/db/deployments`)).toMatchObject({status: 404, json: {error: 'service_not_found'}});
    expect((await request(`${web}/nope`)).status).toBe(404);
  });
});
