// The interactive player against headless play, side by side, in a real
// pseudo-terminal: how soon the first frame is on screen (against the first
// line of headless play; then for runbooks/rollback.md, whose first frame
// asks for an input, so nothing runs), how long a node printing 200,000
// lines takes in each, and how soon a key shows on screen while a node
// floods the player.
//
//   node bench/player.mjs [RUNS]   (default 5; run `npm run build` first)
import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

const runs = Number(process.argv[2] ?? 5);
const cli = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const rollback = fileURLToPath(new URL('../runbooks/rollback.md', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-player-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'CI' && name !== 'CONTINUOUS_INTEGRATION'));

writeFileSync(join(dir, 'lines.md'), '# Lines\n## Print\n```sh {#print}\nseq 1 200000\n```\n');
// the same 200,000 lines spread over about five seconds, to press keys meanwhile
writeFileSync(join(dir, 'flood.md'), '# Flood\n## Print\n```sh {#print}\nfor i in $(seq 1 50); do seq 1 4000; sleep 0.1; done\n```\n');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${Math.round(value)}ms`;

// The player in a pseudo-terminal, its screen read through a terminal emulator.
function player(file) {
  const terminal = new xterm.Terminal({cols: 100, rows: 30, allowProposedApi: true});
  const started = performance.now();
  const child = pty.spawn(process.execPath, ['--', cli, 'play', file, '--transcript-dir', 'runs'], {name: 'xterm-256color', cols: 100, rows: 30, cwd: dir, env});
  let parsed = Promise.resolve();
  let firstOutput = null;
  child.onData((data) => {
    firstOutput ??= performance.now() - started;
    parsed = parsed.then(() => new Promise((resolve) => terminal.write(data, resolve)));
  });
  const exited = new Promise((resolve) => child.onExit(({exitCode}) => resolve(exitCode)));
  const screen = () => {
    const rows = [];
    for (let row = 0; row < terminal.rows; row += 1) rows.push(terminal.buffer.active.getLine(terminal.buffer.active.viewportY + row)?.translateToString(true) ?? '');
    return rows.join('\n');
  };
  const waitFor = async (test) => {
    for (;;) {
      await parsed;
      if (test(screen())) return performance.now();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  return {started, child, exited, screen, waitFor, firstOutput: () => firstOutput};
}

// Headless play: the time to its first line of output and to its exit.
function headless(file) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--', cli, 'play', file, '--yes', '--transcript-dir', 'runs'], {cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe']});
    let first = null;
    child.stdout.on('data', () => {
      first ??= performance.now() - started;
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({first, total: performance.now() - started}) : reject(new Error(`headless play exited ${code}`))));
  });
}

// How long the node ran, as the engine recorded it.
function lastNodeDuration() {
  const latest = readdirSync(join(dir, 'runs')).sort().at(-1);
  const lines = readFileSync(join(dir, 'runs', latest, 'transcript.jsonl'), 'utf8').trim().split('\n');
  const end = lines.map((line) => JSON.parse(line).event).findLast((event) => event?.type === 'node-end');
  return end.durationMs;
}

// Approves the node if the player asks before running it.
async function approve(session) {
  await session.waitFor((screen) => screen.includes('Run `print`?') || /▶ print ·/.test(screen));
  if (session.screen().includes('Run `print`?')) session.child.write('\r');
}

try {
  const firstFrames = [];
  const firstLines = [];
  const playerNode = [];
  const headlessNode = [];
  for (let run = 0; run < runs; run += 1) {
    const session = player('lines.md');
    const frame = await session.waitFor((screen) => screen.includes('Lines'));
    firstFrames.push(frame - session.started);
    await approve(session);
    if ((await session.exited) !== 0) throw new Error('the player failed');
    playerNode.push(lastNodeDuration());
    const plain = await headless('lines.md');
    firstLines.push(plain.first);
    headlessNode.push(lastNodeDuration());
  }

  const rollbackFrames = [];
  for (let run = 0; run < runs; run += 1) {
    const session = player(rollback);
    rollbackFrames.push((await session.waitFor((screen) => screen.includes('Rollback Playbook'))) - session.started);
    await session.waitFor((screen) => screen.includes('LKG_SHA'));
    session.child.kill('SIGTERM');
    await session.exited;
  }

  const latencies = [];
  // the help's row for Ctrl-C, however wide its key column is
  const helpShown = /Ctrl-C +interrupt the running node/;
  const session = player('flood.md');
  await approve(session);
  await session.waitFor((screen) => /▶ print ·/.test(screen));
  while (latencies.length < 20 && !/print · sh\s+passed/.test(session.screen())) {
    const pressed = performance.now();
    session.child.write('?');
    latencies.push((await session.waitFor((screen) => helpShown.test(screen))) - pressed);
    session.child.write('q');
    await session.waitFor((screen) => !helpShown.test(screen));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await session.exited;

  console.log(`player: ${runs} runs each, medians (pseudo-terminal 100×30)`);
  console.log(`  first frame on screen   player ${ms(median(firstFrames))}   headless first line ${ms(median(firstLines))}   ratio ${(median(firstFrames) / median(firstLines)).toFixed(2)}`);
  console.log(`  first frame of runbooks/rollback.md   player ${ms(median(rollbackFrames))}`);
  console.log(`  200,000-line node       player ${ms(median(playerNode))}   headless ${ms(median(headlessNode))}   ratio ${(median(playerNode) / median(headlessNode)).toFixed(2)}`);
  console.log(`  key to screen during a 200,000-line flood (${latencies.length} presses)   median ${ms(median(latencies))}   max ${ms(Math.max(...latencies))}`);
} finally {
  rmSync(dir, {recursive: true, force: true});
}
