import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {beforeEach, describe, expect, it} from 'vitest';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {cliPath, runCli} from './run-cli.js';

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-play-'));
});

const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};

const transcripts = (): string[] => {
  const runs = join(dir, '.runbook/runs');
  return readdirSync(runs).map((run) => join(runs, run, 'transcript.jsonl'));
};

const events = (path: string): {type: string; [key: string]: unknown}[] =>
  readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => (JSON.parse(line) as {event: {type: string}}).event);

describe('runbook play (headless)', () => {
  it('refuses to run without a terminal unless --yes is given', async () => {
    write('r.md', '# R\n## S\n```sh\necho hi\n```\n');
    const result = await runCli(['play', 'r.md'], {cwd: dir});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('runbook: play needs a terminal for the interactive player; without one, pass --yes to approve gates automatically (recorded as auto-approved)\n');
  });

  it('exits 2 before anything runs when an input has no value, and names how to give it', async () => {
    write('r.md', '---\ninputs:\n  LKG_SHA: {pattern: "^[0-9a-f]{7,40}$"}\n---\n# R\n## S\n```sh\ntouch ran\n```\n');
    const missing = await runCli(['play', 'r.md', '--yes'], {cwd: dir});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('runbook: no value for LKG_SHA; give it with --set NAME=VALUE, --set-file NAME=PATH, --set-stdin NAME, --env-file FILE or the environment\n');
    const invalid = await runCli(['play', 'r.md', '--yes', '--set', 'LKG_SHA=nope'], {cwd: dir});
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toBe('runbook: LKG_SHA: the value from --set is not valid: expected a value matching /^[0-9a-f]{7,40}$/\n');
    const undeclared = await runCli(['play', 'r.md', '--yes', '--set', 'LKG_SHA=abc1234', '--set', 'OTHER=1'], {cwd: dir});
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr).toContain('OTHER: --set names a variable the runbook does not declare');
    const noFile = await runCli(['play', 'r.md', '--yes', '--env-file', 'missing.env'], {cwd: dir});
    expect(noFile).toMatchObject({code: 2, stderr: 'runbook: --env-file missing.env: cannot read it (no such file)\n'});
    expect(readdirSync(dir)).toEqual(['r.md']);
  });

  it('exits 2 for a runbook with errors, printing each diagnostic', async () => {
    write('bad.md', '# Bad\n## S\n```sh {timeout=soon}\necho\n```\n');
    const result = await runCli(['play', 'bad.md', '--yes'], {cwd: dir});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe([
      'bad.md:3:16-3:20: error: Unexpected `soon` for `timeout`, expected a duration such as `500ms`, `10s`, `5m` or `1h` [invalid-attribute]',
      'runbook: bad.md has errors; fix them (see `runbook check bad.md`) before playing it',
      '',
    ].join('\n'));
  });

  it('plays with precedence --set > --env-file > environment > frontmatter and writes a verifiable transcript', async () => {
    write('r.md', [
      '---',
      'env: {A: frontmatter, B: frontmatter, C: frontmatter, D: frontmatter}',
      '---',
      '# Precedence',
      '## Show',
      '```sh {#show}',
      'echo "$A $B $C $D"',
      '```',
    ].join('\n'));
    write('vars.env', 'A=file\nB=file\n');
    const result = await runCli(['play', 'r.md', '--yes', '--env-file', 'vars.env', '--set', 'A=set'], {cwd: dir, env: {A: 'environment', B: 'environment', C: 'environment'}});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('   │ set file environment frontmatter\n');
    const [path] = transcripts();
    expect(result.stderr).toContain(`runbook: transcript .runbook/runs/`);
    const verified = await verifyTranscript(path ?? '');
    expect(verified).toMatchObject({ok: true, status: 'finished', outcome: 'passed'});
    expect(statSync(path ?? '').mode & 0o777).toBe(0o600);
  });

  it('exits 1 at a failed node, with the node and its output in the transcript', async () => {
    write('r.md', '# F\n## S\n```sh {#broken}\necho "about to fail"\nexit 7\n```\n```sh {#after}\necho after\n```\n');
    const result = await runCli(['play', 'r.md', '--yes'], {cwd: dir});
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('   ✗ broken FAILED (exit 7, ');
    expect(result.stderr).toContain('runbook: to continue this run: runbook play r.md --resume ');
    const recorded = events(transcripts()[0] ?? '');
    expect(recorded).toContainEqual({type: 'output', nodeId: 'broken', stream: 'stdout', text: 'about to fail\n'});
    expect(recorded).toContainEqual(expect.objectContaining({type: 'node-end', nodeId: 'broken', outcome: 'failed', exitCode: 7}));
    expect(recorded.some((event) => event.type === 'node-start' && event['nodeId'] === 'after')).toBe(false);
  });

  it('keeps secrets out of stdout and every file under the transcript directory', async () => {
    write('r.md', [
      '---',
      'inputs: {DB_URL: {secret: true}}',
      '---',
      '# Secrets',
      '## Leak',
      '```bash {#leak}',
      'echo "url=$DB_URL"',
      'printf %s "$DB_URL" | base64 -w0; echo',
      'node -e "console.log(encodeURIComponent(process.env.DB_URL))"',
      'echo "Authorization: Bearer $API_TOKEN"',
      'echo "$API_TOKEN" >&2',
      'head -c 200000 /dev/zero | tr "\\0" "x"; echo; echo "late $DB_URL"',
      '```',
    ].join('\n'));
    const secret = 'postgres://app:hunter2-pass@db.internal:5432/prod';
    const token = 'tok_9f8e7d6c5b4a';
    const result = await runCli(['play', 'r.md', '--yes', '--set', `DB_URL=${secret}`], {cwd: dir, env: {API_TOKEN: token}});
    expect(result.code).toBe(0);
    const forms = [secret, token, Buffer.from(secret).toString('base64'), encodeURIComponent(secret), 'hunter2-pass'];
    const files: string[] = [];
    const walk = (path: string): void => {
      for (const entry of readdirSync(path, {withFileTypes: true})) {
        if (entry.isDirectory()) walk(join(path, entry.name));
        else files.push(join(path, entry.name));
      }
    };
    walk(join(dir, '.runbook'));
    expect(files.some((file) => file.includes('/outputs/'))).toBe(true);
    for (const text of [result.stdout, result.stderr, ...files.map((file) => readFileSync(file, 'utf8'))]) {
      for (const form of forms) expect(text).not.toContain(form);
    }
    expect(result.stdout).toContain('   │ url=••••••\n');
  });

  it('resumes after kill -9 during a node without repeating finished nodes', async () => {
    write('r.md', [
      '# Resume',
      '## One',
      '```sh {#first}',
      'echo first >> log.txt',
      '```',
      '## Two',
      '```sh {#slow idempotent}',
      'echo slow-start >> log.txt',
      'if [ ! -f resumed ]; then touch resumed; sleep 30; fi',
      'echo slow-end >> log.txt',
      '```',
      '## Three',
      '```sh {#third}',
      'echo third >> log.txt',
      '```',
    ].join('\n'));
    const child = spawn(process.execPath, ['--', cliPath, 'play', 'r.md', '--yes'], {cwd: dir, stdio: 'ignore'});
    for (let waited = 0; waited < 10_000; waited += 50) {
      if (readLog().includes('slow-start')) break;
      await sleep(50);
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(readLog()).toEqual(['first', 'slow-start']);

    const resumed = await runCli(['play', 'r.md', '--yes', '--resume'], {cwd: dir});
    expect(resumed.code).toBe(0);
    expect(readLog()).toEqual(['first', 'slow-start', 'slow-start', 'slow-end', 'third']);
    const [path] = transcripts();
    const recorded = events(path ?? '');
    expect(recorded.filter((event) => event.type === 'node-start').map((event) => event['nodeId'])).toEqual(['first', 'slow', 'slow', 'third']);
    expect(recorded).toContainEqual(expect.objectContaining({type: 'decision-taken', kind: 'unknown', nodeId: 'slow', decision: 'rerun', by: 'auto'}));
    expect(await verifyTranscript(path ?? '')).toMatchObject({ok: true, status: 'finished', attempts: 2});
  });

  it('refuses to resume a changed runbook unless --allow-changed', async () => {
    write('r.md', '# C\n## S\n```sh {#ok}\necho ok\n```\n```sh {#fail}\nexit 1\n```\n');
    expect((await runCli(['play', 'r.md', '--yes'], {cwd: dir})).code).toBe(1);
    write('r.md', '# C\n## S\n```sh {#ok}\necho ok\n```\n```sh {#fail}\necho fixed\n```\n');
    const refused = await runCli(['play', 'r.md', '--yes', '--resume'], {cwd: dir});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^runbook: r\.md changed since run \S+ began \(sha256 [0-9a-f]{12}… then, [0-9a-f]{12}… now\); resume with --allow-changed/);
    const allowed = await runCli(['play', 'r.md', '--yes', '--resume', '--allow-changed'], {cwd: dir});
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).not.toContain('-> ok');
    expect(allowed.stdout).toContain('   │ fixed\n');
  });
});

function readLog(): string[] {
  try {
    return readFileSync(join(dir, 'log.txt'), 'utf8').trim().split('\n');
  } catch {
    return [];
  }
}

describe('runbook verify', () => {
  it('reports an intact transcript (exit 0) and a tampered line (exit 1)', async () => {
    write('r.md', '# V\n## S\n```sh {#one}\necho one\n```\n```sh {#two}\necho two\n```\n');
    expect((await runCli(['play', 'r.md', '--yes'], {cwd: dir})).code).toBe(0);
    const [path = ''] = transcripts();
    const intact = await runCli(['verify', path]);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/: intact — run \S+, 12 lines, 1 attempt, finished \(passed\)\ntranscript head: sha256:[0-9a-f]{32}\n$/);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[4] = (lines[4] ?? '').replace('"one"', '"0ne"');
    writeFileSync(path, lines.join('\n'));
    const tampered = await runCli(['verify', path]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`${path}:5: error: does not match the hash recorded in line 6`);
  });
});
