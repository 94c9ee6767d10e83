#!/usr/bin/env node
// The sandbox server: `node sandbox/server.mjs --dir DIR`. Started detached by
// `sandbox/cli.mjs start`, which writes DIR/config.json first; it listens on
// two free loopback ports (API and web), writes DIR/server.json once both
// answer, and exits on SIGTERM or after its maximum lifetime.
import {readFileSync, renameSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {join, resolve} from 'node:path';
import {apiHandler} from './lib/api.mjs';
import {controlHandler} from './lib/control.mjs';
import {HttpError, sendJson} from './lib/http.mjs';
import {createState} from './lib/state.mjs';
import {webHandler} from './lib/web.mjs';

const host = '127.0.0.1';
const defaultLifetimeMs = 2 * 3600_000;

const dirIndex = process.argv.indexOf('--dir');
const dir = dirIndex === -1 ? undefined : process.argv[dirIndex + 1];
if (dir === undefined) {
  process.stderr.write('usage: node sandbox/server.mjs --dir DIR (DIR/config.json is written by `sandbox/cli.mjs start`)\n');
  process.exit(2);
}
const stateDir = resolve(dir);
const config = JSON.parse(readFileSync(join(stateDir, 'config.json'), 'utf8'));

let current = createState(config);
const context = {
  config,
  origins: {api: '', web: ''},
  state: {current: () => current, reset: () => {
    current = createState(config);
  }},
};
const api = apiHandler(context);
const control = controlHandler(context);
const web = webHandler(context);

function serve(name, routes) {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    res.on('finish', () => process.stdout.write(`${new Date().toISOString()} ${name} ${req.method} ${url.pathname} ${res.statusCode}\n`));
    routes(req, res, url).catch((error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJson(res, error.status, error.message === error.code ? {error: error.code} : {error: error.code, detail: error.message});
        return;
      }
      process.stdout.write(`${new Date().toISOString()} ${name} error ${error instanceof Error ? error.stack : String(error)}\n`);
      sendJson(res, 500, {error: 'sandbox_error'});
    });
  });
}

const apiServer = serve('api', (req, res, url) => (url.pathname.startsWith('/__sandbox/') ? control(req, res, url) : api(req, res, url)));
const webServer = serve('web', web);

const listen = (server) => new Promise((done, fail) => {
  server.once('error', fail);
  server.listen(0, host, () => done(server.address().port));
});

const apiPort = await listen(apiServer);
const webPort = await listen(webServer);
context.origins.api = `http://${host}:${apiPort}`;
context.origins.web = `http://${host}:${webPort}`;

const ready = join(stateDir, 'server.json');
writeFileSync(`${ready}.tmp`, `${JSON.stringify({pid: process.pid, apiPort, webPort, apiOrigin: context.origins.api, webOrigin: context.origins.web, startedAt: new Date().toISOString()}, null, 2)}\n`, {mode: 0o600});
renameSync(`${ready}.tmp`, ready);
process.stdout.write(`${new Date().toISOString()} sandbox api ${context.origins.api} web ${context.origins.web} pid ${process.pid}\n`);

let stopping = false;
function shutdown(reason) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${new Date().toISOString()} sandbox stopping (${reason})\n`);
  const closed = [apiServer, webServer].map((server) => new Promise((done) => {
    server.close(done);
    server.closeAllConnections();
  }));
  Promise.all(closed).then(() => process.exit(0), () => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
setTimeout(() => shutdown('maximum lifetime reached'), config.maxLifetimeMs ?? defaultLifetimeMs).unref();
