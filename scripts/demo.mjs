// `npm run demo [-- PLAY-OPTIONS]`: starts the local sandbox, plays
// runbooks/rollback.md against it (the interactive player in a terminal,
// headless with --yes otherwise), always stops the sandbox, also on Ctrl-C,
// and exits with play's exit code.
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {SandboxError, startSandbox, stopSandbox} from '../sandbox/lib/lifecycle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = join(root, '.runbook', 'sandbox');
const runsDir = join(root, '.runbook', 'runs');
const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
const passthrough = process.argv.slice(2);
const say = (line) => process.stderr.write(`demo: ${line}\n`);
const shown = (path) => relative(process.cwd(), path) || '.';

// Signals are handled from the start, so an early Ctrl-C still stops the
// sandbox. Ctrl-C in a terminal reaches the child directly (same process
// group), so a signal is passed on only when the child has not ended a
// moment later.
let interruptedBy;
let child;
const onSignal = (signal) => {
  interruptedBy ??= signal;
  if (child === undefined) return;
  const running = child;
  const timer = setTimeout(() => running.kill(signal), signal === 'SIGINT' && interactive ? 1500 : 0);
  running.once('exit', () => clearTimeout(timer));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

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
    say(`verify it with: node bin/runbook.js verify ${shown(transcript)}`);
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
