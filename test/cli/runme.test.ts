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
