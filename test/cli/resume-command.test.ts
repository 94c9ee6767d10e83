import {chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {resumeCommand} from '../../src/commands/play/resume-command.js';
import {cliPath, runCli, runCollected} from './run-cli.js';

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-resume-'));
});

const hintOf = (stderr: string): string => {
  const line = stderr.split('\n').find((text) => text.startsWith('runbook: to continue this run: '));
  if (line === undefined) throw new Error(`no resume hint in:\n${stderr}`);
  return line.slice('runbook: to continue this run: '.length);
};

// `runbook` on PATH is the built CLI, as after `npm install -g`.
function shimDir(): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'runbook'), `#!/bin/sh\nexec "${process.execPath}" -- "${cliPath}" "$@"\n`);
  chmodSync(join(bin, 'runbook'), 0o755);
  return bin;
}

describe('the resume command printed when a run stops', () => {
  it('is shell-quoted and names every file and option the run needs, never a value', () => {
    expect(resumeCommand('run books/roll back.md', '20260712T101500Z-ab12cd', {
      envFile: 'my env/.env', setFile: ['TOKEN=/run/secrets/it\'s'], setStdin: 'PASSWORD', transcriptDir: 'runs dir',
      readOnly: true, allowChanged: true, incident: 'INC 42', operator: 'ana', yes: true, json: true,
    })).toBe(
      'runbook play \'run books/roll back.md\' --resume 20260712T101500Z-ab12cd --env-file \'my env/.env\' --set-file "TOKEN=/run/secrets/it\'s" '
      + '--set-stdin PASSWORD --transcript-dir \'runs dir\' --read-only --allow-changed --incident \'INC 42\' --operator ana --yes --json',
    );
    expect(resumeCommand('r.md', 'id', {dotenv: '.env'})).toBe('runbook play r.md --resume id --dotenv .env');
  });

  it('run as printed, resumes the run: same env file, secret file, transcript directory, incident, read-only', async () => {
    mkdirSync(join(dir, 'my files'));
    writeFileSync(join(dir, 'my files', 'r.md'), [
      '---',
      'env: {API_ORIGIN: "http://unused.invalid"}',
      'inputs: {TOKEN: {secret: true}, MARKER: {}}',
      '---',
      '# Resume',
      '## 1) Flaky',
      '```sh {#flaky retries=1 interval=10ms}',
      'test -f "$MARKER" && test "$TOKEN" = "tok-value-1234"',
      '```',
      '## 2) Change',
      '```sh {#change mutates}',
      'echo changed',
      '```',
    ].join('\n'));
    const marker = join(dir, 'marker');
    writeFileSync(join(dir, 'my files', 'vars.env'), `MARKER=${marker}\n`);
    writeFileSync(join(dir, 'my files', 'token'), 'tok-value-1234\n');
    const args = ['play', 'my files/r.md', '--yes', '--env-file', 'my files/vars.env', '--set-file', 'TOKEN=my files/token',
      '--transcript-dir', 'the runs', '--incident', 'INC 7', '--read-only'];
    const first = await runCli(args, {cwd: dir});
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('   retry 1 of 1 in 10ms\n');
    const hint = hintOf(first.stderr);
    expect(hint).toMatch(/^runbook play 'my files\/r\.md' --resume \S+ --env-file 'my files\/vars\.env' --set-file 'TOKEN=my files\/token' --transcript-dir 'the runs' --read-only --incident 'INC 7' --yes$/);
    expect(first.stderr).not.toContain('tok-value-1234');

    writeFileSync(marker, '');
    const second = await runCollected('/bin/sh', ['-c', hint], {cwd: dir, env: {...process.env, NO_COLOR: '1', PATH: `${shimDir()}:${process.env['PATH'] ?? ''}`}});
    expect(second.stderr).not.toContain('runbook: to continue this run');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Resuming Resume {2}run \S+, attempt 2, read-only rehearsal\n/);
    expect(second.stdout).toContain('✓ flaky passed (exit 0, ');
    expect(second.stdout).toContain('↷ change skipped — read-only rehearsal: the node mutates');
    expect(existsSync(join(dir, 'the runs'))).toBe(true);
  });
});
