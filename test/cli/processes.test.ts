import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {markedProcesses} from '../executors/helpers.js';
import {startCli} from '../ui/pty.js';
import {cliPath, runCli} from './run-cli.js';

// Every test checks through /proc that nothing carrying the run's marker
// (RUNBOOK_RUN_ID in its environment) is left once the CLI has exited.

let dir = '';
const runIds: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-processes-'));
});

afterEach(() => {
  // a failing test must not leave its sleepers on the machine
  for (const runId of runIds.splice(0)) for (const pid of markedProcesses(runId)) process.kill(pid, 'SIGKILL');
  rmSync(dir, {recursive: true, force: true});
});

const write = (name: string, text: string): void => writeFileSync(join(dir, name), text);
const read = (name: string): string => readFileSync(join(dir, name), 'utf8').trim();

async function until(ready: () => boolean, what: string, ms = 15_000): Promise<void> {
  for (const deadline = Date.now() + ms; !ready(); await sleep(25)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
  }
}

// The run id, as the node wrote it to `run.id`.
async function runIdOf(): Promise<string> {
  await until(() => existsSync(join(dir, 'run.id')) && read('run.id') !== '', 'run.id');
  const runId = read('run.id');
  runIds.push(runId);
  return runId;
}

// Marked processes may take a moment to be reaped after SIGKILL; a survivor
// sleeps for 30 s or more, far beyond this.
async function noneLeft(runId: string): Promise<number[]> {
  await until(() => markedProcesses(runId).length === 0, `the processes of ${runId} to end`, 5000).catch(() => undefined);
  return markedProcesses(runId);
}

const events = (): {type: string; [key: string]: unknown}[] => {
  const runs = join(dir, '.runbook/runs');
  const [run = ''] = readdirSync(runs);
  return readFileSync(join(runs, run, 'transcript.jsonl'), 'utf8').trim().split('\n').slice(1)
    .map((line) => (JSON.parse(line) as {event: {type: string}}).event);
};

const notes = (): string[] => events().filter((event) => event.type === 'note').map((event) => String(event['text']));

// Lines that wait until the last background job runs `command` (after `setsid`, outside the group).
const untilExeced = (command: string): string => `until [ "$(tr '\\0' ' ' < /proc/$!/cmdline)" = '${command} ' ]; do sleep 0.01; done`;

function play(...args: string[]): {child: ChildProcess; stderr: () => string; exited: Promise<number | null>} {
  const child = spawn(process.execPath, ['--', cliPath, 'play', 'r.md', '--yes', ...args], {cwd: dir, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {child, stderr: () => stderr, exited};
}

describe('no process outlives its node or its run', () => {
  it('ends and records what a passed node left running', async () => {
    write('r.md', [
      '# Leave', '## Leave',
      '```sh {#leave}', 'echo "$RUNBOOK_RUN_ID" > run.id', 'sleep 38 &', untilExeced('sleep 38'), 'echo "$!" > left.pid', '```',
    ].join('\n'));
    const result = await runCli(['play', 'r.md', '--yes'], {cwd: dir});
    const runId = await runIdOf();
    const left = Number(read('left.pid'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`\n   ✓ leave passed \\(exit 0, [\\d.]+m?s\\)\n   ended process ${left} it left running: sleep 38\n`));
    expect(events().find((event) => event.type === 'node-end')?.['survivors']).toEqual([{pid: left, command: 'sleep 38'}]);
    expect(await noneLeft(runId)).toEqual([]);
  });

  it('keeps a `background` node\'s process until the run ends, and not after', async () => {
    write('r.md', [
      '# Serve', '## Serve',
      '```sh {#serve background}', 'echo "$RUNBOOK_RUN_ID" > run.id', 'sleep 37 > /dev/null 2>&1 &', untilExeced('sleep 37'), 'echo "$!" > server.pid', '```',
      '## Use',
      '```sh {#use}', 'echo "server $(cut -d" " -f3 /proc/$(cat server.pid)/stat)"', '```',
    ].join('\n'));
    const result = await runCli(['play', 'r.md', '--yes'], {cwd: dir});
    const runId = await runIdOf();
    const server = Number(read('server.pid'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('   │ server S\n');
    expect(result.stdout).toContain(`   note: process ${server} (\`sleep 37\`) of \`serve\`: left running until the end of the run, ended\n\nSummary: PASSED`);
    expect(await noneLeft(runId)).toEqual([]);
  });

  it('after kill -9 of the CLI, ends the cut-off node\'s processes before rerunning it on resume', async () => {
    write('r.md', [
      '# Resume', '## Slow',
      '```sh {#slow idempotent}',
      'echo "$RUNBOOK_RUN_ID" > run.id',
      'if [ -f first.pid ]; then',
      '  state=$(cut -d" " -f3 "/proc/$(cat first.pid)/stat" 2>/dev/null || true)',
      '  if [ -n "$state" ] && [ "$state" != Z ]; then echo "the original still runs"; exit 1; fi',
      '  echo "the original is gone"',
      '  exit 0',
      'fi',
      'echo "$$" > first.pid',
      'sleep 30 &',
      'echo "$!" > sleep.pid',
      'wait',
      '```',
    ].join('\n'));
    const first = play();
    await until(() => existsSync(join(dir, 'sleep.pid')) && read('sleep.pid') !== '', 'the node to start');
    first.child.kill('SIGKILL');
    await first.exited;
    const runId = await runIdOf();
    const [shell, sleeper] = [Number(read('first.pid')), Number(read('sleep.pid'))];
    expect(markedProcesses(runId).sort()).toEqual([shell, sleeper].sort());

    const resumed = await runCli(['play', 'r.md', '--yes', '--resume'], {cwd: dir});
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('   │ the original is gone\n');
    expect(notes()).toContainEqual(`process ${sleeper} (\`sleep 30\`) of \`slow\`: still running from an earlier attempt, ended before anything reruns`);
    expect(notes().filter((text) => text.startsWith(`process ${shell} (\`bash --noprofile --norc -euo pipefail -c `))).toHaveLength(1);
    expect(await noneLeft(runId)).toEqual([]);
  });

  it('on resume after kill -9, keeps a passed `background` node\'s process for the resumed attempt, and ends it with the run', async () => {
    write('r.md', [
      '# Serve', '## Serve',
      '```sh {#serve background}', 'echo "$RUNBOOK_RUN_ID" > run.id', 'sleep 45 > /dev/null 2>&1 &', untilExeced('sleep 45'), 'echo "$!" > server.pid', '```',
      '## Use',
      '```sh {#use idempotent}',
      'if [ -f cut ]; then echo "server $(cut -d" " -f3 /proc/$(cat server.pid)/stat)"; exit 0; fi',
      'touch cut',
      'sleep 30',
      '```',
    ].join('\n'));
    const first = play();
    await until(() => existsSync(join(dir, 'cut')), 'the second node to start');
    first.child.kill('SIGKILL');
    await first.exited;
    const runId = await runIdOf();
    const server = Number(read('server.pid'));

    const resumed = await runCli(['play', 'r.md', '--yes', '--resume'], {cwd: dir});
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('   │ server S\n');
    expect(notes().filter((text) => text.startsWith(`process ${server} `))).toEqual([`process ${server} (\`sleep 45\`) of \`serve\`: left running until the end of the run, ended`]);
    expect(await noneLeft(runId)).toEqual([]);
  });

  it.each(['SIGHUP', 'SIGTERM'] as const)('quits on %s: records it, ends the node and what escaped it, exits 130', async (signal) => {
    write('r.md', [
      '# Quit', '## Wait',
      '```sh {#wait}', 'echo "$RUNBOOK_RUN_ID" > run.id', 'setsid sleep 40 > /dev/null 2>&1 &', untilExeced('sleep 40'), 'echo "$!" > daemon.pid', 'exec sleep 39', '```',
    ].join('\n'));
    const run = play();
    await until(() => existsSync(join(dir, 'daemon.pid')) && read('daemon.pid') !== '', 'the node to start');
    const runId = await runIdOf();
    run.child.kill(signal);
    expect(await run.exited).toBe(130);
    expect(await noneLeft(runId)).toEqual([]);
    expect(run.stderr()).toContain('runbook: interrupted; stopping safely (Ctrl-C again to force)\n');
    const recorded = events();
    expect(recorded).toContainEqual({type: 'interrupt', scope: 'run', nodeId: 'wait'});
    expect(recorded.find((event) => event.type === 'node-end')).toMatchObject({outcome: 'interrupted', survivors: [{pid: Number(read('daemon.pid')), command: 'sleep 40'}]});
    // the run's last event, then the seal of its attempt
    expect(recorded.at(-2)).toMatchObject({type: 'run-end', outcome: 'interrupted'});
    expect(recorded.at(-1)).toMatchObject({type: 'seal', outcome: 'interrupted'});
  });

  it('quits the player on SIGHUP (the terminal closed): ends the node and what escaped it, exits 130', async () => {
    write('r.md', [
      '# Quit', '## Wait',
      '```sh {#wait}', 'echo "$RUNBOOK_RUN_ID" > run.id', 'setsid sleep 46 > /dev/null 2>&1 &', untilExeced('sleep 46'), 'echo "$!" > daemon.pid', 'exec sleep 47', '```',
    ].join('\n'));
    const session = startCli(['play', 'r.md'], {cwd: dir});
    await session.waitFor('◆ Run `wait`?');
    session.press('\r');
    await until(() => existsSync(join(dir, 'daemon.pid')) && read('daemon.pid') !== '', 'the node to start');
    const runId = await runIdOf();
    session.kill('SIGHUP');
    expect(await session.exited).toBe(130);
    expect(await noneLeft(runId)).toEqual([]);
    expect(events().find((event) => event.type === 'node-end')).toMatchObject({outcome: 'interrupted', survivors: [{pid: Number(read('daemon.pid')), command: 'sleep 46'}]});
  });

  it('on a second Ctrl-C headless, kills the node before exiting', async () => {
    write('r.md', [
      '# Stubborn', '## Wait',
      '```sh {#stubborn}', 'echo "$RUNBOOK_RUN_ID" > run.id', 'trap "" INT', 'sleep 41 &', 'echo "$!" > sleep.pid', 'wait', '```',
    ].join('\n'));
    const run = play();
    await until(() => existsSync(join(dir, 'sleep.pid')) && read('sleep.pid') !== '', 'the node to start');
    const runId = await runIdOf();
    run.child.kill('SIGINT');
    await until(() => run.stderr().includes('stopping safely'), 'the first Ctrl-C to be seen');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(await noneLeft(runId)).toEqual([]);
    expect(run.stderr()).toContain('runbook: interrupted again; killing the node\'s processes\n');
    expect(events()).toContainEqual({type: 'interrupt', scope: 'run', nodeId: 'stubborn'});
  });
});
