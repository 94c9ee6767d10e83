import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from './run-cli.js';

// Seals signed with a throwaway SSH key (ssh-keygen -Y), and checked with an
// allowed-signers file, as git checks SSH-signed commits.

let dir = '';
const key = (): string => join(dir, 'alice');
const stranger = (): string => join(dir, 'mallory');
const allowed = (): string => join(dir, 'allowed_signers');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-signed-'));
  for (const [name, comment] of [['alice', 'alice@example.com'], ['mallory', 'mallory@example.com']] as const) {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', join(dir, name)]);
  }
  writeFileSync(allowed(), `alice@example.com ${readFileSync(`${key()}.pub`, 'utf8')}`);
  writeFileSync(join(dir, 'r.md'), '# Signed\n## Check\n```sh {#one}\necho one\n```\n');
});

afterAll(() => rmSync(dir, {recursive: true, force: true}));

function play(args: string[], runs: string): ReturnType<typeof runCli> {
  return runCli(['play', 'r.md', '--yes', '--transcript-dir', runs, ...args], {cwd: dir});
}

// the seal is the last line
function sealLine(path: string): number {
  return readFileSync(path, 'utf8').trimEnd().split('\n').length;
}

function onlyRun(runs: string): string {
  const [runId = ''] = readdirSync(join(dir, runs));
  return join(dir, runs, runId, 'transcript.jsonl');
}

describe('signed seals', () => {
  it('signs the seal with --sign-key, and verify names the signer: good', async () => {
    const played = await play(['--sign-key', key()], 'signed');
    expect(played.code, played.stderr).toBe(0);
    const printed = /runbook: transcript head: (sha256:[0-9a-f]{32}) \(signed\)\n/.exec(played.stderr)?.[1];
    expect(printed).toBeDefined();
    const path = onlyRun('signed');
    const verified = await runCli(['verify', path, '--allowed-signers', allowed(), '--expect-head', printed ?? '']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`:${sealLine(path)}: attempt 1 signed by alice@example\\.com \\(ED25519 key SHA256:[A-Za-z0-9+/=]+\\): good\n`));
    expect(verified.stdout).toContain(': intact — run ');

    // without an allowed-signers file the signature is checked, the signer is not
    const unchecked = await runCli(['verify', path]);
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toMatch(/: warning: the seal of attempt 1 has a valid signature by key ED25519 key SHA256:\S+; give --allowed-signers to say whose key that is\n/);
  });

  it('reports a signature by a key the allowed-signers file does not list: unknown key', async () => {
    expect((await play(['--sign-key', stranger()], 'stranger')).code).toBe(0);
    const path = onlyRun('stranger');
    const verified = await runCli(['verify', path, '--allowed-signers', allowed()]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(new RegExp(`:${sealLine(path)}: error: the seal of attempt 1 is signed by key ED25519 key SHA256:\\S+, which the allowed-signers file does not list\n`));
    expect(verified.stdout).toMatch(new RegExp(`:${sealLine(path)}: attempt 1 signed by ED25519 key SHA256:\\S+: unknown key\n`));
  });

  it('reports a seal re-signed over another head, or with its signature changed: bad', async () => {
    expect((await play(['--sign-key', key()], 'tampered')).code).toBe(0);
    const path = onlyRun('tampered');
    const at = sealLine(path);
    const lines = readFileSync(path, 'utf8').split('\n');
    const seal = JSON.parse(lines[at - 1] ?? '') as {event: {lines: number}};
    // the seal claims one line more: its own checks fail, and so does its signature
    seal.event.lines += 1;
    lines[at - 1] = JSON.stringify(seal);
    writeFileSync(path, lines.join('\n'));
    const verified = await runCli(['verify', path, '--allowed-signers', allowed()]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`:${at}: error: the seal of attempt 1 has a bad signature (`);
  });

  it('needs every seal signed once an allowed-signers file is given', async () => {
    expect((await play([], 'unsigned')).code).toBe(0);
    const path = onlyRun('unsigned');
    const verified = await runCli(['verify', path, '--allowed-signers', allowed()]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`:${sealLine(path)}: error: the seal of attempt 1 is not signed, and an allowed-signers file was given\n`);
  });

  it('refuses a key that cannot sign before anything runs (exit 2)', async () => {
    writeFileSync(join(dir, 'not-a-key'), 'hello\n');
    const played = await play(['--sign-key', join(dir, 'not-a-key')], 'refused');
    expect(played.code).toBe(2);
    expect(played.stderr).toMatch(/^runbook: --sign-key \S+not-a-key: ssh-keygen could not sign with \S+: .+; nothing ran — give the path of an SSH private key/);
    expect(() => readdirSync(join(dir, 'refused'))).toThrow();
  });

  it('takes a run id or a run directory as well as a transcript path', async () => {
    const path = onlyRun('signed');
    const runDir = join(path, '..');
    const runId = runDir.split('/').at(-1) ?? '';
    for (const run of [runDir, runId]) {
      const verified = await runCli(['verify', run, '--transcript-dir', join(dir, 'signed')], {cwd: dir});
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toContain(`${path}: intact — run ${runId}`);
    }
    const missing = await runCli(['verify', '20200101T000000Z-abcdef', '--transcript-dir', join(dir, 'signed')]);
    expect(missing).toMatchObject({code: 2, stderr: expect.stringContaining('20200101T000000Z-abcdef: no run with that id in ') as unknown});
    const badHead = await runCli(['verify', path, '--expect-head', 'sha256:abc']);
    expect(badHead.code).toBe(2);
    expect(badHead.stderr).toBe('runbook: --expect-head sha256:abc: not a head; give the `sha256:…` that play printed (at least 16 hex digits)\n');
  });
});
