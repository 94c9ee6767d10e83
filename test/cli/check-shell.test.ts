import {describe, expect, it} from 'vitest';
import {runCliSync} from './run-cli.js';

describe('runbook check with the shell parser', () => {
  it('prints the shell diagnostics among the others, in source order, and they are warnings (exit 0)', () => {
    const result = runCliSync('check', 'test/fixtures/diagnostics/undeclared-variables.md');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').map((line) => line.replace(/: (warning|error): .*\[/, ': $1 [')))
      .toEqual([
        'test/fixtures/diagnostics/undeclared-variables.md:10:60: warning [undeclared-variable]',
        'test/fixtures/diagnostics/undeclared-variables.md:12:43: warning [undeclared-variable]',
        'test/fixtures/diagnostics/undeclared-variables.md:13:57: warning [undeclared-variable]',
        'test/fixtures/diagnostics/undeclared-variables.md:16:46: warning [undeclared-variable]',
        'test/fixtures/diagnostics/undeclared-variables.md:17:34: warning [undeclared-variable]',
        'test/fixtures/diagnostics/undeclared-variables.md:22:23: warning [undeclared-variable]',
        'test/fixtures/diagnostics/undeclared-variables.md:29:32: warning [undeclared-variable]',
        'test/fixtures/diagnostics/undeclared-variables.md:33:17: warning [shell-syntax]',
        '',
      ]);
    expect(result.stdout.split('\n')[2]).toBe('test/fixtures/diagnostics/undeclared-variables.md:13:57: warning: Unexpected `$LKG_DR` in a shell block: nothing declares, captures or sets `LKG_DR` before it; expected it in `env` or `inputs`, a `capture` before it, or `${LKG_DR:-}` if it may be unset [undeclared-variable]');
    expect(result.stderr).toBe('0 errors, 8 warnings\n');
  });

  it('finds no problems in the runbooks the project ships', () => {
    expect(runCliSync('check', 'runbooks/rollback.md', 'runbooks/examples/hello.md', 'runbooks/examples/http-health.md', 'runbooks/examples/inputs-and-secrets.md')).toEqual({
      code: 0, stdout: '', stderr: '4 runbooks: no problems\n',
    });
  });
});
