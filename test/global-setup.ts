import {execFileSync} from 'node:child_process';

// CLI tests run the bundled CLI (bin/runbook.js → dist/); build it once so
// they never test a stale bundle.
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], {stdio: 'inherit'});
}
