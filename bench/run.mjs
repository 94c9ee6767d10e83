// `npm run bench`: every row of the speed table, each measured as
// alternating pairs against its baseline in the same run (the machine is
// shared and noisy: a pair sees the same load), reported as the ratio of
// the medians; then the benches that print their own figures (parse, the
// player's first frame, replay, report). Writes everything as JSON under
// bench/results/ (git-ignored).
//
//   npm run bench                      every row, 5 pairs after a warm-up
//   npm run bench -- verify output     only those rows (names below, or an extra bench's)
//   npm run bench -- --quick           2 pairs, no warm-up, no extra benches unless named
//   npm run bench -- --pairs 9         more pairs
//
// Run `npm run build` first: the rows run dist/ through bin/runbook.js.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {writeTranscript} from './large-transcript.mjs';
import {measureProcess} from './measure-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/runbook.js');
const zx = join(root, 'node_modules/.bin/zx');
const node = process.execPath;

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const pairsAt = argv.indexOf('--pairs');
const pairs = pairsAt === -1 ? (quick ? 2 : 5) : Number(argv[pairsAt + 1]);
const named = argv.filter((arg, index) => !arg.startsWith('--') && argv[index - 1] !== '--pairs');
const wanted = (name) => (named.length === 0 ? true : named.includes(name));

const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
const runbook = (...args) => [node, ['--', cli, ...args]];

// what a busy node prints: lines of about sixty bytes, cut to a size
const printCommand = (mb) => `{ yes 'a line of output from a busy node, about sixty bytes long' || true; } | head -c ${mb * 1024 * 1024}`;
const printRunbook = (mb) => `# Output\n## Print\n\`\`\`bash {#print}\n${printCommand(mb)}\n\`\`\`\n`;
const manyRunbook = () => `# Many\n\n## Step\n${'\n```bash\ntrue\n```\n'.repeat(500)}`;

// Each row: what it runs, its baseline, and the target ratio (runbook ÷ baseline).
function rows() {
  writeFileSync(join(dir, 'many.md'), manyRunbook());
  writeFileSync(join(dir, 'print-64.md'), printRunbook(64));
  writeFileSync(join(dir, 'print-1024.md'), printRunbook(1024));
  const transcript = () => writeTranscript(dir, 100_000, '20261202T120000Z-bench0').path;
  return [
    {name: 'version', work: '`runbook --version`', baselineName: '`node -e 0`', baseline: [node, ['-e', '0']], runbook: runbook('--version'), target: 1.3},
    {name: 'check', work: '`runbook check runbooks/rollback.md`', baselineName: '`node -e 0`', baseline: [node, ['-e', '0']], runbook: runbook('check', join(root, 'runbooks/rollback.md')), target: 2.0},
    {name: 'nodes', work: '500 one-line `true` bash nodes, headless, transcript on', baselineName: 'a bash loop running `bash -c true` 500 times', baseline: ['bash', ['-c', 'for i in $(seq 500); do bash -c true; done']], runbook: runbook('play', 'many.md', '--yes', '--transcript-dir', 'runs'), target: 1.6},
    {name: 'zx', work: 'the same Markdown file', baselineName: 'zx 8 running it (`zx many.md`)', baseline: [zx, ['many.md']], runbook: runbook('play', 'many.md', '--yes', '--transcript-dir', 'runs'), target: 0.8, skip: existsSync(zx) ? undefined : 'zx is not installed (npm install)'},
    {name: 'output', work: 'one node printing 64 MiB of lines, headless, transcript on', baselineName: '`CMD | tee FILE >/dev/null`', baseline: ['bash', ['-c', `${printCommand(64)} | tee tee-64.out >/dev/null`]], runbook: runbook('play', 'print-64.md', '--yes', '--transcript-dir', 'runs'), target: 1.5, rssTarget: 150e6},
    {name: 'output-1g', work: 'the same, 1 GiB', baselineName: '`CMD | tee FILE >/dev/null`', baseline: ['bash', ['-c', `${printCommand(1024)} | tee tee-1024.out >/dev/null`]], runbook: runbook('play', 'print-1024.md', '--yes', '--transcript-dir', 'runs'), target: 1.5, rssTarget: 150e6, pairs: Math.min(pairs, 3), cleanup: () => rmSync(join(dir, 'runs'), {recursive: true, force: true})},
    {name: 'verify', work: '`runbook verify` of a 100,000-event transcript', baselineName: '`sha256sum` of the file', prepare: transcript, baseline: (path) => ['sha256sum', [path]], runbook: (path) => runbook('verify', path), target: 2.0},
  ];
}

// The benches that measure their own pairs and print their own figures.
const extras = [
  {name: 'parse', args: ['--import', 'tsx', 'bench/parse.ts']},
  {name: 'player', args: ['bench/player.mjs']},
  {name: 'replay', args: ['bench/replay.mjs']},
  {name: 'report', args: ['bench/report.mjs']},
  // only when named: figures of one part, not rows of the table
  {name: 'shell-names', args: ['--import', 'tsx', 'bench/shell-names.ts'], onlyNamed: true},
  {name: 'redaction', args: ['--import', 'tsx', 'bench/redaction.ts'], onlyNamed: true},
  {name: 'carried-env', args: ['--import', 'tsx', 'bench/carried-env.ts'], onlyNamed: true},
  {name: 'output-detail', args: ['bench/output.mjs', '256'], onlyNamed: true},
  {name: 'export', args: ['bench/export.mjs', '256'], onlyNamed: true},
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (value) => `${value.toFixed(3)} s`;
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function measureRow(row) {
  const prepared = row.prepare?.();
  const command = (spec) => (typeof spec === 'function' ? spec(prepared) : spec);
  const [baseFile, baseArgs] = command(row.baseline);
  const [ourFile, ourArgs] = command(row.runbook);
  const base = [];
  const ours = [];
  const once = async (into, file, args) => {
    into.push(await measureProcess(file, args, {cwd: dir, sampleMs: 10}));
    row.cleanup?.();
  };
  if (!quick) {
    await once([], baseFile, baseArgs);
    await once([], ourFile, ourArgs);
  }
  const count = row.pairs ?? pairs;
  for (let i = 0; i < count; i += 1) {
    // alternate which goes first, so neither always follows the other
    if (i % 2 === 0) {
      await once(base, baseFile, baseArgs);
      await once(ours, ourFile, ourArgs);
    } else {
      await once(ours, ourFile, ourArgs);
      await once(base, baseFile, baseArgs);
    }
  }
  const baseline = median(base.map((r) => r.seconds));
  const measured = median(ours.map((r) => r.seconds));
  const peak = Math.max(...ours.map((r) => r.peak));
  return {
    name: row.name, work: row.work, baselineName: row.baselineName, pairs: count,
    baselineSeconds: baseline, runbookSeconds: measured, ratio: measured / baseline, target: row.target,
    runbookPeakRss: peak, rssTarget: row.rssTarget,
    met: measured / baseline <= row.target && (row.rssTarget === undefined || peak <= row.rssTarget),
    samples: {baseline: base.map((r) => r.seconds), runbook: ours.map((r) => r.seconds)},
  };
}

const results = {startedAt: new Date().toISOString(), node: process.version, pairs, quick, rows: [], extras: []};
let failed = false;
try {
  for (const row of rows()) {
    if (!wanted(row.name)) continue;
    if (row.skip !== undefined) {
      console.log(`${row.name}: skipped, ${row.skip}`);
      continue;
    }
    try {
      const result = await measureRow(row);
      results.rows.push(result);
      const rss = result.rssTarget === undefined ? '' : `, peak ${mib(result.runbookPeakRss)} (target ≤ ${mib(result.rssTarget)})`;
      console.log(`${row.name.padEnd(10)} ${row.baselineName} ${seconds(result.baselineSeconds)}   runbook ${seconds(result.runbookSeconds)}   ${result.ratio.toFixed(2)}× (target ≤ ${row.target}×${result.met ? '' : ', NOT MET'})${rss}`);
    } catch (error) {
      failed = true;
      console.log(`${row.name}: failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} finally {
  rmSync(dir, {recursive: true, force: true});
}

for (const extra of extras) {
  if (named.length === 0 ? quick || extra.onlyNamed === true : !named.includes(extra.name)) continue;
  console.log(`\n# ${extra.name}`);
  const result = spawnSync(node, extra.args, {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
  process.stdout.write(result.stdout);
  results.extras.push({name: extra.name, status: result.status, output: result.stdout});
  if (result.status !== 0) failed = true;
}

const resultsDir = join(root, 'bench/results');
mkdirSync(resultsDir, {recursive: true});
const file = join(resultsDir, `${results.startedAt.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nresults: ${file}`);
process.exitCode = failed ? 1 : 0;
