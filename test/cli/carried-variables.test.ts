import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from './run-cli.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-carried-cli-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

// Every file under `root`, read whole.
function everyFile(root: string): string[] {
  return readdirSync(root, {recursive: true, encoding: 'utf8'}).map((entry) => join(root, entry)).filter((path) => statSync(path).isFile());
}

describe('runbook play with variables that carry over', () => {
  it('shows and records what blocks export, never a secret one in clear, and restores the rest on resume', async () => {
    const marker = join(dir, 'marker');
    writeFileSync(join(dir, 'r.md'), [
      '# Carry',
      '## 1) Set',
      '```bash {#set}',
      // the secret is made when the block runs: the runbook never holds it
      'export NAMESPACE=prod API_TOKEN="tok-$(echo secret)-98765"',
      '```',
      '## 2) Gate',
      '```bash {#gate}',
      `test -f '${marker}'`,
      '```',
      '## 3) Use',
      '```bash {#use}',
      'echo "ns=$NAMESPACE token=${API_TOKEN:-lost}"',
      '```',
    ].join('\n'));
    const first = await runCli(['play', 'r.md', '--yes'], {cwd: dir});
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('     exported API_TOKEN = ••••••\n     exported NAMESPACE = prod\n');

    writeFileSync(marker, '');
    const second = await runCli(['play', 'r.md', '--yes', '--resume'], {cwd: dir});
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('the variable API_TOKEN that `set` exported held a secret, which is never written down, so it is not set after resuming; rerun `set` if a later node needs it');
    expect(second.stdout).toContain('ns=prod token=lost\n');

    const files = everyFile(join(dir, '.runbook'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain('tok-secret-98765');
  });
});
