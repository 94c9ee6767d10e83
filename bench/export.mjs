// `runbook export --asciicast` of a run whose node printed a small and a
// large output (most of it in the run's side file): peak memory of the
// export for each (flat memory means a ratio near 1) and its throughput.
//
//   node bench/export.mjs [MEGABYTES]   (default 256)
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {measureProcess} from './measure-process.mjs';

const megabytes = Number(process.argv[2] ?? 256);
const cli = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-export-'));

const command = (mb) => `{ yes 'a line of output from a busy node, about sixty bytes long' || true; } | head -c ${mb * 1024 * 1024}`;
const runbookFor = (mb) => `# Output\n## Print\n\`\`\`bash {#print}\n${command(mb)}\n\`\`\`\n`;

const measure = (args) => measureProcess(process.execPath, ['--', cli, ...args], {cwd: dir, sampleMs: 20});

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

try {
  const runs = {};
  for (const [name, mb] of [['small', 1], ['large', megabytes]]) {
    writeFileSync(join(dir, `${name}.md`), runbookFor(mb));
    await measure(['play', `${name}.md`, '--yes', '--transcript-dir', name]);
    const [run] = readdirSync(join(dir, name));
    runs[name] = join(name, run);
  }
  const small = await measure(['export', runs.small, '--asciicast', '--out', 'small.cast']);
  const large = await measure(['export', runs.large, '--asciicast', '--out', 'large.cast']);
  console.log(`export: the asciicast of a run whose node printed ${megabytes} MiB (side file), to a file`);
  console.log(`  peak RSS   1 MiB output: ${mib(small.peak)}   ${megabytes} MiB output: ${mib(large.peak)}   ratio ${(large.peak / small.peak).toFixed(2)} (flat ≈ 1)`);
  console.log(`  time       ${large.seconds.toFixed(2)}s (verify, then the cast)   throughput ${(megabytes / large.seconds).toFixed(0)} MiB/s`);
} finally {
  rmSync(dir, {recursive: true, force: true});
}
