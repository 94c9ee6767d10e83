import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeEach, describe, expect, it} from 'vitest';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {cliPath, runCli, runCollected, type CliResult} from './run-cli.js';

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-fs-'));
});

const faultModule = fileURLToPath(new URL('fixtures/fs-fault.mjs', import.meta.url));

interface Fault {
  readonly call: 'mkdir' | 'open' | 'write';
  readonly code: string;
  readonly path: string;
  readonly flags?: string;
  readonly content?: string;
}

// The CLI with one filesystem call made to fail (see fixtures/fs-fault.mjs):
// these tests run as root, where chmod cannot deny anything.
function runWithFault(fault: Fault, args: readonly string[]): Promise<CliResult> {
  return runCollected(process.execPath, ['--import', faultModule, '--', cliPath, ...args], {
    cwd: dir, env: {...process.env, NO_COLOR: '1', RUNBOOK_TEST_FS_FAULT: JSON.stringify(fault)},
  });
}

const twoSteps = '# Two\n## A\n```sh {#a}\ntouch a\n```\n## B\n```sh {#b}\ntouch b\n```\n';

// Live processes that carry the run's id in their environment (Linux /proc).
function processesOf(runId: string): string[] {
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`RUNBOOK_RUN_ID=${runId}`);
    } catch {
      return false;
    }
  });
}

const onlyRun = (): {runId: string; path: string} => {
  const runs = join(dir, '.runbook/runs');
  const [runId = ''] = readdirSync(runs);
  return {runId, path: join(runs, runId, 'transcript.jsonl')};
};

describe('filesystem errors before anything ran: one line, exit 2', () => {
  it('a directory or a FIFO given as the runbook (a FIFO is never opened, so nothing hangs)', async () => {
    mkdirSync(join(dir, 'docs.md'));
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    expect(await runCli(['play', 'docs.md', '--yes'], {cwd: dir})).toEqual({code: 2, stdout: '', stderr: 'runbook: docs.md: cannot read the runbook (it is a directory); give the path of a Markdown file\n'});
    const fifo = 'runbook: pipe.md: cannot read the runbook (it is a FIFO, not a regular file); give the path of a Markdown file\n';
    expect(await runCli(['play', 'pipe.md', '--yes'], {cwd: dir})).toEqual({code: 2, stdout: '', stderr: fifo});
    expect(await runCli(['list', 'pipe.md'], {cwd: dir})).toEqual({code: 2, stdout: '', stderr: fifo});
    expect(await runCli(['check', 'pipe.md'], {cwd: dir})).toMatchObject({code: 2, stderr: fifo});
    expect(await runCli(['verify', 'pipe.md'], {cwd: dir})).toEqual({code: 2, stdout: '', stderr: 'runbook: pipe.md: cannot read the transcript (it is a FIFO, not a regular file); give the path of a transcript.jsonl\n'});
  });

  it('a directory or a FIFO given as the --env-file', async () => {
    writeFileSync(join(dir, 'r.md'), twoSteps);
    mkdirSync(join(dir, 'vars'));
    execFileSync('mkfifo', [join(dir, 'vars.fifo')]);
    expect(await runCli(['play', 'r.md', '--yes', '--env-file', 'vars'], {cwd: dir})).toEqual({code: 2, stdout: '', stderr: 'runbook: --env-file vars: cannot read it (it is a directory); give the path of a dotenv file\n'});
    expect(await runCli(['play', 'r.md', '--yes', '--env-file', 'vars.fifo'], {cwd: dir})).toEqual({code: 2, stdout: '', stderr: 'runbook: --env-file vars.fifo: cannot read it (it is a FIFO, not a regular file); give the path of a dotenv file\n'});
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('a transcript directory under a file (ENOTDIR)', async () => {
    writeFileSync(join(dir, 'r.md'), twoSteps);
    writeFileSync(join(dir, 'not-a-dir'), '');
    const result = await runCli(['play', 'r.md', '--yes', '--transcript-dir', 'not-a-dir/runs'], {cwd: dir});
    expect(result).toEqual({code: 2, stdout: '', stderr: `runbook: cannot record the run in not-a-dir/runs: ${dir}/not-a-dir/runs: a part of the path is not a directory (ENOTDIR); nothing ran — give --transcript-dir a directory you can write to\n`});
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('a transcript directory that cannot be created (EACCES) or a transcript that cannot be opened (EROFS) or written (ENOSPC)', async () => {
    writeFileSync(join(dir, 'r.md'), twoSteps);
    const denied = await runWithFault({call: 'mkdir', code: 'EACCES', path: '.runbook'}, ['play', 'r.md', '--yes']);
    expect(denied).toEqual({code: 2, stdout: '', stderr: `runbook: cannot record the run in .runbook/runs: ${dir}/.runbook: permission denied (EACCES); nothing ran — give --transcript-dir a directory you can write to\n`});
    const readOnly = await runWithFault({call: 'open', code: 'EROFS', path: 'transcript.jsonl'}, ['play', 'r.md', '--yes']);
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toMatch(new RegExp(`^runbook: cannot record the run in \\.runbook/runs: ${dir}/\\.runbook/runs/\\d{8}T\\d{6}Z-[0-9a-f]{6}/transcript\\.jsonl: read-only file system \\(EROFS\\); nothing ran — give --transcript-dir a directory you can write to\\n$`));
    const full = await runWithFault({call: 'write', code: 'ENOSPC', path: 'transcript.jsonl', content: '"type":"header"'}, ['play', 'r.md', '--yes', '--transcript-dir', 'full']);
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/^runbook: cannot record the run in full: .*\/transcript\.jsonl: no space left on device \(ENOSPC\); nothing ran — give --transcript-dir a directory you can write to\n$/);
    // no empty or half-written run is left behind
    expect(readdirSync(join(dir, '.runbook/runs'))).toEqual([]);
    expect(readdirSync(join(dir, 'full'))).toEqual([]);
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('a transcript that cannot be reopened to resume (EROFS)', async () => {
    writeFileSync(join(dir, 'r.md'), twoSteps.replace('touch b', 'test -f go && touch b'));
    expect((await runCli(['play', 'r.md', '--yes'], {cwd: dir})).code).toBe(1);
    writeFileSync(join(dir, 'go'), '');
    const {path} = onlyRun();
    // listing the runs reads it ('r'); continuing it opens it for writing
    const result = await runWithFault({call: 'open', code: 'EROFS', path: 'transcript.jsonl', flags: 'r+'}, ['play', 'r.md', '--yes', '--resume']);
    expect(result).toEqual({code: 2, stdout: '', stderr: `runbook: cannot record the run in .runbook/runs: ${path}: read-only file system (EROFS); nothing ran — give --transcript-dir a directory you can write to\n`});
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });
});

describe('filesystem errors once the run began: one line, exit 1, stopped before the next side effect', () => {
  it('a full disk at a node start: the node never runs, the record stays a valid chain, and the run resumes', async () => {
    writeFileSync(join(dir, 'r.md'), twoSteps);
    const result = await runWithFault({call: 'write', code: 'ENOSPC', path: 'transcript.jsonl', content: '"node-start","nodeId":"b"'}, ['play', 'r.md', '--yes']);
    const {runId, path} = onlyRun();
    expect(result.code).toBe(1);
    expect(result.stderr).toBe([
      `runbook: transcript .runbook/runs/${runId}/transcript.jsonl`,
      `runbook: cannot write the transcript ${path}: no space left on device (ENOSPC); the run stopped before its next step — fix the disk, then continue it with runbook play r.md --resume ${runId} --yes`,
      '',
    ].join('\n'));
    expect(result.stdout.split('\n').slice(-2)).toEqual(['== B', '']);
    expect(existsSync(join(dir, 'a'))).toBe(true);
    expect(existsSync(join(dir, 'b'))).toBe(false);
    const verified = await verifyTranscript(path);
    expect(verified).toMatchObject({status: 'unfinished', problems: [{severity: 'error', message: 'not sealed after line 7: the process writing it was killed, or its last lines were cut off; the two cannot be told apart (resuming the run seals what is there)'}]});
    const resumed = await runCli(['play', 'r.md', '--yes', '--resume', runId], {cwd: dir});
    expect(resumed.code).toBe(0);
    expect(existsSync(join(dir, 'b'))).toBe(true);
    expect(await verifyTranscript(path)).toMatchObject({ok: true, status: 'finished', outcome: 'passed'});
  });

  it('a side output file that cannot be created (output beyond 64 KiB) names that file too', async () => {
    writeFileSync(join(dir, 'r.md'), '# Big\n## A\n```sh {#a}\nseq 1 40000\n```\n## B\n```sh {#b}\ntouch b\n```\n');
    const result = await runWithFault({call: 'open', code: 'ENOSPC', path: 'outputs'}, ['play', 'r.md', '--yes']);
    const {runId, path} = onlyRun();
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').slice(1)).toEqual([
      `runbook: cannot write the transcript ${path} (${join(dir, '.runbook/runs', runId, 'outputs/a-1.log')}): no space left on device (ENOSPC); the run stopped before its next step — fix the disk, then continue it with runbook play r.md --resume ${runId} --yes`,
      '',
    ]);
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });

  it('a full disk while a node prints: the node is stopped at once, nothing after it runs', async () => {
    writeFileSync(join(dir, 'r.md'), '# Out\n## A\n```sh {#a}\necho start; sleep 30; touch late\n```\n## B\n```sh {#b}\ntouch b\n```\n');
    const result = await runWithFault({call: 'write', code: 'ENOSPC', path: 'transcript.jsonl', content: '"type":"output"'}, ['play', 'r.md', '--yes']);
    const {runId, path} = onlyRun();
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').slice(1)).toEqual([
      `runbook: cannot write the transcript ${path}: no space left on device (ENOSPC); the run stopped before its next step — fix the disk, then continue it with runbook play r.md --resume ${runId} --yes`,
      '',
    ]);
    expect(existsSync(join(dir, 'late'))).toBe(false);
    expect(existsSync(join(dir, 'b'))).toBe(false);
    // the node's processes were ended, not left behind by the failed run
    expect(processesOf(runId)).toEqual([]);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect((JSON.parse(lines.at(-1) ?? '') as {event: {type: string}}).event.type).toBe('node-start');
  });
});
