// `runbook replay` of a 100,000-event transcript in a real pseudo-terminal:
// how soon its first frame is on screen, against `runbook verify` of the
// same file (which replay runs first: the least a command that shows the
// record's trust can do), and how soon `G` (every event folded) and then
// `←` (back one, from the nearest checkpoint) show.
//
//   node bench/replay.mjs [EVENTS] [RUNS]   (default 100000 and 3; run `npm run build` first)
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {writeTranscript} from './large-transcript.mjs';

const events = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const cli = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-replay-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'CI' && name !== 'CONTINUOUS_INTEGRATION'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${Math.round(value)}ms`;

function verify(path) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--', cli, 'verify', path], {cwd: dir, env, stdio: 'ignore'});
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - started));
  });
}

async function replay(path, records) {
  const terminal = new xterm.Terminal({cols: 100, rows: 30, allowProposedApi: true});
  const started = performance.now();
  const child = pty.spawn(process.execPath, ['--', cli, 'replay', path], {name: 'xterm-256color', cols: 100, rows: 30, cwd: dir, env});
  let parsed = Promise.resolve();
  child.onData((data) => {
    parsed = parsed.then(() => new Promise((resolve) => terminal.write(data, resolve)));
  });
  const exited = new Promise((resolve) => child.onExit(resolve));
  const screen = () => {
    const rows = [];
    for (let row = 0; row < terminal.rows; row += 1) rows.push(terminal.buffer.active.getLine(terminal.buffer.active.viewportY + row)?.translateToString(true) ?? '');
    return rows.join('\n');
  };
  const waitFor = async (text) => {
    for (;;) {
      await parsed;
      if (screen().includes(text)) return performance.now();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  const first = (await waitFor(`event 1 of ${records.toLocaleString('en').replaceAll(',', '')}`)) - started;
  const pressedEnd = performance.now();
  child.write('G');
  const end = (await waitFor(`event ${records} of ${records}`)) - pressedEnd;
  const pressedBack = performance.now();
  child.write('\u001B[D');
  const back = (await waitFor(`event ${records - 1} of ${records}`)) - pressedBack;
  child.write('q');
  await exited;
  return {first, end, back};
}

try {
  const path = writeTranscript(dir, events, '20261202T120000Z-replay').path;
  const records = Number((await import('node:fs')).readFileSync(path, 'utf8').trimEnd().split('\n').length - 1);
  const verifyTimes = [];
  const results = [];
  for (let run = 0; run < runs; run += 1) {
    verifyTimes.push(await verify(path));
    results.push(await replay(path, records));
  }
  const first = median(results.map((result) => result.first));
  const verified = median(verifyTimes);
  console.log(`replay of ${records.toLocaleString('en')} records: first frame ${ms(first)}; verify alone ${ms(verified)} — replay ÷ verify ${(first / verified).toFixed(2)}×`);
  console.log(`  G (every event folded) ${ms(median(results.map((result) => result.end)))}; ← from the end ${ms(median(results.map((result) => result.back)))}`);
} finally {
  rmSync(dir, {recursive: true, force: true});
}
