// Streams a node's output through headless play and compares it, side by
// side, with the same command run directly: peak memory of `runbook play`
// for a small and a large output (flat memory means a ratio near 1), the
// time against the bare command piped to /dev/null, and the same amount of
// output as one line without a newline against it as lines (a ratio near 1
// means a long line costs no more than short ones).
//
//   node bench/output.mjs [MEGABYTES]   (default 1024)
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {measureProcess} from './measure-process.mjs';

const megabytes = Number(process.argv[2] ?? 1024);
const cli = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-output-'));

const command = (mb) => `{ yes 'a line of output from a busy node, about sixty bytes long' || true; } | head -c ${mb * 1024 * 1024}`;
const oneLine = (mb) => `head -c ${mb * 1024 * 1024} /dev/zero | tr '\\0' x`;
const runbookFor = (mb, print = command) => `# Output\n## Print\n\`\`\`bash {#print}\n${print(mb)}\n\`\`\`\n`;

const measure = (file, args) => measureProcess(file, args, {cwd: dir, sampleMs: 20});

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

try {
  writeFileSync(join(dir, 'small.md'), runbookFor(1));
  writeFileSync(join(dir, 'large.md'), runbookFor(megabytes));
  writeFileSync(join(dir, 'one-line.md'), runbookFor(megabytes, oneLine));
  const bare = await measure('bash', ['-c', `${command(megabytes)} > /dev/null`]);
  const small = await measure(process.execPath, ['--', cli, 'play', 'small.md', '--yes', '--transcript-dir', 'runs']);
  const large = await measure(process.execPath, ['--', cli, 'play', 'large.md', '--yes', '--transcript-dir', 'runs']);
  const line = await measure(process.execPath, ['--', cli, 'play', 'one-line.md', '--yes', '--transcript-dir', 'runs']);
  console.log(`output: ${megabytes} MiB through one node (headless play, stdout to /dev/null)`);
  console.log(`  peak RSS   1 MiB output: ${mib(small.peak)}   ${megabytes} MiB output: ${mib(large.peak)}   ratio ${(large.peak / small.peak).toFixed(2)} (flat ≈ 1)`);
  console.log(`  time       bare command: ${bare.seconds.toFixed(2)}s   runbook play: ${large.seconds.toFixed(2)}s   ratio ${(large.seconds / bare.seconds).toFixed(1)}`);
  console.log(`  one line   ${megabytes} MiB without a newline: ${line.seconds.toFixed(2)}s, peak RSS ${mib(line.peak)}   ratio to lines: time ${(line.seconds / large.seconds).toFixed(2)}, RSS ${(line.peak / large.peak).toFixed(2)} (≈ 1: no cost for long lines)`);
  console.log(`  throughput ${(megabytes / large.seconds).toFixed(0)} MiB/s through redaction, the reporter and the transcript`);
} finally {
  rmSync(dir, {recursive: true, force: true});
}
