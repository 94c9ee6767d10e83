// `npm run bench`: every benchmark in turn, each printing its own figures and
// ratios against a baseline measured in the same run.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

const benches = [
  {name: 'parse', args: ['--import', 'tsx', 'bench/parse.ts']},
  {name: 'shell-names', args: ['--import', 'tsx', 'bench/shell-names.ts']},
  {name: 'redaction', args: ['--import', 'tsx', 'bench/redaction.ts']},
  {name: 'carried-env', args: ['--import', 'tsx', 'bench/carried-env.ts']},
  {name: 'output', args: ['bench/output.mjs', process.env['BENCH_OUTPUT_MB'] ?? '256']},
  {name: 'player', args: ['bench/player.mjs']},
  {name: 'report', args: ['bench/report.mjs']},
  {name: 'replay', args: ['bench/replay.mjs']},
  {name: 'export', args: ['bench/export.mjs', process.env['BENCH_EXPORT_MB'] ?? '256']},
];

let failed = false;
for (const bench of benches) {
  const script = bench.args.find((arg) => arg.startsWith('bench/'));
  if (script !== undefined && !existsSync(script)) continue;
  console.log(`\n# ${bench.name}`);
  const result = spawnSync(process.execPath, bench.args, {stdio: 'inherit'});
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
