import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startCli} from '../ui/pty.js';
import {runCli} from './run-cli.js';

// Secrets given to `runbook play` without passing through argv, which any
// local user can read in /proc/PID/cmdline.

const runbook = [
  '---',
  'inputs:',
  '  DEPLOY_PASS: {description: the deploy password}',
  '  REGION: {description: where, default: eu}',
  '---',
  '# Secrets',
  '## Use',
  '```sh {#use}',
  'echo "pass is $DEPLOY_PASS in $REGION"',
  '```',
].join('\n');

function setUp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-secret-values-'));
  writeFileSync(join(dir, 'book.md'), runbook);
  return dir;
}

function transcriptText(dir: string): string {
  const runs = join(dir, '.runbook/runs');
  return readdirSync(runs).map((run) => readFileSync(join(runs, run, 'transcript.jsonl'), 'utf8')).join('\n');
}

describe('secrets that do not pass through argv', () => {
  it('says in --help that --set values show in the process list, and how else to pass them', async () => {
    const {stdout} = await runCli(['play', '--help']);
    expect(stdout.replace(/\s+/g, ' ')).toContain('any local user can read it in the process list, so pass secrets with --set-file, --set-stdin or the environment');
  });

  it('reads a value from a file with --set-file, without its final line break, and masks it as a secret', async () => {
    const dir = setUp();
    writeFileSync(join(dir, 'pass.txt'), 'hunter2-from-file\n');
    const result = await runCli(['play', 'book.md', '--yes', '--set-file', 'DEPLOY_PASS=pass.txt'], {cwd: dir});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('pass is •••••• in eu');
    expect(result.stdout).not.toContain('hunter2');
    const transcript = transcriptText(dir);
    expect(transcript).not.toContain('hunter2');
    expect(transcript).toContain('"type":"input","name":"DEPLOY_PASS","value":"••••••","secret":true,"source":"set-file"');
  });

  it('reads a value piped to stdin with --set-stdin', async () => {
    const dir = setUp();
    const result = await runCli(['play', 'book.md', '--yes', '--set-stdin', 'DEPLOY_PASS', '--json'], {cwd: dir, stdin: 'hunter2-from-stdin\r\n'});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"text":"pass is •••••• in eu\\n"');
    expect(result.stdout).toContain('"source":"stdin"');
    expect(result.stdout + transcriptText(dir)).not.toContain('hunter2');
  });

  it('asks for a --set-stdin value at a terminal without echoing it', {timeout: 60_000}, async () => {
    const dir = setUp();
    const session = startCli(['play', 'book.md', '--yes', '--set-stdin', 'DEPLOY_PASS'], {cwd: dir});
    await session.waitFor('DEPLOY_PASS (typing is not shown):');
    session.press('hunter2-typed\r');
    expect(await session.exited).toBe(0);
    expect(session.screen()).toContain('pass is •••••• in eu');
    expect(session.written()).not.toContain('hunter2');
  });

  it('asks for a --set-stdin value before the player starts, then plays', {timeout: 60_000}, async () => {
    const dir = setUp();
    const session = startCli(['play', 'book.md', '--set-stdin', 'DEPLOY_PASS'], {cwd: dir});
    await session.waitFor('DEPLOY_PASS (typing is not shown):');
    session.press('hunter2-typed\r');
    // the player asks for the input left out, which has a default
    await session.waitFor('REGION — where');
    session.press('\r');
    await session.waitFor('◆ Run `use`?');
    session.press('\r');
    await session.waitFor('Run passed');
    expect(await session.exited).toBe(0);
    expect(session.written()).not.toContain('hunter2');
    expect(transcriptText(dir)).toContain('"text":"pass is •••••• in eu\\n"');
  });

  it('refuses a file it cannot read, and a name given twice, before anything runs (exit 2)', async () => {
    const dir = setUp();
    const missing = await runCli(['play', 'book.md', '--yes', '--set-file', 'DEPLOY_PASS=nope.txt'], {cwd: dir});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('runbook: --set-file DEPLOY_PASS=nope.txt: cannot read it (no such file or directory (ENOENT)); give the path of a file that holds the value\n');
    writeFileSync(join(dir, 'pass.txt'), 'x');
    const twice = await runCli(['play', 'book.md', '--yes', '--set', 'DEPLOY_PASS=a', '--set-file', 'DEPLOY_PASS=pass.txt'], {cwd: dir});
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('runbook: DEPLOY_PASS: given by both --set and --set-file; give it once\n');
    const badName = await runCli(['play', 'book.md', '--yes', '--set-stdin', 'NOT-A-NAME'], {cwd: dir});
    expect(badName.code).toBe(2);
    expect(badName.stderr).toBe('runbook: --set-stdin NOT-A-NAME: expected the NAME of a variable, of letters, digits and _\n');
  });
});
