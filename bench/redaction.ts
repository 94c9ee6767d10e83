// Pushes ordinary output (60-byte lines, no secret in them) through a
// redaction stream in 64 KiB chunks: once with no secrets known (the common
// case), once with three secrets known, and prints MiB/s for each.
// Run: node --import tsx bench/redaction.ts [MEGABYTES]   (default 64)
import {performance} from 'node:perf_hooks';
import {Redactor} from '../src/engine/redaction.js';

const megabytes = Number(process.argv[2] ?? 64);
const line = 'a line of output from a busy node, about sixty bytes long\n';
const chunk = line.repeat(Math.ceil(65536 / line.length));
const chunks = Math.ceil((megabytes * 1024 * 1024) / chunk.length);

function throughput(redactor: Redactor): number {
  const stream = redactor.createStream();
  const started = performance.now();
  let shown = 0;
  for (let index = 0; index < chunks; index += 1) shown += stream.push(chunk).length;
  shown += stream.flush().length;
  const seconds = (performance.now() - started) / 1000;
  if (shown !== chunks * chunk.length) throw new Error('the bench output was masked: it should hold no secret');
  return (chunks * chunk.length) / 1024 / 1024 / seconds;
}

const secrets = ['p@ss/w+rd"q\\x-2f9', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'correct horse battery staple'];
// warm up the JIT once per case so the figures compare like with like
throughput(new Redactor());
throughput(new Redactor(secrets));
console.log(`redaction: ${megabytes} MiB of ordinary 60-byte lines in 64 KiB chunks`);
console.log(`  no secrets     ${throughput(new Redactor()).toFixed(0)} MiB/s`);
console.log(`  three secrets  ${throughput(new Redactor(secrets)).toFixed(0)} MiB/s`);
