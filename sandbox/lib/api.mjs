// The stand-in for https://api.kezilu.com: health, auth sessions, imports,
// analysis and exports (what the smoke and E2E scripts use), and the ops API.
import {randomBytes} from 'node:crypto';
import {setTimeout as delay} from 'node:timers/promises';
import {bearer, cookies, HttpError, readJson, router, sendJson, sendText} from './http.mjs';
import {
  advanceQueue, currentDeployment, deadLetterReport, healthReport, limits, queueStats, releaseOf, remember, setIngestion, startReplay,
} from './state.mjs';

const sessionCookie = 'kz_session';

export function apiHandler(context) {
  const {state} = context;
  const match = router([
    ['GET /health', health],
    ['GET /api/release', release],
    ['POST /api/auth/signup', signup],
    ['POST /api/auth/login', login],
    ['GET /api/auth/session', session],
    ['POST /api/auth/refresh', refresh],
    ['POST /api/auth/logout', logout],
    ['POST /api/imports', createImport],
    ['GET /api/analysis/:id', analysis],
    ['GET /api/exports/:file', exportCsv],
    ['GET /api/ops/dead-letters', deadLetters],
    ['POST /api/ops/dead-letters/replay', replay],
    ['GET /api/ops/queue/stats', stats],
    ['POST /api/ops/ingestion/pause', (req, res) => ingestion(req, res, 'paused')],
    ['POST /api/ops/ingestion/resume', (req, res) => ingestion(req, res, 'running')],
  ]);

  async function health(req, res) {
    if (state.current().modes.health === 'slow') {
      const aborted = new AbortController();
      res.on('close', () => aborted.abort());
      try {
        await delay(state.current().modes.slowMs, undefined, {signal: aborted.signal});
      } catch {
        return;
      }
    }
    const report = healthReport(state.current());
    sendJson(res, report.code, report.body);
  }

  function release(_req, res) {
    const current = currentDeployment(state.current(), 'api');
    sendJson(res, 200, {service: 'api', release: current.meta.commitHash.slice(0, 7), commitHash: current.meta.commitHash, deploymentId: current.id});
  }

  async function signup(req, res) {
    const {email, password} = await readJson(req);
    if (typeof email !== 'string' || !email.includes('@') || typeof password !== 'string' || password.length < 8) {
      throw new HttpError(400, 'invalid_signup', 'expected an email and a password of at least 8 characters');
    }
    const users = state.current().users;
    if (users.has(email)) throw new HttpError(409, 'email_taken');
    const user = {id: `usr_${randomBytes(6).toString('hex')}`, email, password};
    remember(users, email, user, limits.sessions);
    startSession(res, 201, user);
  }

  async function login(req, res) {
    const {email, password} = await readJson(req);
    const user = state.current().users.get(String(email));
    if (user === undefined || user.password !== password) throw new HttpError(401, 'invalid_credentials');
    startSession(res, 200, user);
  }

  function startSession(res, status, user) {
    const token = randomBytes(18).toString('base64url');
    const csrfToken = randomBytes(12).toString('hex');
    remember(state.current().sessions, token, {user, csrfToken, expiresAt: Date.now() + 7 * 24 * 3600_000}, limits.sessions);
    sendJson(res, status, {user: {id: user.id, email: user.email}, csrfToken}, {'set-cookie': `${sessionCookie}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax`});
  }

  function session(req, res) {
    const found = requireSession(req);
    sendJson(res, 200, {user: {id: found.user.id, email: found.user.email}, expiresAt: new Date(found.expiresAt).toISOString()});
  }

  function refresh(req, res) {
    const found = requireSession(req);
    state.current().sessions.delete(found.token);
    startSession(res, 200, found.user);
  }

  function logout(req, res) {
    const token = cookies(req)[sessionCookie];
    if (token !== undefined) state.current().sessions.delete(token);
    res.writeHead(204, {'set-cookie': `${sessionCookie}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`});
    res.end();
  }

  async function createImport(req, res) {
    const found = requireSession(req);
    if (req.headers['x-csrf-token'] !== found.csrfToken) throw new HttpError(403, 'csrf_mismatch', 'missing or wrong x-csrf-token');
    const body = await readJson(req);
    if (state.current().modes.smoke === 'fail') {
      throw new HttpError(500, 'import_failed', 'insert into positions violates not-null constraint "positions_opening_id"');
    }
    const games = Array.isArray(body.rows) && body.rows.length > 0 ? body.rows.length : 3;
    const created = {id: `imp_${randomBytes(6).toString('hex')}`, owner: found.user.id, source: String(body.source ?? 'csv'), games, positions: games * 80};
    remember(state.current().imports, created.id, created, limits.imports);
    sendJson(res, 201, {id: created.id, status: 'completed', games: created.games, positions: created.positions});
  }

  function ownImport(req, id) {
    const found = requireSession(req);
    const item = state.current().imports.get(id);
    if (item === undefined || item.owner !== found.user.id) throw new HttpError(404, 'import_not_found');
    return item;
  }

  function analysis(req, res, {params}) {
    const item = ownImport(req, params.id);
    sendJson(res, 200, {
      importId: item.id,
      games: item.games,
      positions: item.positions,
      openings: [{eco: 'C50', name: 'Italian Game', games: Math.ceil(item.games / 2)}, {eco: 'B20', name: 'Sicilian Defence', games: Math.floor(item.games / 2)}],
    });
  }

  function exportCsv(req, res, {params}) {
    if (!params.file.endsWith('.csv')) throw new HttpError(404, 'not_found');
    const item = ownImport(req, params.file.slice(0, -'.csv'.length));
    const rows = Array.from({length: item.games}, (_, index) => `${item.id}-${index + 1},${index % 2 === 0 ? 'C50' : 'B20'},${index % 3 === 0 ? '1-0' : '0-1'}`);
    sendText(res, 200, `game_id,eco,result\n${rows.join('\n')}\n`, 'text/csv; charset=utf-8', {'content-disposition': `attachment; filename="${item.id}.csv"`});
  }

  function requireSession(req) {
    const token = cookies(req)[sessionCookie];
    const found = token === undefined ? undefined : state.current().sessions.get(token);
    if (found === undefined) throw new HttpError(401, 'unauthenticated');
    if (releaseOf(state.current(), 'api') !== 'lkg') throw new HttpError(401, 'session_invalid', 'session cookie signature rejected');
    return {...found, token};
  }

  function requireOps(req) {
    if (bearer(req) !== context.config.opsToken) throw new HttpError(401, 'unauthorized', 'expected Authorization: Bearer <ops token>');
  }

  function deadLetters(req, res, {url}) {
    requireOps(req);
    const current = state.current();
    advanceQueue(current);
    const limit = Math.min(Math.max(Number.parseInt(url.searchParams.get('limit') ?? '20', 10) || 20, 1), 100);
    sendJson(res, 200, deadLetterReport(current, limit));
  }

  async function replay(req, res) {
    requireOps(req);
    const selection = await readJson(req);
    if (selection.all !== true && !Array.isArray(selection.ids) && !Array.isArray(selection.jobTypes)) {
      throw new HttpError(400, 'invalid_selection', 'expected {"all": true}, {"ids": [...]} or {"jobTypes": [...]}');
    }
    const started = startReplay(state.current(), selection, context.config.replayDelayMs ?? 1000);
    if (started.error !== undefined) throw new HttpError(429, 'too_many_replays', started.error);
    sendJson(res, 202, {replayId: started.replay.id, replayed: started.replay.replayed, status: started.replay.status});
  }

  function stats(req, res) {
    requireOps(req);
    const current = state.current();
    advanceQueue(current);
    sendJson(res, 200, queueStats(current));
  }

  async function ingestion(req, res, next) {
    requireOps(req);
    const {reason} = await readJson(req);
    sendJson(res, 200, setIngestion(state.current(), next, typeof reason === 'string' ? reason.slice(0, 200) : undefined));
  }

  return match;
}

export {sessionCookie};
