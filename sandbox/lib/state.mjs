// The simulated production behind the sandbox: three Railway services and
// their variables, the job queue, and the database facts the stand-in scripts
// report. It starts as "bad deploy": every service runs the broken release.
import {randomBytes, randomUUID} from 'node:crypto';

export const serviceNames = ['web', 'api', 'worker'];

export const modeChoices = {
  health: ['auto', 'ok', 'failing', 'slow'],
  smoke: ['pass', 'fail'],
  e2e: ['pass', 'fail'],
  backfill: ['ok', 'missing'],
  storage: ['ok', 'failing'],
  replay: ['ok', 'poison'],
};

export const defaultModes = {
  health: 'auto',
  smoke: 'pass',
  e2e: 'pass',
  backfill: 'missing',
  storage: 'failing',
  replay: 'ok',
  slowMs: 15_000,
};

// Bounds, so no client can grow the sandbox without limit.
export const limits = {
  deadLetters: 500,
  growthPerRead: 3,
  deploymentsPerService: 100,
  sessions: 1000,
  imports: 1000,
  replays: 100,
  events: 500,
  failures: 2000,
  maxSlowMs: 60_000,
};

const failureWindowMs = 5 * 60_000;
const initialDeadLetters = 42;
const jobTypes = ['import.positions', 'import.openings', 'export.csv'];
const badReleaseError = "TypeError: Cannot read properties of undefined (reading 'sessionId') at resolveImportOwner (worker/jobs/import.ts:88)";
const missingAccounts = Array.from({length: 17}, (_, index) => ({
  accountId: `acc_${10231 + index * 13}`,
  aggregate: index % 2 === 0 ? 'positions' : 'openings',
}));

// `config` comes from the sandbox's config.json (see cli.mjs).
export function createState(config, now = Date.now()) {
  const deployments = {};
  for (const name of serviceNames) {
    const ids = config.deployments[name];
    deployments[name] = [
      deployment(ids.bad, config.badSha, config.badMessage, now - 20 * 60_000, 'SUCCESS', 'github'),
      deployment(ids.lkg, config.lkgSha, config.lkgMessage, now - 26 * 60 * 60_000, 'REMOVED', 'github'),
    ];
  }
  const deadLetters = [];
  const failures = [];
  for (let index = 0; index < initialDeadLetters; index += 1) {
    const failedAt = now - (initialDeadLetters - index) * 3_000;
    deadLetters.push(deadLetter(index + 1, failedAt));
    failures.push(failedAt);
  }
  return {
    config,
    modes: {...defaultModes},
    deployments,
    variables: {
      web: {NODE_ENV: 'production', PUBLIC_API_ORIGIN: 'https://api.kezilu.com'},
      api: {NODE_ENV: 'production', S3_STARTUP_CHECK_STRICT: 'true', CSRF_PROTECTION: 'enabled', SESSION_COOKIE_SECURE: 'true'},
      worker: {NODE_ENV: 'production', S3_STARTUP_CHECK_STRICT: 'true', QUEUE_MAX_ATTEMPTS: '5'},
    },
    ingestion: {state: 'running', changedAt: now, reason: null},
    deadLetters,
    nextDeadLetter: initialDeadLetters + 1,
    failures,
    replays: [],
    backfill: {missing: [...missingAccounts], enqueued: []},
    users: new Map(),
    sessions: new Map(),
    imports: new Map(),
    events: [],
  };
}

function deployment(id, commitHash, commitMessage, createdAt, status, source) {
  return {id, status, createdAt: new Date(createdAt).toISOString(), meta: {commitHash, commitMessage, branch: 'main', source}};
}

function deadLetter(sequence, failedAt) {
  return {
    id: `dl_${String(sequence).padStart(5, '0')}`,
    queue: 'ingestion',
    jobType: jobTypes[sequence % jobTypes.length],
    attempts: 5,
    error: badReleaseError,
    payloadRef: `s3://kezilu-imports/payloads/${String(sequence).padStart(6, '0')}.json`,
    failedAt: new Date(failedAt).toISOString(),
    addedAt: failedAt,
  };
}

export function record(state, action, detail) {
  state.events.push({at: new Date().toISOString(), action, ...detail});
  if (state.events.length > limits.events) state.events.splice(0, state.events.length - limits.events);
}

export function currentDeployment(state, service) {
  return state.deployments[service][0];
}

export function releaseOf(state, service) {
  const commit = currentDeployment(state, service).meta.commitHash;
  if (commit === state.config.lkgSha) return 'lkg';
  if (commit === state.config.badSha) return 'bad';
  return 'unknown';
}

// A new deployment becomes the live one; the one it replaces is REMOVED.
export function deploy(state, service, {commitHash, commitMessage, source}) {
  const list = state.deployments[service];
  for (const item of list) if (item.status === 'SUCCESS') item.status = 'REMOVED';
  const created = deployment(randomUUID(), commitHash, commitMessage, Date.now(), 'SUCCESS', source);
  list.unshift(created);
  if (list.length > limits.deploymentsPerService) list.length = limits.deploymentsPerService;
  record(state, 'deploy', {service, deploymentId: created.id, commitHash, source});
  return created;
}

export function redeploy(state, service, source) {
  const {meta} = currentDeployment(state, service);
  return deploy(state, service, {commitHash: meta.commitHash, commitMessage: meta.commitMessage, source});
}

export function setVariables(state, service, values, {skipDeploys}) {
  Object.assign(state.variables[service], values);
  record(state, 'variables', {service, set: Object.keys(values)});
  return skipDeploys ? undefined : redeploy(state, service, 'variables');
}

// What GET /health answers, before any `slow` delay.
export function healthReport(state) {
  const api = currentDeployment(state, 'api');
  const release = api.meta.commitHash.slice(0, 7);
  const storageFailing = state.modes.storage === 'failing';
  const report = (code, status, checks) => ({code, body: {status, release, checks}});
  if (state.modes.health === 'ok') return report(200, 'ok', {database: 'ok', storage: 'ok', queue: 'ok', sessions: 'ok'});
  if (state.modes.health === 'failing') return report(503, 'failing', {database: 'ok', storage: 'failing', queue: 'ok', sessions: 'ok'});
  switch (releaseOf(state, 'api')) {
    case 'bad':
      return report(503, 'failing', {database: 'ok', storage: storageFailing ? 'failing' : 'ok', queue: 'failing', sessions: 'failing'});
    case 'lkg': {
      if (!storageFailing) return report(200, 'ok', {database: 'ok', storage: 'ok', queue: 'ok', sessions: 'ok'});
      const strict = state.variables.api.S3_STARTUP_CHECK_STRICT !== 'false';
      return strict
        ? report(503, 'failing', {database: 'ok', storage: 'failing', queue: 'ok', sessions: 'ok'})
        : report(200, 'ok', {database: 'ok', storage: 'degraded', queue: 'ok', sessions: 'ok'});
    }
    case 'unknown':
      return report(503, 'failing', {database: 'ok', storage: 'ok', queue: 'ok', sessions: 'failing'});
  }
  throw new Error('unreachable');
}

// The broken worker keeps poisoning the queue while ingestion runs: every
// read of the ops API sees a few more dead letters (bounded).
export function advanceQueue(state, now = Date.now()) {
  if (state.ingestion.state !== 'running' || releaseOf(state, 'worker') === 'lkg') return;
  for (let added = 0; added < limits.growthPerRead && state.deadLetters.length < limits.deadLetters; added += 1) {
    state.deadLetters.push(deadLetter(state.nextDeadLetter, now));
    state.nextDeadLetter += 1;
    addFailure(state, now);
  }
}

function addFailure(state, at) {
  state.failures.push(at);
  if (state.failures.length > limits.failures) state.failures.splice(0, state.failures.length - limits.failures);
}

export function queueStats(state, now = Date.now()) {
  const lastReplay = state.replays.at(-1);
  const failedLast5m = state.failures.filter((at) => now - at <= failureWindowMs).length;
  return {
    ingestion: state.ingestion.state,
    waiting: state.ingestion.state === 'running' ? 120 : 0,
    active: lastReplay?.status === 'running' ? lastReplay.replayed : 0,
    failedLast5m,
    deadLetters: {
      count: state.deadLetters.length,
      addedSinceReplay: lastReplay === undefined ? null : state.deadLetters.filter((item) => item.addedAt >= lastReplay.startedAtMs).length,
    },
    lastReplay: lastReplay === undefined ? null : publicReplay(lastReplay),
  };
}

export function deadLetterReport(state, limit) {
  const byJobType = {};
  for (const item of state.deadLetters) byJobType[item.jobType] = (byJobType[item.jobType] ?? 0) + 1;
  return {
    count: state.deadLetters.length,
    oldestFailedAt: state.deadLetters[0]?.failedAt ?? null,
    byJobType,
    items: state.deadLetters.slice(0, limit).map(({addedAt: _addedAt, ...item}) => item),
  };
}

export function publicReplay({items: _items, startedAtMs: _startedAtMs, ...replay}) {
  return replay;
}

// Replayed jobs leave the dead-letter queue and settle after `delayMs`: they
// succeed when the worker runs the good release, else they come back.
export function startReplay(state, selection, delayMs) {
  if (state.replays.length >= limits.replays) return {error: 'too many replays for one sandbox; restart it'};
  const chosen = state.deadLetters.filter((item) => selection.all === true
    || (Array.isArray(selection.ids) && selection.ids.includes(item.id))
    || (Array.isArray(selection.jobTypes) && selection.jobTypes.includes(item.jobType)));
  const chosenIds = new Set(chosen.map((item) => item.id));
  state.deadLetters = state.deadLetters.filter((item) => !chosenIds.has(item.id));
  const now = Date.now();
  const replay = {
    id: `rp_${randomBytes(4).toString('hex')}`,
    status: 'running',
    from: selection.from ?? 'source-payload',
    replayed: chosen.length,
    succeeded: 0,
    failed: 0,
    startedAt: new Date(now).toISOString(),
    finishedAt: null,
    items: chosen,
    startedAtMs: now,
  };
  state.replays.push(replay);
  record(state, 'replay', {replayId: replay.id, replayed: chosen.length});
  const timer = setTimeout(() => settleReplay(state, replay), delayMs);
  timer.unref();
  return {replay};
}

function settleReplay(state, replay) {
  const healthy = releaseOf(state, 'worker') === 'lkg' && state.modes.replay === 'ok';
  const now = Date.now();
  if (healthy) {
    replay.succeeded = replay.items.length;
  } else {
    replay.failed = replay.items.length;
    for (const item of replay.items) {
      if (state.deadLetters.length >= limits.deadLetters) break;
      state.deadLetters.push({...item, attempts: item.attempts + 1, failedAt: new Date(now).toISOString(), addedAt: now});
      addFailure(state, now);
    }
  }
  replay.status = 'done';
  replay.finishedAt = new Date(now).toISOString();
  replay.items = [];
}

export function setIngestion(state, next, reason) {
  state.ingestion = {state: next, changedAt: Date.now(), reason: reason ?? null};
  record(state, next === 'paused' ? 'ingestion-pause' : 'ingestion-resume', {reason: reason ?? null});
  return {ingestion: next, changedAt: new Date(state.ingestion.changedAt).toISOString(), reason: reason ?? null};
}

// Why `changes` (strings, from `cli.mjs set KEY=VALUE` or JSON) are not valid
// modes, or undefined when they are.
export function modeProblem(changes) {
  for (const [key, raw] of Object.entries(changes)) {
    const value = String(raw);
    if (key === 'slowMs') {
      if (!/^\d+$/.test(value) || Number(value) > limits.maxSlowMs) return `slowMs must be a whole number of milliseconds up to ${limits.maxSlowMs}`;
      continue;
    }
    const choices = Object.hasOwn(modeChoices, key) ? modeChoices[key] : undefined;
    if (choices === undefined) return `unknown mode \`${key}\`, expected one of ${[...Object.keys(modeChoices), 'slowMs'].join(', ')}`;
    if (!choices.includes(value)) return `unknown value \`${value}\` for ${key}, expected one of ${choices.join(', ')}`;
  }
  return undefined;
}

// Applies valid modes (see modeProblem); returns the problem and changes
// nothing otherwise.
export function applyModes(state, changes) {
  const problem = modeProblem(changes);
  if (problem !== undefined) return problem;
  const next = {...state.modes};
  for (const [key, value] of Object.entries(changes)) next[key] = key === 'slowMs' ? Number(value) : String(value);
  if (next.backfill !== state.modes.backfill) {
    state.backfill.missing = next.backfill === 'missing' ? [...missingAccounts] : [];
  }
  state.modes = next;
  record(state, 'modes', {changes: Object.fromEntries(Object.entries(changes).map(([key, value]) => [key, String(value)]))});
  return undefined;
}

export function enqueueBackfills(state, accounts) {
  const wanted = new Set(accounts);
  const enqueued = state.backfill.missing.filter((item) => wanted.has(item.accountId));
  state.backfill.missing = state.backfill.missing.filter((item) => !wanted.has(item.accountId));
  state.backfill.enqueued.push(...enqueued.map((item) => item.accountId));
  record(state, 'backfill-enqueue', {accounts: enqueued.length});
  return enqueued;
}

// Sessions, users and imports are kept only as far as the smoke and E2E
// stand-ins need them, and bounded.
export function remember(map, key, value, limit) {
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value);
}

export function snapshot(state) {
  return {
    modes: state.modes,
    lkgSha: state.config.lkgSha,
    badSha: state.config.badSha,
    services: Object.fromEntries(serviceNames.map((name) => [name, {
      release: releaseOf(state, name),
      commitHash: currentDeployment(state, name).meta.commitHash,
      deployments: state.deployments[name],
    }])),
    variables: state.variables,
    ingestion: state.ingestion.state,
    queue: queueStats(state),
    replays: state.replays.map(publicReplay),
    backfill: {missing: state.backfill.missing.length, enqueued: state.backfill.enqueued.length},
    events: state.events,
  };
}
