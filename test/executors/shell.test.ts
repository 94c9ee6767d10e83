import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {shellCommand, shellExecutor} from '../../src/executors/shell.js';
import {captureLimit} from '../../src/executors/types.js';
import {alive, blockNode, groupMembers, joined, markedProcesses, run, stringEnv, temporaryDirectory} from './helpers.js';

const sh = (code: string, info = 'sh') => blockNode(info, code);
// Shell lines that wait until the last background job runs `command` (for
// `setsid`: until it has left the group).
const untilExeced = (command: string): string => `until [ "$(tr '\\0' ' ' < /proc/$!/cmdline)" = '${command} ' ]; do sleep 0.01; done`;
const hasZsh = spawnSync('zsh', ['-c', 'true']).status === 0;

let dir: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  dir = temporaryDirectory();
});
afterEach(() => dir.remove());

describe('shell command line', () => {
  it('runs bash and zsh blocks strictly, sh blocks with the frontmatter shell, and names $0 after the node', () => {
    expect(shellCommand({lang: 'bash', script: 'echo hi', id: 'greet'}, 'sh')).toEqual({
      file: 'bash', args: ['--noprofile', '--norc', '-euo', 'pipefail', '-c', 'echo hi', 'greet'],
    });
    expect(shellCommand({lang: 'zsh', script: 'echo hi', id: 'greet'}, 'bash')).toEqual({
      file: 'zsh', args: ['-f', '-euo', 'pipefail', '-c', 'echo hi', 'greet'],
    });
    expect(shellCommand({lang: 'sh', script: 'echo hi', id: 'greet'}, 'sh')).toEqual({file: 'sh', args: ['-e', '-c', 'echo hi', 'greet']});
    expect(shellCommand({lang: 'shell', script: 'echo hi', id: 'greet'}, '/bin/bash')).toEqual({
      file: '/bin/bash', args: ['--noprofile', '--norc', '-euo', 'pipefail', '-c', 'echo hi', 'greet'],
    });
  });
});

describe('shell executor', () => {
  it('passes on exit 0 with stdout captured and streamed', async () => {
    const {result, chunks} = await run(shellExecutor, sh('echo hello'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'passed', exitCode: 0, signal: null, stdout: 'hello\n', stdoutTruncated: false});
    expect(result.reason).toBeUndefined();
    expect(chunks).toEqual([{stream: 'stdout', text: 'hello\n'}]);
  });

  it('runs the commands of a prompted block in order, never its sample output, and stops at the first failure', async () => {
    const code = ['$ echo one > log', '$ touch made', 'touch output-ran', '$ false', 'x', '$ echo three >> log'].join('\n');
    const {result} = await run(shellExecutor, sh(code, 'bash'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: 1});
    expect(readFileSync(join(dir.path, 'log'), 'utf8')).toBe('one\n');
    expect(existsSync(join(dir.path, 'made'))).toBe(true);
    expect(existsSync(join(dir.path, 'output-ran'))).toBe(false);
  });

  it('fails on a non-zero exit with the exit code as reason', async () => {
    const {result} = await run(shellExecutor, sh('echo before\nexit 3'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: 3, signal: null, reason: 'exit code 3', stdout: 'before\n'});
  });

  it('streams stdout and stderr separately, in order, while the process runs', async () => {
    const code = [
      'echo out1',
      'while [ ! -e seen-out1 ]; do sleep 0.01; done',
      'echo err1 >&2',
      'while [ ! -e seen-err1 ]; do sleep 0.01; done',
      'echo out2',
    ].join('\n');
    const {result, chunks} = await run(shellExecutor, sh(code), {
      cwd: dir.path,
      onOutput: (chunk) => {
        if (chunk.text === 'out1\n') writeFileSync(join(dir.path, 'seen-out1'), '');
        if (chunk.text === 'err1\n') writeFileSync(join(dir.path, 'seen-err1'), '');
      },
    });
    expect(result.status).toBe('passed');
    expect(chunks).toEqual([
      {stream: 'stdout', text: 'out1\n'},
      {stream: 'stderr', text: 'err1\n'},
      {stream: 'stdout', text: 'out2\n'},
    ]);
    expect(result.stdout).toBe('out1\nout2\n');
  });

  it('passes variables only through the environment, never executing their values', async () => {
    const value = `it's "quoted" $(touch pwned) \`touch pwned2\` $HOME\nsecond line; touch pwned3`;
    const {result} = await run(shellExecutor, sh('printf "%s" "$WEIRD"'), {cwd: dir.path, env: stringEnv({WEIRD: value})});
    expect(result.status).toBe('passed');
    expect(result.stdout).toBe(value);
    expect(['pwned', 'pwned2', 'pwned3'].filter((name) => existsSync(join(dir.path, name)))).toEqual([]);
  });

  it('gives the child exactly the context environment', async () => {
    const {result} = await run(shellExecutor, sh('echo "${ONLY_HERE:-unset} ${RUNBOOK_EXECUTOR_TEST_PARENT:-unset}"'), {
      cwd: dir.path, env: {PATH: process.env.PATH ?? '/usr/bin:/bin', ONLY_HERE: 'yes'},
    });
    expect(result.stdout).toBe('yes unset\n');
  });

  it('runs in the context cwd', async () => {
    const {result} = await run(shellExecutor, sh('pwd'), {cwd: dir.path});
    expect(result.stdout).toBe(`${dir.path}\n`);
  });

  it('fails a bash block when a command in the middle fails', async () => {
    const {result} = await run(shellExecutor, sh('echo first\nfalse\necho after'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: 1, reason: 'exit code 1', stdout: 'first\n'});
  });

  it('fails a bash block when a pipeline stage fails', async () => {
    const {result} = await run(shellExecutor, sh('false | cat\necho after'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: 1, stdout: ''});
  });

  it('fails a bash block on an unset variable, naming the node in the message', async () => {
    const node = sh('echo "$NO_SUCH_VARIABLE_RUNBOOK"\necho after');
    const {result, chunks} = await run(shellExecutor, node, {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: 1, stdout: ''});
    expect(joined(chunks, 'stderr')).toBe(`${node.id}: line 1: NO_SUCH_VARIABLE_RUNBOOK: unbound variable\n`);
  });

  it('runs `bash` blocks with bash even when the frontmatter shell is sh', async () => {
    const {result} = await run(shellExecutor, sh('false | cat\necho after', 'bash'), {cwd: dir.path, shell: 'sh'});
    expect(result).toMatchObject({status: 'failed', stdout: ''});
  });

  it.skipIf(!hasZsh)('runs zsh blocks strictly with zsh', async () => {
    const {result} = await run(shellExecutor, sh('echo "$ZSH_NAME"\nfalse | cat\necho after', 'zsh'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: 1, stdout: 'zsh\n'});
  });

  it('runs sh blocks under `sh` with -e only: a failing command fails, a failing pipeline stage does not', async () => {
    const {result} = await run(shellExecutor, sh('false | cat\necho piped\nfalse\necho after'), {cwd: dir.path, shell: 'sh'});
    expect(result).toMatchObject({status: 'failed', exitCode: 1, stdout: 'piped\n'});
  });

  it('fails with a clear reason when the interpreter cannot be started', async () => {
    const {result, chunks} = await run(shellExecutor, sh('echo hi'), {cwd: dir.path, shell: 'no-such-shell-for-runbook'});
    expect(result).toMatchObject({
      status: 'failed', exitCode: null, signal: null, stdout: '',
      reason: 'cannot start `no-such-shell-for-runbook`: command not found',
    });
    expect(chunks).toEqual([]);
  });

  it('fails with a clear reason when the working directory does not exist', async () => {
    const missing = join(dir.path, 'nope');
    const {result} = await run(shellExecutor, sh('echo hi'), {cwd: missing});
    expect(result).toMatchObject({status: 'failed', exitCode: null, reason: `working directory \`${missing}\` does not exist`});
  });

  it('closes stdin, so a command reading it sees end of input instead of hanging', async () => {
    const {result} = await run(shellExecutor, sh('read -r line'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: 1});
  });

  it('reports a child killed by a signal it did not get from us', async () => {
    const {result} = await run(shellExecutor, sh('kill -KILL $$'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: null, signal: 'SIGKILL', reason: 'killed by SIGKILL'});
  });

  it('ends what a passed node left in its process group, grandchildren too, and reports each', async () => {
    const env = stringEnv({RUNBOOK_RUN_ID: 'run-group', RUNBOOK_NODE_ID: 'leave'});
    writeFileSync(join(dir.path, 'grandchild.sh'), `sleep 32 &\n${untilExeced('sleep 32')}\necho "$!"\n`);
    const code = `sleep 31 &\n${untilExeced('sleep 31')}\necho "$!"\nbash grandchild.sh`;
    const {result} = await run(shellExecutor, sh(code), {cwd: dir.path, env, timeoutMs: 10_000});
    const [child, grandchild] = result.stdout.trim().split('\n').map(Number);
    expect(result).toMatchObject({status: 'passed', exitCode: 0});
    expect(result.survivors).toEqual([{pid: child, command: 'sleep 31'}, {pid: grandchild, command: 'sleep 32'}]);
    expect(alive(child ?? 0)).toBe(false);
    expect(alive(grandchild ?? 0)).toBe(false);
    expect(markedProcesses('run-group')).toEqual([]);
  });

  it('ends a passed node when its main process exits, though a setsid daemon holds stdout, and ends the daemon', async () => {
    const env = stringEnv({RUNBOOK_RUN_ID: 'run-daemon', RUNBOOK_NODE_ID: 'daemon'});
    const {result} = await run(shellExecutor, sh(`setsid sleep 33 &\n${untilExeced('sleep 33')}\necho "$!"`), {cwd: dir.path, env, timeoutMs: 5000});
    const daemon = Number(result.stdout.trim());
    expect(result).toMatchObject({status: 'passed', exitCode: 0, survivors: [{pid: daemon, command: 'sleep 33'}]});
    expect(result.durationMs).toBeLessThan(5000);
    expect(alive(daemon)).toBe(false);
    expect(markedProcesses('run-daemon')).toEqual([]);
  });

  it('ends a setsid daemon of an interrupted node too', async () => {
    const env = stringEnv({RUNBOOK_RUN_ID: 'run-interrupted', RUNBOOK_NODE_ID: 'daemon'});
    const controller = new AbortController();
    const {result} = await run(shellExecutor, sh(`setsid sleep 34 > /dev/null &\n${untilExeced('sleep 34')}\necho "$!"\nsleep 30`), {
      cwd: dir.path, env, signal: controller.signal,
      onOutput: () => controller.abort(),
    });
    const daemon = Number(result.stdout.trim());
    expect(result).toMatchObject({status: 'interrupted', survivors: [{pid: daemon, command: 'sleep 34'}]});
    expect(markedProcesses('run-interrupted')).toEqual([]);
  });

  it('stops waiting for pipes held by a process that left both the group and the marker', async () => {
    const {result} = await run(shellExecutor, sh(`env -i setsid sleep 35 &\n${untilExeced('sleep 35')}\necho "$!"`), {cwd: dir.path, timeoutMs: 5000});
    const holder = Number(result.stdout.trim());
    try {
      expect(result).toMatchObject({status: 'passed', exitCode: 0});
      expect(result.survivors).toBeUndefined();
      expect(result.durationMs).toBeLessThan(5000);
    } finally {
      process.kill(holder, 'SIGKILL');
    }
  });

  it('leaves a `background` node\'s processes running', async () => {
    const env = stringEnv({RUNBOOK_RUN_ID: 'run-background', RUNBOOK_NODE_ID: 'serve'});
    const {result} = await run(shellExecutor, sh('sleep 36 > /dev/null &\necho "$!"', 'sh {background}'), {cwd: dir.path, env});
    const server = Number(result.stdout.trim());
    try {
      expect(result).toMatchObject({status: 'passed', exitCode: 0});
      expect(result.survivors).toBeUndefined();
      expect(markedProcesses('run-background')).toEqual([server]);
    } finally {
      process.kill(server, 'SIGKILL');
    }
  });

  it('ends a `background` node that keeps printing, and keeps reading (and dropping) its output', async () => {
    const env = stringEnv({RUNBOOK_RUN_ID: 'run-chatty', RUNBOOK_NODE_ID: 'serve'});
    const {result, chunks} = await run(shellExecutor, sh('while true; do echo tick; sleep 0.02; done &\necho "$!" > chatty.pid', 'sh {background}'), {cwd: dir.path, env, timeoutMs: 5000});
    const server = Number(readFileSync(join(dir.path, 'chatty.pid'), 'utf8'));
    try {
      expect(result).toMatchObject({status: 'passed', exitCode: 0});
      const shown = chunks.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      // still alive: no SIGPIPE from a closed pipe, and nothing more reaches the node's output
      expect(alive(server)).toBe(true);
      expect(chunks).toHaveLength(shown);
    } finally {
      process.kill(server, 'SIGKILL');
    }
  });

  it('ends what a `background` node started when the node fails', async () => {
    const env = stringEnv({RUNBOOK_RUN_ID: 'run-failed-background', RUNBOOK_NODE_ID: 'serve'});
    const {result} = await run(shellExecutor, sh(`sleep 42 > /dev/null &\n${untilExeced('sleep 42')}\nexit 3`, 'sh {background}'), {cwd: dir.path, env});
    expect(result).toMatchObject({status: 'failed', exitCode: 3, survivors: [{command: 'sleep 42'}]});
    expect(markedProcesses('run-failed-background')).toEqual([]);
  });

  it('kills the running node\'s processes, escaped ones too, when this process crashes', async () => {
    const module = new URL('../../src/executors/shell.ts', import.meta.url).pathname;
    const node = sh(`setsid sleep 43 > /dev/null 2>&1 &\n${untilExeced('sleep 43')}\necho "$!" > daemon.pid\nsleep 44`);
    const script = `
      const {shellExecutor} = await import(${JSON.stringify(module)});
      const env = {...process.env, RUNBOOK_RUN_ID: 'run-crash', RUNBOOK_NODE_ID: 'crash'};
      void shellExecutor.execute({node: ${JSON.stringify(node)}, env, resolve: () => undefined, cwd: ${JSON.stringify(dir.path)}, shell: 'bash', signal: new AbortController().signal, onOutput: () => {}});
      const started = setInterval(async () => {
        const {existsSync} = await import('node:fs');
        if (existsSync(${JSON.stringify(join(dir.path, 'daemon.pid'))})) {
          clearInterval(started);
          throw new Error('crash');
        }
      }, 20);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8', timeout: 30_000});
    expect(child.stderr).toContain('Error: crash');
    expect(child.status).toBe(1);
    // SIGKILLed processes may take a moment to go; a survivor sleeps for 43 s
    for (let waited = 0; waited < 3000 && markedProcesses('run-crash').length > 0; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(markedProcesses('run-crash')).toEqual([]);
  });

  it('times out with SIGTERM to the process group', async () => {
    const {result} = await run(shellExecutor, sh('echo started\nsleep 30\necho never'), {cwd: dir.path, timeoutMs: 300});
    expect(result).toMatchObject({status: 'timed-out', reason: 'timed out after 300ms', exitCode: null, signal: 'SIGTERM', stdout: 'started\n'});
  });

  it('sends SIGTERM first, so a block can clean up', async () => {
    const code = 'trap \'echo cleaned up; exit 3\' TERM\nsleep 30 &\nwait';
    const {result} = await run(shellExecutor, sh(code), {cwd: dir.path, timeoutMs: 300, killGraceMs: 10_000});
    expect(result).toMatchObject({status: 'timed-out', reason: 'timed out after 300ms', exitCode: 3, signal: null, stdout: 'cleaned up\n'});
  });

  it('SIGKILLs a group that ignores SIGTERM after the grace period, leaving no process behind', async () => {
    const code = 'trap \'\' TERM\nsleep 30 &\necho "$$ $!"\nwait';
    const {result} = await run(shellExecutor, sh(code), {cwd: dir.path, timeoutMs: 300, killGraceMs: 300});
    expect(result).toMatchObject({status: 'timed-out', reason: 'timed out after 300ms', exitCode: null, signal: 'SIGKILL'});
    const [leader, grandchild] = result.stdout.trim().split(' ').map(Number);
    expect(leader).toBeGreaterThan(0);
    expect(grandchild).toBeGreaterThan(0);
    expect(alive(leader ?? 0)).toBe(false);
    expect(alive(grandchild ?? 0)).toBe(false);
    expect(groupMembers(leader ?? 0)).toEqual([]);
  });

  it('interrupts on abort with SIGINT to the group', async () => {
    const controller = new AbortController();
    const {result} = await run(shellExecutor, sh('echo started\nsleep 30\necho never'), {
      cwd: dir.path, signal: controller.signal,
      onOutput: (chunk) => {
        if (chunk.text === 'started\n') controller.abort();
      },
    });
    expect(result).toMatchObject({status: 'interrupted', reason: 'interrupted', exitCode: null, signal: 'SIGINT', stdout: 'started\n'});
  });

  it('escalates to SIGTERM when an aborted group ignores SIGINT', async () => {
    const controller = new AbortController();
    const {result} = await run(shellExecutor, sh('trap \'\' INT\necho started\nsleep 30'), {
      cwd: dir.path, signal: controller.signal, killGraceMs: 200,
      onOutput: (chunk) => {
        if (chunk.text === 'started\n') controller.abort();
      },
    });
    expect(result).toMatchObject({status: 'interrupted', reason: 'interrupted', signal: 'SIGTERM'});
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const {result} = await run(shellExecutor, sh('touch started'), {cwd: dir.path, signal: controller.signal});
    expect(result).toMatchObject({status: 'interrupted', reason: 'interrupted before it started', exitCode: null});
    expect(existsSync(join(dir.path, 'started'))).toBe(false);
  });

  it('keeps at most captureLimit bytes of stdout while streaming all of it', async () => {
    const total = captureLimit * 3;
    let streamed = 0;
    const {result} = await run(shellExecutor, sh(`head -c ${total} /dev/zero | tr '\\0' x`), {
      cwd: dir.path,
      onOutput: (chunk) => {
        streamed += chunk.text.length;
      },
    });
    expect(result.status).toBe('passed');
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stdout.length).toBe(captureLimit);
    expect(result.stdout).toBe('x'.repeat(captureLimit));
    expect(streamed).toBe(total);
  });

  it('hands the terminal to an interactive node and captures nothing', async () => {
    const {result, chunks} = await run(shellExecutor, sh('exit 0', 'sh {interactive}'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'passed', exitCode: 0, stdout: '', stdoutTruncated: false});
    expect(chunks).toEqual([]);
  });

  it('times out an interactive node too', async () => {
    const {result} = await run(shellExecutor, sh('sleep 30', 'sh {interactive}'), {cwd: dir.path, timeoutMs: 200});
    expect(result).toMatchObject({status: 'timed-out', reason: 'timed out after 200ms', signal: 'SIGTERM'});
  });
});
