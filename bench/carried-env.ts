// What carrying a shell block's exports costs a node: 200 `true` nodes run
// by the shell executor without and with `carry` (the EXIT trap, `export -p`
// and the report descriptor), interleaved in rounds so that the machine's
// load weighs on both alike. Prints the median node of each and the difference.
import {shellExecutor} from '../src/executors/shell.js';
import type {ExecutionContext} from '../src/executors/types.js';
import type {ExecNode} from '../src/runbook/model.js';
import {parseRunbook} from '../src/runbook/parse.js';
import {execNodes} from '../src/runbook/walk.js';

const nodes = Number(process.argv[2] ?? 200);
const rounds = 10;
const found = execNodes(parseRunbook('# B\n\n## S\n\n```bash {#n}\ntrue\n```\n', 'b.md').runbook)[0];
if (found === undefined) throw new Error('no node');
const node: ExecNode = found;
const env: Record<string, string> = {};
for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;

async function one(carry: boolean): Promise<number> {
  const context: ExecutionContext = {
    node, env, resolve: () => undefined, cwd: process.cwd(), shell: 'bash', signal: new AbortController().signal, onOutput: () => undefined,
    ...(carry ? {carry: true} : {}),
  };
  const started = performance.now();
  const result = await shellExecutor.execute(context);
  if (result.status !== 'passed' || (carry && result.exports === undefined)) throw new Error(`node did not pass: ${JSON.stringify(result)}`);
  return performance.now() - started;
}

const times = {off: [] as number[], on: [] as number[]};
// CPU time of this process (not the shells'): what runbook itself spends, which the machine's load does not inflate
const cpu = {off: 0, on: 0};
for (let round = 0; round < rounds; round += 1) {
  for (const mode of ['off', 'on'] as const) {
    const before = process.cpuUsage();
    for (let index = 0; index < nodes / rounds; index += 1) times[mode].push(await one(mode === 'on'));
    const used = process.cpuUsage(before);
    cpu[mode] += (used.user + used.system) / 1000;
  }
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const total = (values: number[]): number => values.reduce((sum, value) => sum + value, 0);
console.log(`${nodes} \`true\` nodes, carry off: median ${median(times.off).toFixed(2)} ms, total ${total(times.off).toFixed(0)} ms`);
console.log(`${nodes} \`true\` nodes, carry on:  median ${median(times.on).toFixed(2)} ms, total ${total(times.on).toFixed(0)} ms`);
console.log(`carrying costs ${(median(times.on) - median(times.off)).toFixed(2)} ms a node (median wall time)`);
console.log(`runbook's own CPU time a node: ${(cpu.off / nodes).toFixed(2)} ms without carry, ${(cpu.on / nodes).toFixed(2)} ms with`);
