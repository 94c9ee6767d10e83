// `npm run demo [-- [--sandbox-dir DIR] PLAY-OPTIONS]`: starts the local
// sandbox, plays runbooks/rollback.md against it (the interactive player in a
// terminal, headless with --yes otherwise), always stops the sandbox, also on
// Ctrl-C, and exits with play's exit code. Other options go to play as they
// are (say `--read-only` or `--transcript-dir DIR`).
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {SandboxError, startSandbox, stopSandbox} from '../sandbox/lib/lifecycle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
const {stateDir, passthrough} = parseArgs(process.argv.slice(2));
const runsDir = resolve(root, optionValue(passthrough, '--transcript-dir') ?? join('.runbook', 'runs'));
const say = (line) => process.stderr.write(`demo: ${line}\n`);
const shown = (path) => {
  const near = relative(process.cwd(), path);
  return near === '' ? '.' : near.startsWith('..') ? path : near;
};

function parseArgs(args) {
  const rest = [];
  let dir = join(root, '.runbook', 'sandbox');
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] === '--sandbox-dir' && args[index + 1] !== undefined) dir = resolve(args[++index]);
    else if (args[index].startsWith('--sandbox-dir=')) dir = resolve(args[index].slice('--sandbox-dir='.length));
    else rest.push(args[index]);
  }
  return {stateDir: dir, passthrough: rest};
}

function optionValue(args, name) {
  const index = args.indexOf(name);
  if (index !== -1) return args[index + 1];
  return args.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

// Signals are handled from the start, so an early Ctrl-C still stops the
// sandbox. Ctrl-C in a terminal reaches the player directly (it runs in our
// process group) and play stops safely on its own, so SIGINT is not passed
// on; SIGTERM and SIGHUP, sent to the demo alone, are.
let interruptedBy;
let child;
const onSignal = (signal) => {
  interruptedBy ??= signal;
  if (child !== undefined && signal !== 'SIGINT') child.kill('SIGTERM');
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);

// Play's own exit codes; 130 when the demo itself was interrupted.
async function main() {
  if (!existsSync(join(root, 'dist', 'cli.js'))) {
    say('building the CLI first (npm run build)');
    const built = await run([join(root, 'scripts', 'build.mjs')]);
    if (built !== 0) return built;
  }
  const startedAt = Date.now();
  let sandbox;
  try {
    sandbox = await startSandbox({dir: stateDir});
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    say(error.message);
    return 1;
  }
  if (interruptedBy !== undefined) {
    await stopSandbox({dir: stateDir});
    say('interrupted; sandbox stopped');
    return 130;
  }
  say(`sandbox running: api ${sandbox.env.API_ORIGIN}, web ${sandbox.env.WEB_ORIGIN} (env file ${shown(sandbox.envFile)})`);
  let code;
  try {
    const args = [join(root, 'bin', 'runbook.js'), 'play', 'runbooks/rollback.md', '--env-file', sandbox.envFile, ...(interactive ? [] : ['--yes']), ...passthrough];
    say(`node bin/runbook.js ${args.slice(1).map((arg) => (arg === sandbox.envFile ? shown(arg) : arg)).join(' ')}`);
    code = await run(args);
  } finally {
    await stopSandbox({dir: stateDir});
    say('sandbox stopped');
  }
  const transcript = newestTranscript(startedAt);
  if (transcript !== undefined) {
    say(`transcript: ${shown(transcript)}`);
  }
  return code;
}

// Runs node with `args` in the repo root, the terminal handed over.
function run(args) {
  return new Promise((done) => {
    child = spawn(process.execPath, args, {cwd: root, stdio: 'inherit'});
    child.once('error', (error) => {
      child = undefined;
      say(`could not run node: ${error.message}`);
      done(1);
    });
    child.once('exit', (exitCode, signal) => {
      child = undefined;
      done(exitCode ?? (signal === 'SIGINT' || interruptedBy !== undefined ? 130 : 1));
    });
  });
}

function newestTranscript(since) {
  if (!existsSync(runsDir)) return undefined;
  let newest;
  for (const entry of readdirSync(runsDir)) {
    const file = join(runsDir, entry, 'transcript.jsonl');
    if (!existsSync(file)) continue;
    const modified = statSync(file).mtimeMs;
    if (modified >= since && (newest === undefined || modified > newest.modified)) newest = {file, modified};
  }
  return newest?.file;
}

process.exitCode = await main();
