import {describe, expect, it} from 'vitest';
import {shellCommand} from '../../src/executors/shell.js';
import {interpreterCommand, runsShellCode} from '../../src/runbook/interpreters.js';

const node = (interpreter: string) => ({lang: 'sh', script: 'echo hi', id: 'greet', attributes: {interpreter}});

describe('Runme’s interpreter on a shell block', () => {
  it('runs a shell with our strictness flags before the words written after it', () => {
    expect(shellCommand(node('bash -x'), 'sh')).toEqual({file: 'bash', args: ['--noprofile', '--norc', '-euo', 'pipefail', '-x', '-c', 'echo hi', 'greet']});
    expect(shellCommand(node('/bin/zsh'), 'bash')).toEqual({file: '/bin/zsh', args: ['-f', '-euo', 'pipefail', '-c', 'echo hi', 'greet']});
    expect(shellCommand(node('dash'), 'bash')).toEqual({file: 'dash', args: ['-e', '-c', 'echo hi', 'greet']});
  });

  it('hands another program the block with its own flag for code', () => {
    expect(shellCommand(node('python3 -u'), 'bash')).toEqual({file: 'python3', args: ['-u', '-c', 'echo hi']});
    expect(shellCommand(node('/usr/bin/node'), 'bash')).toEqual({file: '/usr/bin/node', args: ['-e', 'echo hi']});
    expect(shellCommand(node('python3.12'), 'bash')).toEqual({file: 'python3.12', args: ['-c', 'echo hi']});
  });

  it('knows which programs it can hand a block to, and which run shell code', () => {
    expect(interpreterCommand('deno run')).toBeUndefined();
    expect(interpreterCommand('  ')).toBeUndefined();
    expect(runsShellCode({})).toBe(true);
    expect(runsShellCode({interpreter: 'bash -x'})).toBe(true);
    expect(runsShellCode({interpreter: 'python3'})).toBe(false);
  });
});
