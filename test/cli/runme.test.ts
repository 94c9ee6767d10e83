import {existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {runCli} from './run-cli.js';

// A Runme-annotated file plays headless as it is (docs/dialect.md, "Runme
// compatibility"), from a directory other than its own.
let dir = '';

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'runbook-runme-')));
  mkdirSync(join(dir, 'docs/sub'), {recursive: true});
  mkdirSync(join(dir, 'sub'));
});

const runmeDocument = [
  '---', 'runme:', '  id: 01HF7BT3HCDS1X1WJJJCRQRAMX', '  version: v3', '---', '',
  '```sh {"id":"01HF7BT3HCDS1X1WJJJ7Z64V8R","name":"here"}', 'pwd > here.txt', '```', '',
  '```sh {"cwd":"sub","name":"below"}', 'pwd > below.txt', '```', '',
  '```sh {"excludeFromRunAll":"true","id":"01HPM7NRQYMD5T06M4KS6S2DWG"}', 'touch skipped.txt', '```', '',
  '```sh {"interpreter":"python3","name":"py"}', 'import os', 'open("py.txt", "w").write(os.getcwd())', '```', '',
  '```sh { name=traced interpreter=bash }', 'echo "$BASH_VERSION" > traced.txt', '```', '',
].join('\n');

describe('runbook play on a Runme-annotated file', () => {
  it('runs its blocks in one implicit step, in the document’s directory, cwd relative to it, and leaves excludeFromRunAll out', async () => {
    writeFileSync(join(dir, 'docs/r.md'), runmeDocument);
    const result = await runCli(['play', 'docs/r.md', '--yes'], {cwd: dir});
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('== r\n');
    expect(result.stdout).toContain('Summary: PASSED');
    expect(result.stdout).toMatch(/4 passed/);
    expect(result.stdout).toContain('-> py (sh via python3)\n');
    expect(readFileSync(join(dir, 'docs/here.txt'), 'utf8')).toBe(`${join(dir, 'docs')}\n`);
    expect(readFileSync(join(dir, 'docs/sub/below.txt'), 'utf8')).toBe(`${join(dir, 'docs/sub')}\n`);
    expect(readFileSync(join(dir, 'docs/py.txt'), 'utf8')).toBe(join(dir, 'docs'));
    expect(readFileSync(join(dir, 'docs/traced.txt'), 'utf8')).toMatch(/^\d+\./);
    expect(existsSync(join(dir, 'docs/skipped.txt'))).toBe(false);
    expect(existsSync(join(dir, 'here.txt'))).toBe(false);
  });

  it('keeps our own cwd relative to where play starts, in a runbook written in ours', async () => {
    writeFileSync(join(dir, 'docs/ours.md'), '# Ours\n\n## S\n\n```sh {cwd=sub}\npwd > ours.txt\n```\n');
    const result = await runCli(['play', 'docs/ours.md', '--yes'], {cwd: dir});
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'sub/ours.txt'), 'utf8')).toBe(`${join(dir, 'sub')}\n`);
  });
});

describe('Runme’s promptEnv: the values a block exports are asked for', () => {
  const document = [
    '---', 'runme:', '  version: v3', '---', '',
    '```sh {"name":"region","promptEnv":"always"}', 'export REGION="eu-west-1"', 'echo "$REGION" > region.txt', '```', '',
    '```sh {"name":"token"}', 'export TOKEN_NAME=', 'echo "$TOKEN_NAME" > token.txt', '```', '',
    '```sh {"name":"kept"}', 'export KEPT="as written"', 'echo "$KEPT" > kept.txt', '```', '',
  ].join('\n');

  it('always: the written value is the default; auto (Runme’s default): an export without a value must be given; one with a value runs as written', async () => {
    writeFileSync(join(dir, 'r.md'), document);
    const missing = await runCli(['play', 'r.md', '--yes'], {cwd: dir});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no value for TOKEN_NAME \(export TOKEN_NAME= at r\.md:12:19\)/);
    expect(missing.stderr).not.toMatch(/REGION|KEPT/);
    expect(existsSync(join(dir, 'region.txt'))).toBe(false);

    const played = await runCli(['play', 'r.md', '--yes', '--set', 'TOKEN_NAME=deploy-bot'], {cwd: dir});
    expect(played.code).toBe(0);
    expect(readFileSync(join(dir, 'region.txt'), 'utf8')).toBe('eu-west-1\n');
    expect(readFileSync(join(dir, 'token.txt'), 'utf8')).toBe('deploy-bot\n');
    expect(readFileSync(join(dir, 'kept.txt'), 'utf8')).toBe('as written\n');

    const given = await runCli(['play', 'r.md', '--yes', '--set', 'TOKEN_NAME=x', '--set', 'REGION=us-east-2'], {cwd: dir});
    expect(given.code).toBe(0);
    expect(readFileSync(join(dir, 'region.txt'), 'utf8')).toBe('us-east-2\n');
  });

  it('never: nothing is asked, the block runs as written', async () => {
    writeFileSync(join(dir, 'r.md'), document.replace('"name":"token"', '"name":"token","promptEnv":"never"'));
    const played = await runCli(['play', 'r.md', '--yes'], {cwd: dir});
    expect(played.code).toBe(0);
    expect(readFileSync(join(dir, 'token.txt'), 'utf8')).toBe('\n');
  });
});

describe('runbook check and list on a Runme-annotated file', () => {
  it('check shows what is ignored as an info, which is no problem; list and play keep quiet about it', async () => {
    writeFileSync(join(dir, 'r.md'), '```sh {"name":"rows","terminalRows":"15"}\necho\n```\n');
    const check = await runCli(['check', 'r.md'], {cwd: dir});
    expect(check).toEqual({
      code: 0,
      stdout: 'r.md:1:22-1:41: info: Runme attribute `terminalRows` is ignored: it is about Runme\'s notebook, not about running the block [runme-ignored]\n',
      stderr: 'r.md: no problems, 1 info\n',
    });
    const list = await runCli(['list', 'r.md'], {cwd: dir});
    expect(list.code).toBe(0);
    expect(list.stderr).toBe('');
    expect(list.stdout).toContain('rows');
  });
});
