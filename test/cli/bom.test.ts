import {existsSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from './run-cli.js';

describe('runbook play of a file that starts with a UTF-8 byte order mark', () => {
  it('keeps its attributes: --read-only --yes runs neither the mutating node, the run=false block nor the false condition', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-bom-'));
    writeFileSync(join(dir, 'r.md'), [
      '\uFEFF# BOM',
      '## 1) Change',
      '```sh {#change mutates}',
      'touch changed',
      '```',
      '## 2) Shown',
      '```sh {run=false}',
      'touch shown',
      '```',
      '## 3) Only if',
      '```sh {#conditional if="change.ok"}',
      'touch conditional',
      '```',
      '## 4) Look',
      '```sh {#look}',
      'touch looked',
      '```',
      '',
    ].join('\n'));
    const result = await runCli(['play', 'r.md', '--read-only', '--yes'], {cwd: dir});
    expect(result.stderr).not.toContain('warning');
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'looked'))).toBe(true);
    expect(readdirSync(dir).filter((name) => !name.startsWith('.')).sort()).toEqual(['looked', 'r.md']);
  });
});
