import {spawn} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, runCli} from './run-cli.js';

// report, export and replay's timeline make their output: a stdout that
// loses it (a full disk: ENOSPC) fails the command (exit 1, said on
// stderr), while a reader that goes away on purpose (`| head`) does not.

let dir = '';
let runId = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-lost-stdout-'));
  writeFileSync(join(dir, 'r.md'), '# Lost\n## Print\n```sh {#print}\nseq 1 20000\n```\n');
  expect((await runCli(['play', 'r.md', '--yes'], {cwd: dir})).code).toBe(0);
  [runId = ''] = readdirSync(join(dir, '.runbook/runs'));
});

afterAll(() => rmSync(dir, {recursive: true, force: true}));

function runTo(stdout: 'full' | 'head', args: readonly string[]): Promise<{code: number | null; stderr: string}> {
  const full = stdout === 'full' ? openSync('/dev/full', 'w') : undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--', cliPath, ...args], {cwd: dir, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', full ?? 'pipe', 'pipe']});
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // `| head -c 10`: read a little, then go away
    child.stdout?.once('data', () => child.stdout?.destroy());
    child.on('error', reject);
    child.on('close', (code) => {
      if (full !== undefined) closeSync(full);
      resolve({code, stderr});
    });
  });
}

const commands = [
  ['report', ['report'], 'report', 'give --out FILE on a disk with room'],
  ['export', ['export', '--asciicast'], 'asciicast', 'give --out FILE on a disk with room'],
  ['replay without a terminal', ['replay'], 'timeline', 'send it to a file on a disk with room'],
] as const;

describe.each(commands)('%s', (_name, command, what, remedy) => {
  it('fails (exit 1) and says so when stdout is a full disk', async () => {
    const [verb, ...rest] = command;
    const result = await runTo('full', [verb, runId, ...rest]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`runbook: cannot write the ${what} to stdout: no space left on device (ENOSPC); what was written is incomplete — ${remedy}\n`);
  });

  it('ends quietly (exit 0) when the reader goes away', async () => {
    const [verb, ...rest] = command;
    const result = await runTo('head', [verb, runId, ...rest]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('cannot write');
  });
});
