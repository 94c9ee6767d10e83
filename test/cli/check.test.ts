import {describe, expect, it} from 'vitest';
import {runCliSync} from './run-cli.js';
import {fixtureMessages} from '../runbook/fixtures.js';

const runbook = runCliSync;

describe('runbook check', () => {
  it('exits 0 and says so for a runbook without problems', () => {
    expect(runbook('check', 'test/fixtures/runbook/basic.md')).toEqual({
      code: 0, stdout: '', stderr: 'test/fixtures/runbook/basic.md: no problems\n',
    });
  });

  it('exits 0 with warnings only, printing each one', () => {
    expect(runbook('check', 'test/fixtures/diagnostics/no-steps.md')).toEqual({
      code: 0,
      stdout: 'test/fixtures/diagnostics/no-steps.md:1:1: warning: Unexpected runbook without steps, expected at least one `##` heading [no-steps]\n',
      stderr: '0 errors, 1 warning\n',
    });
  });

  it('prints one positioned line per mistake and exits 2', () => {
    const result = runbook('check', 'test/fixtures/diagnostics/all-mistakes.md');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(`${fixtureMessages('diagnostics/all-mistakes.md').join('\n')}\n`);
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      'test/fixtures/diagnostics/all-mistakes.md:3:1: error: Unexpected `bash -e` for `shell`, expected an interpreter such as `bash`, `sh` or `zsh` [frontmatter-schema]',
      'test/fixtures/diagnostics/all-mistakes.md:8:6: error: Unexpected YAML in frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]',
      'test/fixtures/diagnostics/all-mistakes.md:14:18-14:28: error: Unexpected attribute `timout` on a `http` block, did you mean `timeout`? [unknown-attribute]',
    ]);
    expect(result.stderr).toBe('10 errors, 0 warnings\n');
  });

  it('checks several files and sums up', () => {
    const result = runbook('check', 'test/fixtures/runbook/basic.md', 'test/fixtures/diagnostics/no-steps.md', 'test/fixtures/diagnostics/invalid-yaml.md');
    expect(result).toEqual({
      code: 2,
      stdout: [
        'test/fixtures/diagnostics/no-steps.md:1:1: warning: Unexpected runbook without steps, expected at least one `##` heading [no-steps]',
        'test/fixtures/diagnostics/invalid-yaml.md:4:15: error: Unexpected YAML in frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]',
        '',
      ].join('\n'),
      stderr: '1 error, 1 warning\n',
    });
  });

  it('prints the diagnostics as JSON with --json', () => {
    const result = runbook('check', '--json', 'test/fixtures/diagnostics/duplicate-ids.md', 'test/fixtures/diagnostics/no-steps.md');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([
      {
        file: 'test/fixtures/diagnostics/duplicate-ids.md', severity: 'error', ruleId: 'duplicate-id', start: {line: 6, column: 8},
        message: 'Unexpected duplicate id `check`, expected ids to be unique (first used at 4:15)',
      },
      {
        file: 'test/fixtures/diagnostics/duplicate-ids.md', severity: 'error', ruleId: 'duplicate-attribute', start: {line: 10, column: 15}, end: {line: 10, column: 21},
        message: 'Unexpected second id `#again` on a `sh` block, expected at most one `#id`',
      },
      {
        file: 'test/fixtures/diagnostics/duplicate-ids.md', severity: 'error', ruleId: 'duplicate-id', start: {line: 16, column: 10},
        message: 'Unexpected duplicate id `probe`, expected ids to be unique (first used at 10:8)',
      },
      {
        file: 'test/fixtures/diagnostics/no-steps.md', severity: 'warning', ruleId: 'no-steps', start: {line: 1, column: 1},
        message: 'Unexpected runbook without steps, expected at least one `##` heading',
      },
    ]);
  });

  it('prints an empty JSON array and exits 0 for a clean runbook', () => {
    expect(runbook('check', '--json', 'test/fixtures/runbook/basic.md')).toEqual({code: 0, stdout: '[]\n', stderr: ''});
  });

  it('reports an unreadable file in one line, without a stack trace, and exits 2', () => {
    expect(runbook('check', 'test/fixtures/missing.md')).toEqual({
      code: 2, stdout: '', stderr: 'runbook: test/fixtures/missing.md: cannot read the runbook (no such file); give the path of a Markdown file\n',
    });
    expect(runbook('check', 'test/fixtures')).toEqual({
      code: 2, stdout: '', stderr: 'runbook: test/fixtures: cannot read the runbook (it is a directory); give the path of a Markdown file\n',
    });
  });

  it('still checks the other files when one is unreadable', () => {
    expect(runbook('check', 'test/fixtures/missing.md', 'test/fixtures/diagnostics/no-steps.md')).toEqual({
      code: 2,
      stdout: 'test/fixtures/diagnostics/no-steps.md:1:1: warning: Unexpected runbook without steps, expected at least one `##` heading [no-steps]\n',
      stderr: [
        'runbook: test/fixtures/missing.md: cannot read the runbook (no such file); give the path of a Markdown file',
        '0 errors, 1 warning, 1 unreadable',
        '',
      ].join('\n'),
    });
  });

  it('says how to use it when no file is given', () => {
    const result = runbook('check');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: missing required argument 'file'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
