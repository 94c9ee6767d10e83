// `/__sandbox/…` on the API port: modes and state for tests and the demo, and
// the backends of the stand-ins (`railway`, and the database the backfill
// scripts reach through DATABASE_URL).
import {HttpError, readJson, router, sendJson} from './http.mjs';
import {applyModes, deploy, enqueueBackfills, redeploy, serviceNames, setVariables, snapshot} from './state.mjs';

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function controlHandler(context) {
  const {state} = context;
  const match = router([
    ['GET /__sandbox/state', (_req, res) => sendJson(res, 200, {pid: process.pid, origins: context.origins, ...snapshot(state.current())})],
    ['POST /__sandbox/modes', async (req, res) => {
      const problem = applyModes(state.current(), await readJson(req));
      if (problem !== undefined) throw new HttpError(400, 'invalid_mode', problem);
      sendJson(res, 200, {modes: state.current().modes});
    }],
    ['POST /__sandbox/reset', (_req, res) => {
      state.reset();
      sendJson(res, 200, {modes: state.current().modes});
    }],
    ['GET /__sandbox/railway/services/:service/deployments', (_req, res, {params}) => {
      sendJson(res, 200, state.current().deployments[service(params)]);
    }],
    ['POST /__sandbox/railway/services/:service/deployments', async (req, res, {params}) => {
      const name = service(params);
      const {commitHash, commitMessage} = await readJson(req);
      sendJson(res, 201, deploy(state.current(), name, {
        commitHash: typeof commitHash === 'string' && commitHash !== '' ? commitHash : 'unknown',
        commitMessage: typeof commitMessage === 'string' ? commitMessage.slice(0, 200) : '',
        source: 'cli',
      }));
    }],
    ['POST /__sandbox/railway/services/:service/redeploy', (_req, res, {params}) => {
      sendJson(res, 201, redeploy(state.current(), service(params), 'redeploy'));
    }],
    ['GET /__sandbox/railway/services/:service/variables', (_req, res, {params}) => {
      sendJson(res, 200, state.current().variables[service(params)]);
    }],
    ['POST /__sandbox/railway/services/:service/variables', async (req, res, {params}) => {
      const name = service(params);
      const {set, skipDeploys} = await readJson(req);
      const values = typeof set === 'object' && set !== null ? set : {};
      for (const [key, value] of Object.entries(values)) {
        if (!variableName.test(key) || typeof value !== 'string') throw new HttpError(400, 'invalid_variable', `cannot set ${key}`);
      }
      const deployment = setVariables(state.current(), name, values, {skipDeploys: skipDeploys === true});
      sendJson(res, 200, {variables: state.current().variables[name], deployment: deployment ?? null});
    }],
    ['GET /__sandbox/db/aggregates', (req, res) => {
      requireDatabase(req);
      sendJson(res, 200, {accounts: 12840, positionsChecked: 1912334, missing: state.current().backfill.missing});
    }],
    ['POST /__sandbox/db/backfills', async (req, res) => {
      requireDatabase(req);
      const {accounts} = await readJson(req);
      if (!Array.isArray(accounts)) throw new HttpError(400, 'invalid_backfill', 'expected {"accounts": [...]}');
      sendJson(res, 201, {enqueued: enqueueBackfills(state.current(), accounts.map(String))});
    }],
  ]);

  function service(params) {
    if (!serviceNames.includes(params.service)) throw new HttpError(404, 'service_not_found', `Service "${params.service}" not found`);
    return params.service;
  }

  // The database stand-in checks DATABASE_URL's credentials, sent as Basic auth.
  function requireDatabase(req) {
    const expected = `Basic ${Buffer.from(`${context.config.database.user}:${context.config.database.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      throw new HttpError(401, 'auth_failed', `password authentication failed for user "${context.config.database.user}"`);
    }
  }

  return match;
}
