// What each build-time patch of a dependency (scripts/build.mjs) gains, on
// the row it targets: the CLI built with every patch against the CLI built
// without that one, as alternating pairs, medians compared. A patch stays
// only with a clear gain (≥ 20 ms on a first frame, ≥ 10 % on a throughput row).
//
//   node bench/patches.mjs [PAIRS] [PATCH…]   (default 5 pairs, every patch)
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {measureProcess} from './measure-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pairs = Number(process.argv[2] ?? 5);
const only = process.argv.slice(3);
// inside the checkout, so the builds find node_modules as dist/ does
const builds = join(root, 'bench/results/builds');
const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-patches-'));
const rollback = join(root, 'runbooks/rollback.md');
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'CI' && name !== 'CONTINUOUS_INTEGRATION'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function buildWithout(name) {
  const outdir = join(builds, name ?? 'all');
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], {cwd: root, env: {...process.env, RUNBOOK_BUILD_OUTDIR: outdir, RUNBOOK_BUILD_WITHOUT: name ?? ''}, stdio: 'inherit'});
  if (result.status !== 0) throw new Error(`build without ${name} failed`);
  return join(outdir, 'cli.js');
}

// ms until the player's first frame of runbooks/rollback.md is on screen
function firstFrame(cli) {
  return new Promise((resolve, reject) => {
    const terminal = new xterm.Terminal({cols: 100, rows: 30, allowProposedApi: true});
    const started = performance.now();
    const child = pty.spawn(process.execPath, ['--', cli, 'play', rollback, '--transcript-dir', join(dir, 'runs')], {name: 'xterm-256color', cols: 100, rows: 30, cwd: dir, env});
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('no first frame in 30 s'));
    }, 30_000);
    child.onData((data) => terminal.write(data, () => {
      if (done) return;
      const rows = [];
      for (let row = 0; row < terminal.rows; row += 1) rows.push(terminal.buffer.active.getLine(row)?.translateToString(true) ?? '');
      if (rows.join('\n').includes('Rollback Playbook')) {
        done = true;
        clearTimeout(timer);
        const ms = performance.now() - started;
        child.kill('SIGKILL');
        resolve(ms);
      }
    }));
  });
}

const processMs = (args) => async (cli) => (await measureProcess(process.execPath, ['--', cli, ...args], {cwd: dir})).seconds * 1000;

// a runbook of 5,000 steps of prose, lists and tables: parse throughput
let large = 'title: Large\n';
large = `---\n${large}---\n# Large\n`;
for (let step = 0; step < 5000; step += 1) large += `\n## Step ${step}\n\nSome *prose* with \`code\` and a [link](https://example.com/${step}).\n\n- one\n- two\n\n| a | b |\n| - | - |\n| ${step} | x |\n`;
writeFileSync(join(dir, 'large.md'), large);

const rows = {
  'yoga-without-fetch': {what: 'player first frame (rollback.md)', measure: firstFrame},
  'lazy-grapheme-segmenter': {what: 'player first frame (rollback.md)', measure: firstFrame},
  'same-styles-first': {what: 'player first frame (rollback.md)', measure: firstFrame},
  'lazy-string-width': {what: 'player first frame (rollback.md)', measure: firstFrame},
  'one-compile-context': {what: '`check` of a 5,000-step runbook', measure: processMs(['check', join(dir, 'large.md')])},
};

try {
  mkdirSync(builds, {recursive: true});
  const all = buildWithout(undefined);
  const results = [];
  for (const [name, row] of Object.entries(rows)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const cli = buildWithout(name);
    const withPatch = [];
    const withoutPatch = [];
    await row.measure(all);
    await row.measure(cli);
    for (let pair = 0; pair < pairs; pair += 1) {
      const order = pair % 2 === 0 ? [[withPatch, all], [withoutPatch, cli]] : [[withoutPatch, cli], [withPatch, all]];
      for (const [into, which] of order) into.push(await row.measure(which));
    }
    const a = median(withPatch);
    const b = median(withoutPatch);
    results.push({name, what: row.what, withMs: a, withoutMs: b, gainMs: b - a, gainPercent: ((b - a) / b) * 100});
    console.log(`${name.padEnd(24)} ${row.what}: with ${Math.round(a)} ms, without ${Math.round(b)} ms — gain ${Math.round(b - a)} ms (${(((b - a) / b) * 100).toFixed(0)} %)`);
  }
  writeFileSync(join(root, 'bench/results/patches.json'), `${JSON.stringify({at: new Date().toISOString(), pairs, results}, null, 2)}\n`);
} finally {
  rmSync(dir, {recursive: true, force: true});
}
