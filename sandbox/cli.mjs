#!/usr/bin/env node
// node sandbox/cli.mjs start|stop|status|set KEY=VALUE… [--dir DIR]
// The local stand-in for the rollback runbook's production (loopback only).
// Exit codes: 0 done, 1 failed, 2 usage.
import {relative} from 'node:path';
import {defaultStateDir, SandboxError, sandboxStatus, setModes, startSandbox, stopSandbox} from './lib/lifecycle.mjs';
import {modeChoices, modeProblem} from './lib/state.mjs';

const usage = `usage: node sandbox/cli.mjs <command> [--dir DIR]

commands:
  start [KEY=VALUE…]   start a fresh sandbox (stops the one in DIR first) and write DIR/sandbox.env
  stop                 stop the sandbox of DIR
  status [--json]      whether it runs, its origins, modes and what was deployed
  set KEY=VALUE…       switch modes: ${Object.entries(modeChoices).map(([key, values]) => `${key}=${values.join('|')}`).join(', ')}, slowMs=N

DIR defaults to ${defaultStateDir} (under the current directory).
`;

function parse(argv) {
  const args = {command: argv[0], dir: defaultStateDir, json: false, pairs: [], problems: []};
  for (let index = 1; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--dir') {
      const value = argv[index + 1];
      if (value === undefined) args.problems.push('--dir needs a directory');
      else args.dir = value;
      index += 1;
    } else if (arg.startsWith('--dir=')) {
      args.dir = arg.slice('--dir='.length);
    } else if (arg === '--json') {
      args.json = true;
    } else if (/^[A-Za-z]+=.*$/.test(arg)) {
      args.pairs.push(arg);
    } else {
      args.problems.push(`unexpected argument ${arg}`);
    }
  }
  return args;
}

const pairsToModes = (pairs) => Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const shown = (path) => {
  const near = relative(process.cwd(), path);
  return near === '' || near.startsWith('..') ? path : near;
};

async function main(argv) {
  const args = parse(argv);
  if (args.command === '--help' || args.command === '-h' || args.command === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  if (args.problems.length > 0 || !['start', 'stop', 'status', 'set'].includes(args.command ?? '')) {
    process.stderr.write(`sandbox: ${args.problems[0] ?? (args.command === undefined ? 'missing command' : `unknown command ${args.command}`)}\n${usage}`);
    return 2;
  }
  const modes = pairsToModes(args.pairs);
  const problem = modeProblem(modes);
  if (problem !== undefined) {
    process.stderr.write(`sandbox: ${problem}\n`);
    return 2;
  }
  if (args.command === 'stop' || args.command === 'status') {
    if (args.pairs.length > 0) {
      process.stderr.write(`sandbox: ${args.command} takes no KEY=VALUE\n${usage}`);
      return 2;
    }
  }
  switch (args.command) {
    case 'start': {
      const started = await startSandbox({dir: args.dir, modes});
      process.stdout.write([
        `sandbox: running (pid ${started.pid})`,
        `  api  ${started.env.API_ORIGIN}`,
        `  web  ${started.env.WEB_ORIGIN}`,
        `  env  ${shown(started.envFile)}`,
        `play:  node bin/runbook.js play runbooks/rollback.md --env-file ${shown(started.envFile)}`,
        `stop:  node sandbox/cli.mjs stop${args.dir === defaultStateDir ? '' : ` --dir ${args.dir}`}`,
        '',
      ].join('\n'));
      return 0;
    }
    case 'stop': {
      const stopped = await stopSandbox({dir: args.dir});
      process.stdout.write(stopped ? 'sandbox: stopped\n' : 'sandbox: not running\n');
      return 0;
    }
    case 'status': {
      const status = await sandboxStatus({dir: args.dir});
      if (args.json) {
        process.stdout.write(`${JSON.stringify(status.running ? {running: true, ...status.state} : {running: false}, null, 2)}\n`);
        return status.running ? 0 : 1;
      }
      if (!status.running) {
        process.stdout.write(`sandbox: not running${status.stale ? ' (stale state files)' : ''}\n`);
        return 1;
      }
      const {state} = status;
      const lines = [
        `sandbox: running (pid ${state.pid})`,
        `  api  ${state.origins.api}`,
        `  web  ${state.origins.web}`,
        `  modes  ${Object.entries(state.modes).map(([key, value]) => `${key}=${value}`).join(' ')}`,
        ...Object.entries(state.services).map(([name, service]) => `  ${name.padEnd(6)} ${service.commitHash.slice(0, 7)} (${service.release}), ${service.deployments.length} deployments`),
        `  S3_STARTUP_CHECK_STRICT (api)  ${state.variables.api.S3_STARTUP_CHECK_STRICT}`,
        `  ingestion ${state.ingestion}, dead letters ${state.queue.deadLetters.count}, replays ${state.replays.length}, missing aggregates ${state.backfill.missing}`,
        '',
      ];
      process.stdout.write(lines.join('\n'));
      return 0;
    }
    case 'set': {
      if (args.pairs.length === 0) {
        process.stderr.write(`sandbox: set needs KEY=VALUE\n${usage}`);
        return 2;
      }
      const now = await setModes({dir: args.dir}, modes);
      process.stdout.write(`sandbox: ${Object.entries(now).map(([key, value]) => `${key}=${value}`).join(' ')}\n`);
      return 0;
    }
  }
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof SandboxError)) throw error;
  process.stderr.write(`sandbox: ${error.message}\n`);
  process.exitCode = 1;
}
