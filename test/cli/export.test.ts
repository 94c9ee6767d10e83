import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {exitCodes} from '../../src/cli/errors.js';
import {exitStatusOf} from '../../src/reporters/cast-from-transcript.js';
import {parseCast, type ParsedCast} from '../reporters/asciicast-schema.js';
import {cliPath, runCli} from './run-cli.js';

// `runbook export RUN --asciicast`: a recorded run as a file asciinema plays.

const secret = 'hunter2-cast-secret';

const runbook = [
  '---',
  'inputs:',
  '  DEPLOY_PASS: {description: the deploy password}',
  '---',
  '# Cast me',
  '## 1. Print the secret',
  '```sh {#leak}',
  // a secret printed, a terminal title, a colour and a screen clear
  'echo "pass is $DEPLOY_PASS"; printf "\\033]0;pwned\\007 \\033[31mred\\033[0m \\033[2J\\n"',
  '```',
  '## 2. Confirm',
  '<!-- runbook: confirm="Go on?" -->',
  '```sh {#big}',
  // past the 64 KiB kept inline: the rest is in a side file
  'seq 1 30000',
  '```',
  '## 3. Last',
  '```sh {#last}',
  'echo done',
  '```',
].join('\n');

function setUp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-export-'));
  writeFileSync(join(dir, 'book.md'), runbook);
  writeFileSync(join(dir, 'pass.txt'), `${secret}\n`);
  return dir;
}

function runDir(dir: string, transcriptDir = '.runbook/runs'): string {
  const [run] = readdirSync(join(dir, transcriptDir));
  return join(dir, transcriptDir, run ?? '');
}

function headPrinted(stderr: string): string {
  const head = /transcript head: (sha256:[0-9a-f]+)/.exec(stderr)?.[1];
  expect(head).toBeDefined();
  return head ?? '';
}

function outputText(cast: ParsedCast): string {
  return cast.events.filter((event) => event[1] === 'o').map((event) => event[2]).join('');
}

function markers(cast: ParsedCast): string[] {
  return cast.events.filter((event) => event[1] === 'm').map((event) => event[2]);
}

describe('runbook export --asciicast', () => {
  it('writes a v3 cast of the run: markers in step order, the exit status, the incident in tags, the head in the title, no secret', async () => {
    const dir = setUp();
    const played = await runCli(['play', 'book.md', '--yes', '--set-file', 'DEPLOY_PASS=pass.txt', '--incident', 'INC-4242'], {cwd: dir});
    expect(played.code).toBe(0);
    const head = headPrinted(played.stderr);
    const result = await runCli(['export', runDir(dir), '--asciicast'], {cwd: dir});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const cast = parseCast(result.stdout, 3);
    expect(cast.header['tags']).toEqual(['runbook', 'INC-4242']);
    expect(cast.header['title']).toBe(`Cast me — run ${readdirSync(join(dir, '.runbook/runs'))[0]} — incident INC-4242 — transcript head ${head}`);
    expect(markers(cast)).toEqual(['step 1. Print the secret', 'step 2. Confirm', 'confirm big: run — auto-approved (--yes)', 'step 3. Last']);
    expect(cast.events.at(-1)).toEqual([expect.any(Number), 'x', '0']);
    expect(cast.events.filter((event) => event[1] === 'x')).toHaveLength(1);
    // the plain reporter's lines, as a terminal takes them
    const text = outputText(cast);
    expect(text).toContain('\r\n== 1. Print the secret\r\n-> leak (sh)\r\n');
    expect(text).toContain('   │ pass is ••••••\r\n');
    expect(text).toContain('   ✓ big passed');
    expect(text).toContain('Summary: PASSED');
    expect(text).not.toMatch(/[^\r]\n/);
    // the whole of the big output, the part in the side file included, in order
    const numbers = text.split('\r\n').filter((line) => /^ {3}│ \d+$/.test(line)).map((line) => Number(line.slice(5)));
    expect(numbers).toEqual(Array.from({length: 30000}, (_, index) => index + 1));
    expect(readdirSync(join(runDir(dir), 'outputs'))).toEqual(['big-1.log']);
    // escape sequences are shown as text, never sent to the viewer's terminal
    expect(text).toContain('\\x1b]0;pwned\\x07 red \\x1b[2J');
    expect(text).not.toContain('\u001b');
    expect(result.stdout).not.toContain(secret);
  });

  it('writes v2 with --v2 and --out: absolute times, no exit event, the incident in the title, a private file', async () => {
    const dir = setUp();
    const played = await runCli(['play', 'book.md', '--yes', '--set-file', 'DEPLOY_PASS=pass.txt', '--incident', 'INC-4242'], {cwd: dir});
    const head = headPrinted(played.stderr);
    const run = readdirSync(join(dir, '.runbook/runs'))[0] ?? '';
    // a run id, looked up under the transcript directory
    const result = await runCli(['export', run, '--asciicast', '--v2', '--out', 'run.cast'], {cwd: dir});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('runbook: asciicast written to run.cast\n');
    const file = join(dir, 'run.cast');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = readFileSync(file, 'utf8');
    const cast = parseCast(written, 2);
    expect(cast.header['title']).toContain(`incident INC-4242 — transcript head ${head}`);
    expect(markers(cast)).toEqual(['step 1. Print the secret', 'step 2. Confirm', 'confirm big: run — auto-approved (--yes)', 'step 3. Last']);
    expect(cast.events.some((event) => event[1] === 'x')).toBe(false);
    expect(written).not.toContain(secret);
  });

  it('joins the attempts of a resumed run into one timeline, marks the resume, and ends with the last attempt\'s exit status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-export-'));
    writeFileSync(join(dir, 'flaky.md'), ['# Flaky', '## 1. Prepare', '```sh {#prep}', 'echo ready', '```', '## 2. Needs ok', '```sh {#needs}', 'test -f ok && echo found', '```'].join('\n'));
    expect((await runCli(['play', 'flaky.md', '--yes'], {cwd: dir})).code).toBe(exitCodes.failed);
    const failed = parseCast((await runCli(['export', runDir(dir), '--asciicast'], {cwd: dir})).stdout, 3);
    expect(failed.events.at(-1)?.slice(1)).toEqual(['x', '1']);
    writeFileSync(join(dir, 'ok'), '');
    expect((await runCli(['play', 'flaky.md', '--yes', '--resume'], {cwd: dir})).code).toBe(exitCodes.ok);
    const cast = parseCast((await runCli(['export', runDir(dir), '--asciicast'], {cwd: dir})).stdout, 3);
    const labels = markers(cast);
    expect(labels.map((label) => label.replace(/resumed \S+$/, 'resumed TIME'))).toEqual([
      'step 1. Prepare', 'step 2. Needs ok', 'failure needs: stop — auto-approved (--yes)', 'attempt 2, resumed TIME', 'step 2. Needs ok',
    ]);
    expect(cast.events.filter((event) => event[1] === 'x').map((event) => event[2])).toEqual(['0']);
    const firstSummary = cast.events.findIndex((event) => event[2].includes('Summary: FAILED'));
    const resumed = cast.events.findIndex((event) => event[2].startsWith('attempt 2'));
    expect(firstSummary).toBeGreaterThan(0);
    expect(resumed).toBeGreaterThan(firstSummary);
    // attempt 2's mono restarts at 0: its events still come after attempt 1's
    expect(cast.at[resumed]).toBeGreaterThanOrEqual((cast.at[firstSummary] ?? 0) + 1);
    expect(outputText(cast)).toContain('Resuming Flaky');
  });

  it('shows exactly what headless play printed, over every attempt, a rehearsal going live included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-export-'));
    writeFileSync(join(dir, 'r.md'), ['# Rollback', '## 1) Roll back code', '```sh {#redeploy mutates}', 'touch deployed; echo deployed', '```', '## 2) Verify', '```sh {#verify}', 'test -f deployed && echo verified', '```', ''].join('\n'));
    const rehearsal = await runCli(['play', 'r.md', '--yes', '--read-only'], {cwd: dir});
    expect(rehearsal.code).toBe(exitCodes.failed);
    const live = await runCli(['play', 'r.md', '--yes', '--resume', '--live'], {cwd: dir});
    expect(live.code).toBe(exitCodes.ok);
    expect(live.stdout).toContain('   pending again after the rehearsal: 1) Roll back code, 2) Verify');
    const cast = parseCast((await runCli(['export', runDir(dir), '--asciicast'], {cwd: dir})).stdout, 3);
    expect(outputText(cast).replace(/\r\n/g, '\n')).toBe(rehearsal.stdout + live.stdout);
  });

  it('gives each outcome the exit status play exits with', () => {
    expect(exitStatusOf).toEqual({passed: exitCodes.ok, failed: exitCodes.failed, aborted: exitCodes.failed, interrupted: exitCodes.interrupted});
  });

  it('says when the transcript does not verify, in stderr and in the title', async () => {
    const dir = setUp();
    await runCli(['play', 'book.md', '--yes', '--set-file', 'DEPLOY_PASS=pass.txt'], {cwd: dir});
    const path = join(runDir(dir), 'transcript.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"text":"done\\n"', '"text":"DONE\\n"'));
    const result = await runCli(['export', path, '--asciicast'], {cwd: dir});
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('is NOT intact (see runbook verify)');
    expect(parseCast(result.stdout, 3).header['title']).toMatch(/transcript head sha256:[0-9a-f]{32} \(NOT intact\)$/);
  });

  it('ends quietly, exit 0, when the reader of stdout goes away (| head)', async () => {
    const dir = setUp();
    await runCli(['play', 'book.md', '--yes', '--set-file', 'DEPLOY_PASS=pass.txt'], {cwd: dir});
    const result = await new Promise<{code: number | null; read: string; stderr: string}>((resolve, reject) => {
      const child = spawn(process.execPath, ['--', cliPath, 'export', runDir(dir), '--asciicast'], {cwd: dir, stdio: ['ignore', 'pipe', 'pipe']});
      let read = '';
      let stderr = '';
      child.stdout.once('data', (chunk: Buffer) => {
        read = chunk.toString();
        child.stdout.destroy();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({code, read, stderr}));
    });
    expect(result).toMatchObject({code: 0, stderr: ''});
    expect(result.read).toMatch(/^\{"version":3,/);
  });

  it('says which --out cannot be written (exit 2)', async () => {
    const dir = setUp();
    await runCli(['play', 'book.md', '--yes', '--set-file', 'DEPLOY_PASS=pass.txt'], {cwd: dir});
    const result = await runCli(['export', runDir(dir), '--asciicast', '--out', 'no/such/dir/run.cast'], {cwd: dir});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^runbook: no\/such\/dir\/run\.cast: cannot write the asciicast \(.+\); give --out a file in a directory you can write\n$/);
  });

  it('refuses without a format, and a RUN that is not there (exit 2)', async () => {
    const dir = setUp();
    expect(await runCli(['export', 'x', '--v2'], {cwd: dir})).toMatchObject({code: 2, stderr: 'runbook: export: give the format, --asciicast (the only one so far)\n'});
    const missing = await runCli(['export', 'nothing-here', '--asciicast'], {cwd: dir});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nothing-here: no transcript there');
  });

  // asciinema 2.x plays v2 only (v3 needs asciinema 3); `cat` wants a terminal, which `script` gives it
  const asciinema = spawnSync('asciinema', ['--version'], {encoding: 'utf8'});
  const script = spawnSync('script', ['--version'], {encoding: 'utf8'});
  const playable = asciinema.status === 0 && script.status === 0;
  it.skipIf(!playable)(`plays in the asciinema CLI (${playable ? asciinema.stdout.trim() : 'skipped: asciinema or script is not installed (apt-get install asciinema)'})`, async () => {
    const dir = setUp();
    await runCli(['play', 'book.md', '--yes', '--set-file', 'DEPLOY_PASS=pass.txt'], {cwd: dir});
    expect((await runCli(['export', runDir(dir), '--asciicast', '--v2', '--out', 'run.cast'], {cwd: dir})).code).toBe(0);
    const played = spawnSync('script', ['-qec', 'asciinema cat run.cast', '/dev/null'], {cwd: dir, encoding: 'utf8', timeout: 30_000});
    expect(played.status).toBe(0);
    const screen = played.stdout;
    expect(screen).toContain('== 1. Print the secret');
    expect(screen).toContain('│ pass is ••••••');
    expect(screen).toContain('│ 30000');
    expect(screen).toContain('Summary: PASSED');
    expect(screen).not.toContain(secret);
    expect(screen).not.toContain('\u001b]0;pwned');
  });
});
