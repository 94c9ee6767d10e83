#!/usr/bin/env -S node --
// `--` ends Node's own options: Node 20 otherwise reads our `--env-file FILE`
// as its own flag and exits 9 when FILE is missing.
// Entry point: the CLI is bundled into dist/ by `npm run build`, which
// `npm ci` and `npm install` run through the `prepare` script.
import {existsSync, readFileSync} from 'node:fs';

// `runbook --version` alone needs nothing of the CLI: the version the build
// bundles is package.json's (test/cli/version.test.ts checks they agree).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  await main();
}

async function main() {
  const cli = new URL('../dist/cli.js', import.meta.url);
  if (!existsSync(cli)) {
    process.stderr.write('runbook: dist/cli.js is missing; run `npm run build` in the runbook checkout first.\n');
    process.exit(2);
  }
  await import(cli.href);
}
