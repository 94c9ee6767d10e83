// Starting and stopping the sandbox, shared by `sandbox/cli.mjs` and
// `scripts/demo.mjs`. The state directory holds everything one sandbox owns:
// config.json, server.json, sandbox.pid, sandbox.env, server.log, app/, tmp/.
import {execFileSync, spawn} from 'node:child_process';
import {randomBytes, randomUUID} from 'node:crypto';
import {existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {delimiter, dirname, join, resolve} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {createAppRepo} from './app-repo.mjs';

export const sandboxRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultStateDir = '.runbook/sandbox';

const startTimeoutMs = 15_000;
const stopTimeoutMs = 5_000;
const pollMs = 50;

export class SandboxError extends Error {}

export function stateFiles(dir) {
  const root = resolve(dir);
  return {
    root,
    config: join(root, 'config.json'),
    server: join(root, 'server.json'),
    pid: join(root, 'sandbox.pid'),
    env: join(root, 'sandbox.env'),
    log: join(root, 'server.log'),
    app: join(root, 'app'),
    tmp: join(root, 'tmp'),
  };
}

// Starts a fresh sandbox in `dir` (stopping one already running there) and
// resolves with its env file's variables once the server answers.
export async function startSandbox({dir = defaultStateDir, modes = {}, maxLifetimeMs} = {}) {
  const files = stateFiles(dir);
  await stopSandbox({dir});
  mkdirSync(files.root, {recursive: true, mode: 0o700});
  for (const path of [files.config, files.server, files.pid, files.env, files.log, files.tmp]) rmSync(path, {recursive: true, force: true});
  mkdirSync(files.tmp, {mode: 0o700});

  let repo;
  try {
    repo = createAppRepo(join(sandboxRoot, 'app'), files.app);
  } catch (error) {
    const detail = error.code === 'ENOENT' ? 'git is not installed (or not on PATH)' : String(error.stderr ?? error.message).trim();
    throw new SandboxError(`could not create the sandbox's app checkout in ${files.app}: ${detail}`);
  }
  const config = {
    ...repo,
    opsToken: `sbx_ops_${randomBytes(16).toString('hex')}`,
    database: {user: 'kezilu', password: randomBytes(12).toString('base64url'), name: 'kezilu'},
    deployments: Object.fromEntries(['web', 'api', 'worker'].map((service) => [service, {lkg: randomUUID(), bad: randomUUID()}])),
    replayDelayMs: 1000,
    ...(maxLifetimeMs === undefined ? {} : {maxLifetimeMs}),
  };
  writeFileSync(files.config, `${JSON.stringify(config, null, 2)}\n`, {mode: 0o600});

  const log = openSync(files.log, 'a', 0o600);
  const child = spawn(process.execPath, [join(sandboxRoot, 'server.mjs'), '--dir', files.root], {detached: true, stdio: ['ignore', log, log]});
  closeSync(log);
  child.unref();
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const server = await waitForServer(files, child.pid, () => exited);
  writeFileSync(files.pid, `${server.pid}\n`, {mode: 0o600});
  if (Object.keys(modes).length > 0) await setModes({dir}, modes);

  const env = {
    API_ORIGIN: server.apiOrigin,
    WEB_ORIGIN: server.webOrigin,
    APP_DIR: files.app,
    LKG_SHA: config.lkgSha,
    WEB_DEPLOYMENT_ID: config.deployments.web.lkg,
    API_DEPLOYMENT_ID: config.deployments.api.lkg,
    WORKER_DEPLOYMENT_ID: config.deployments.worker.lkg,
    OPS_TOKEN: config.opsToken,
    DATABASE_URL: `postgres://${config.database.user}:${config.database.password}@127.0.0.1:${server.apiPort}/${config.database.name}`,
    SANDBOX_ORIGIN: server.apiOrigin,
    TMPDIR: files.tmp,
    PATH: `${join(sandboxRoot, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
  };
  writeFileSync(files.env, formatEnvFile(env, `runbook sandbox (pid ${server.pid}), written by \`node sandbox/cli.mjs start\` at ${new Date().toISOString()}`), {mode: 0o600});
  return {env, envFile: files.env, pid: server.pid, files};
}

async function waitForServer(files, pid, hasExited) {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) break;
    const server = readServerFile(files);
    if (server?.pid === pid && (await ping(server.apiOrigin)) !== undefined) return server;
    await delay(pollMs);
  }
  if (!hasExited()) killQuietly(pid, 'SIGKILL');
  const tail = existsSync(files.log) ? readFileSync(files.log, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new SandboxError(`the sandbox server did not start${hasExited() ? ' (it exited)' : ` within ${startTimeoutMs / 1000}s`}${tail.trim() === '' ? '' : `; its log:\n${tail}`}`);
}

function readServerFile(files) {
  try {
    return JSON.parse(readFileSync(files.server, 'utf8'));
  } catch {
    return undefined;
  }
}

// The server's state, or undefined when nothing answers at `origin`.
export async function ping(origin) {
  try {
    const response = await fetch(`${origin}/__sandbox/state`, {signal: AbortSignal.timeout(2000)});
    return response.ok ? await response.json() : undefined;
  } catch {
    return undefined;
  }
}

// What runs in `dir`: {running: false} or the server's state.
export async function sandboxStatus({dir = defaultStateDir} = {}) {
  const files = stateFiles(dir);
  const server = readServerFile(files);
  if (server === undefined) return {running: false, files};
  const state = await ping(server.apiOrigin);
  if (state === undefined || state.pid !== server.pid) return {running: false, stale: true, files, server};
  return {running: true, files, server, state};
}

export async function setModes({dir = defaultStateDir} = {}, modes) {
  const status = await sandboxStatus({dir});
  if (!status.running) throw new SandboxError(`no sandbox is running in ${status.files.root}; start one with \`node sandbox/cli.mjs start\``);
  const response = await fetch(`${status.server.apiOrigin}/__sandbox/modes`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify(modes),
    signal: AbortSignal.timeout(5000),
  });
  const body = await response.json();
  if (!response.ok) throw new SandboxError(body.detail ?? `the sandbox answered ${response.status}`);
  return body.modes;
}

// Stops the sandbox of `dir` if one runs; resolves with whether one did.
// Only the pid recorded by `start` is signalled, and only while the process
// behind it still answers as that sandbox (or still runs its server script).
export async function stopSandbox({dir = defaultStateDir} = {}) {
  const files = stateFiles(dir);
  const server = readServerFile(files);
  let stopped = false;
  if (server !== undefined && isAlive(server.pid) && await isOurServer(server)) {
    killQuietly(server.pid, 'SIGTERM');
    const deadline = Date.now() + stopTimeoutMs;
    while (isAlive(server.pid) && Date.now() < deadline) await delay(pollMs);
    if (isAlive(server.pid)) killQuietly(server.pid, 'SIGKILL');
    stopped = true;
  }
  for (const path of [files.server, files.pid, files.env]) rmSync(path, {force: true});
  return stopped;
}

async function isOurServer(server) {
  const state = await ping(server.apiOrigin);
  if (state !== undefined) return state.pid === server.pid;
  try {
    const command = execFileSync('ps', ['-p', String(server.pid), '-o', 'command='], {encoding: 'utf8'});
    return command.includes(join('sandbox', 'server.mjs'));
  } catch {
    return false;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function killQuietly(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

// dotenv: bare values where safe, else single quotes (taken literally by dotenv).
export function formatEnvFile(env, comment) {
  const lines = [`# ${comment}`];
  for (const [name, value] of Object.entries(env)) {
    if (/^[\w@%+=:,./-]*$/.test(value)) lines.push(`${name}=${value}`);
    else if (!value.includes("'") && !value.includes('\n')) lines.push(`${name}='${value}'`);
    else lines.push(`${name}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`);
  }
  return `${lines.join('\n')}\n`;
}
