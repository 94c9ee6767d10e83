// `npm run demo [-- [--sandbox-dir DIR] PLAY-OPTIONS]`: starts the local
// sandbox, plays runbooks/rollback.md against it (the interactive player in a
// terminal, headless with --yes otherwise), stops the sandbox, also on
// Ctrl-C, and exits with play's exit code. Other options go to play as they
// are (say `--read-only` or `--transcript-dir DIR`).
//
// In a terminal, a run left resumable (quit, interrupted, failed) leaves the
// sandbox running, since resuming needs the same sandbox, and the demo says
// how to go on: `npm run demo -- --resume` plays the run on against the
// sandbox still running (or a new one when none is), `npm run demo -- --stop`
// stops it.
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {quote} from 'shell-quote';
import {SandboxError, sandboxStatus, startSandbox, stateFiles, stopSandbox} from '../sandbox/lib/lifecycle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
const {stateDir, passthrough, stop, sandboxDirGiven} = parseArgs(process.argv.slice(2));
const resuming = passthrough.some((arg) => arg === '--resume' || arg.startsWith('--resume='));
const runsDir = resolve(root, optionValue(passthrough, '--transcript-dir') ?? join('.runbook', 'runs'));
const say = (line) => process.stderr.write(`demo: ${line}\n`);
const shown = (path) => {
  const near = relative(process.cwd(), path);
  return near === '' ? '.' : near.startsWith('..') ? path : near;
};

function parseArgs(args) {
  const rest = [];
  let dir = join(root, '.runbook', 'sandbox');
  let stop = false;
  let given = false;
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] === '--sandbox-dir' && args[index + 1] !== undefined) {
      dir = resolve(args[++index]);
      given = true;
    } else if (args[index].startsWith('--sandbox-dir=')) {
      dir = resolve(args[index].slice('--sandbox-dir='.length));
      given = true;
    } else if (args[index] === '--stop') stop = true;
    else rest.push(args[index]);
  }
  return {stateDir: dir, passthrough: rest, stop, sandboxDirGiven: given};
}

// `npm run demo -- …` again, with the options this demo was given and `extra`
function demoCommand(extra) {
  const again = passthrough.filter((arg, index) => !(arg === '--resume' || arg.startsWith('--resume=')
    || (passthrough[index - 1] === '--resume' && !arg.startsWith('-'))));
  const args = [...(sandboxDirGiven ? ['--sandbox-dir', shown(stateDir)] : []), ...extra, ...again];
  return `npm run demo -- ${quote(args)}`;
}

// How the run in `transcript` ended: its run-end's outcome, else `unfinished`.
function outcomeOf(transcript) {
  try {
    const last = readFileSync(transcript, 'utf8').trimEnd().split('\n').at(-1);
    const event = JSON.parse(last ?? '{}').event;
    return event?.type === 'run-end' ? event.outcome : 'unfinished';
  } catch {
    return 'unfinished';
  }
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
  if (stop) {
    await stopSandbox({dir: stateDir});
    say('sandbox stopped');
    return 0;
  }
  const startedAt = Date.now();
  let sandbox;
  try {
    const status = resuming ? await sandboxStatus({dir: stateDir}) : {running: false};
    if (status.running) {
      const envFile = stateFiles(stateDir).env;
      sandbox = {envFile, env: {API_ORIGIN: status.server.apiOrigin, WEB_ORIGIN: status.server.webOrigin}, reused: true};
    } else {
      if (resuming) say('no sandbox is running: starting a new one (the run resumes against a sandbox in its first state)');
      sandbox = await startSandbox({dir: stateDir});
    }
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
  say(`sandbox ${sandbox.reused === true ? 'still running' : 'running'}: api ${sandbox.env.API_ORIGIN}, web ${sandbox.env.WEB_ORIGIN} (env file ${shown(sandbox.envFile)})`);
  let code;
  let keep = false;
  try {
    const args = [join(root, 'bin', 'runbook.js'), 'play', 'runbooks/rollback.md', '--env-file', sandbox.envFile, ...(interactive ? [] : ['--yes']), ...passthrough];
    say(`node bin/runbook.js ${args.slice(1).map((arg) => (arg === sandbox.envFile ? shown(arg) : arg)).join(' ')}`);
    code = await run(args);
    const transcript = newestTranscript(startedAt);
    // a person can come back to a resumable run: the sandbox it acts on stays
    keep = interactive && transcript !== undefined && ['interrupted', 'failed', 'unfinished'].includes(outcomeOf(transcript));
  } finally {
    if (!keep) {
      await stopSandbox({dir: stateDir});
      say('sandbox stopped');
    }
  }
  const transcript = newestTranscript(startedAt);
  if (transcript !== undefined) {
    say(`transcript: ${shown(transcript)}`);
  }
  if (keep) {
    say(`the sandbox is still running, so the run can be resumed: ${demoCommand(['--resume'])}`);
    say(`to stop the sandbox instead: npm run demo -- ${quote([...(sandboxDirGiven ? ['--sandbox-dir', shown(stateDir)] : []), '--stop'])}`);
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
