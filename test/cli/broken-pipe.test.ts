import {spawn} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {cliPath} from './run-cli.js';

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-pipe-'));
});

interface Broken {
  readonly code: number | null;
  // what was read before the pipe was closed, and the other stream in full
  readonly read: string;
  readonly other: string;
}

// Runs the CLI with one stream piped to a reader that goes away: after the
// first chunk (`| head -1`), or before anything was written (`| head -0`).
function runWithBrokenPipe(args: readonly string[], stream: 'stdout' | 'stderr', when: 'first-chunk' | 'at-once'): Promise<Broken> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--', cliPath, ...args], {cwd: dir, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
    const broken = child[stream];
    const kept = stream === 'stdout' ? child.stderr : child.stdout;
    let read = '';
    let other = '';
    if (when === 'at-once') broken.destroy();
    else {
      broken.once('data', (chunk: Buffer) => {
        read = chunk.toString();
        broken.destroy();
      });
    }
    kept.on('data', (chunk: Buffer) => (other += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({code, read, other}));
  });
}

const transcript = (): string => {
  const runs = join(dir, '.runbook/runs');
  const [run] = readdirSync(runs);
  return join(runs, run ?? '', 'transcript.jsonl');
};

const eventTypes = (path: string): string[] =>
  readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => (JSON.parse(line) as {event: {type: string}}).event.type);

// enough output to fill a pipe many times over, then more nodes after it
const chatty = '# Chatty\n## A\n```sh {#a}\nseq 1 5\n```\n## B\n```sh {#b}\nseq 1 30000\n```\n## C\n```sh {#c}\necho c > c.txt\n```\n';

describe('a reader that goes away', () => {
  it('play | head -1: the run goes on to its end, the transcript is complete and verifies', async () => {
    writeFileSync(join(dir, 'r.md'), chatty);
    const result = await runWithBrokenPipe(['play', 'r.md', '--yes'], 'stdout', 'first-chunk');
    expect(result.code).toBe(0);
    expect(result.read.split('\n')[0]).toMatch(/^Playing Chatty {2}run \d{8}T\d{6}Z-[0-9a-f]{6}$/);
    const path = transcript();
    const shown = path.slice(dir.length + 1);
    expect(result.other).toMatch(new RegExp(`^runbook: transcript ${shown}\nrunbook: transcript ${shown}\nrunbook: transcript head: sha256:[0-9a-f]{32}\n$`));
    expect(readFileSync(join(dir, 'c.txt'), 'utf8')).toBe('c\n');
    expect(eventTypes(path).slice(-2)).toEqual(['run-end', 'seal']);
    expect(eventTypes(path).filter((type) => type === 'node-end')).toHaveLength(3);
    expect(await verifyTranscript(path)).toMatchObject({ok: true, status: 'finished', outcome: 'passed'});
  });

  it('play 2>&1 with stderr gone: the run and its report on stdout go on', async () => {
    writeFileSync(join(dir, 'r.md'), chatty);
    const result = await runWithBrokenPipe(['play', 'r.md', '--yes'], 'stderr', 'at-once');
    expect(result.code).toBe(0);
    expect(result.other.split('\n').slice(-3).join('\n')).toMatch(/^\nSummary: PASSED in \S+ — 3 passed\n$/);
    expect(await verifyTranscript(transcript())).toMatchObject({ok: true, status: 'finished', outcome: 'passed'});
  });

  it('play > /dev/full: a stdout that fails with ENOSPC is dropped, the run goes on', async () => {
    writeFileSync(join(dir, 'r.md'), chatty);
    const full = openSync('/dev/full', 'w');
    const result = await new Promise<{code: number | null; stderr: string}>((resolve, reject) => {
      const child = spawn(process.execPath, ['--', cliPath, 'play', 'r.md', '--yes'], {cwd: dir, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', full, 'pipe']});
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({code, stderr}));
    });
    closeSync(full);
    const path = transcript();
    const shown = path.slice(dir.length + 1);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^runbook: transcript ${shown}\nrunbook: transcript ${shown}\nrunbook: transcript head: sha256:[0-9a-f]{32}\n$`));
    expect(await verifyTranscript(path)).toMatchObject({ok: true, status: 'finished', outcome: 'passed'});
  });

  it('list | head -0 ends quietly with its status', async () => {
    writeFileSync(join(dir, 'r.md'), '# R\n## S\n```sh\necho hi\n```\n');
    expect(await runWithBrokenPipe(['list', 'r.md'], 'stdout', 'at-once')).toEqual({code: 0, read: '', other: ''});
    writeFileSync(join(dir, 'bad.md'), '# Bad\n## S\n```sh {timeout=soon}\necho\n```\n');
    const invalid = await runWithBrokenPipe(['list', 'bad.md'], 'stdout', 'at-once');
    expect(invalid).toEqual({code: 2, read: '', other: 'bad.md:3:16-3:20: error: Unexpected `soon` for `timeout`, expected a duration such as `500ms`, `10s`, `5m` or `1h` [invalid-attribute]\n'});
  });

  it('verify | head -0 ends quietly with its status', async () => {
    writeFileSync(join(dir, 'r.md'), '# R\n## S\n```sh\necho hi\n```\n');
    const played = await runWithBrokenPipe(['play', 'r.md', '--yes'], 'stdout', 'at-once');
    expect(played.code).toBe(0);
    const result = await runWithBrokenPipe(['verify', transcript()], 'stdout', 'at-once');
    expect(result).toEqual({code: 0, read: '', other: ''});
    const tampered = readFileSync(transcript(), 'utf8').replace('echo hi', 'echo ho');
    writeFileSync(transcript(), tampered);
    const failed = await runWithBrokenPipe(['verify', transcript()], 'stdout', 'at-once');
    expect(failed).toEqual({code: 1, read: '', other: ''});
  });
});
