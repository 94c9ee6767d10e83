// Times `runbook check` (the built CLI) on a generated runbook of 1,000
// shell blocks that each set and read variables the rule must work out
// from tree-sitter-bash's syntax tree, against the same runbook with every
// name declared in `env` (so no block is read for names: only mvdan/sh
// parses them). Run: node --import tsx bench/shell-names.ts (after `npm run build`)
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';

const blocks = 1000;
const localNames = ['host', 'COUNT', 'x', 'DEBUG'];

export function generateShellRunbook(count: number, declareAll: boolean): string {
  // with every name declared, each block uses the same few names
  const suffix = (index: number): string => (declareAll ? '' : `_${index}`);
  const declared = declareAll ? [...localNames, 'SERVICE', 'ANSWER', 'UNDECLARED', 'NOT'] : [];
  const parts = ['---', 'env:', '  REGION: eu', ...declared.map((name) => `  ${name}: x`), 'inputs:', '  SHA: {pattern: "^[0-9a-f]{7,40}$"}', '---', '# Shell blocks', ''];
  for (let index = 1; index <= count; index += 1) {
    parts.push(`## ${index}) Step ${index}`, '', '```sh',
      `export SERVICE${suffix(index)}="svc-${index}"; COUNT=0`,
      `for host in a b c; do echo "$host $SERVICE${suffix(index)} \${REGION}"; (( COUNT++ )); done`,
      'if [ -n "${DEBUG:-}" ]; then set -x; fi',
      `read -r -p "Answer: " ANSWER${suffix(index)} <<< "$(printf '%s' "$SHA")"`,
      'cat <<EOF | grep -c "$REGION"',
      `service $SERVICE${suffix(index)} in $REGION at $(date +%s) with $((COUNT + 1)) hosts`,
      'EOF',
      `f() { local x=$1; echo "$x $2 $@"; }; f "$ANSWER${suffix(index)}" '$NOT' \`echo $UNDECLARED${suffix(index)}\``,
      `curl -fsS "https://example.test/$REGION/${index}" | jq -r '.status' 2>&1 >/dev/null`,
      '```', '');
  }
  return parts.join('\n');
}

const cli = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));

function medianCheck(file: string, runs = 5): {ms: number; warnings: number} {
  const times: number[] = [];
  let warnings = 0;
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [cli, 'check', file], {encoding: 'utf8'});
    times.push(performance.now() - start);
    warnings = result.stdout.split('\n').filter((line) => line.includes('[undeclared-variable]')).length;
  }
  times.sort((a, b) => a - b);
  return {ms: times[Math.floor(runs / 2)] ?? 0, warnings};
}

function main(): void {
  const directory = mkdtempSync(join(tmpdir(), 'runbook-bench-shell-'));
  try {
    const read = join(directory, 'read.md');
    const known = join(directory, 'known.md');
    writeFileSync(read, generateShellRunbook(blocks, false));
    writeFileSync(known, generateShellRunbook(blocks, true));
    const baseline = medianCheck(known);
    const measured = medianCheck(read);
    console.log(`runbook check, ${blocks} shell blocks, names known (not read): ${baseline.ms.toFixed(0)} ms, ${baseline.warnings} warnings`);
    console.log(`runbook check, ${blocks} shell blocks, names read from the tree: ${measured.ms.toFixed(0)} ms, ${measured.warnings} warnings (×${(measured.ms / baseline.ms).toFixed(2)})`);
    if (measured.warnings !== blocks || baseline.warnings !== 0) {
      console.error(`expected ${blocks} warnings (one per block) and none with every name declared`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(directory, {recursive: true, force: true});
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
