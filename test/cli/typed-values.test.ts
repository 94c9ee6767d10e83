import {mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {runCli} from './run-cli.js';

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-typed-'));
});

const disk = [
  '---',
  'env:',
  '  MAX_USED_PCT: {value: 90, type: integer}',
  'inputs:',
  '  USED_PCT: {type: integer, description: Disk used in percent}',
  '---',
  '# Disk',
  '## Clean up',
  '```sh {#cleanup if="USED_PCT > MAX_USED_PCT"}',
  'touch cleaned',
  '```',
].join('\n');

describe('typed values (CLI)', () => {
  it('lists the types of variables and typed captures', async () => {
    writeFileSync(join(dir, 'disk.md'), disk.replace('```sh {#cleanup', '```sh {#usage capture=FREE:integer}\necho 1\n```\n```sh {#cleanup'));
    const result = await runCli(['list', 'disk.md'], {cwd: dir});
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 11)).toEqual([
      'Disk',
      'disk.md',
      '',
      'Variables',
      '  MAX_USED_PCT  env     90, integer',
      '  USED_PCT      input   integer, required — Disk used in percent',
      '',
      'Steps',
      '  Clean up  #clean-up',
      '      1. sh  #usage  capture=FREE:integer',
      '           $ echo 1',
    ]);
  });

  it('exits 2 before anything runs when a typed value from --set is not of its type', async () => {
    writeFileSync(join(dir, 'disk.md'), disk);
    const input = await runCli(['play', 'disk.md', '--yes', '--set', 'USED_PCT=24%'], {cwd: dir});
    expect(input).toMatchObject({code: 2, stderr: 'runbook: USED_PCT: the value from --set is not valid: expected an integer such as `42` or `-3`\n'});
    const env = await runCli(['play', 'disk.md', '--yes', '--set', 'USED_PCT=24', '--set', 'MAX_USED_PCT=ninety'], {cwd: dir});
    expect(env).toMatchObject({code: 2, stderr: 'runbook: MAX_USED_PCT: the value from --set is not valid: expected an integer such as `42` or `-3`\n'});
    expect(readdirSync(dir)).toEqual(['disk.md']);
  });

  it('compares typed values as numbers: 24 % used is not over a limit of 90', async () => {
    writeFileSync(join(dir, 'disk.md'), disk);
    const result = await runCli(['play', 'disk.md', '--yes', '--set', 'USED_PCT=24'], {cwd: dir});
    expect(result.code).toBe(0);
    expect(readdirSync(dir)).not.toContain('cleaned');
    const over = await runCli(['play', 'disk.md', '--yes', '--set', 'USED_PCT=95'], {cwd: dir});
    expect(over.code).toBe(0);
    expect(readdirSync(dir)).toContain('cleaned');
  });
});
