import {chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {isAlive, repoRoot, runProcess, startSandbox, type Sandbox} from '../sandbox/helpers.js';
import {startCli, type PtySession} from './pty.js';

// runbooks/rollback.md in a real pseudo-terminal against the sandbox: the
// environment is on screen (the header's target, `v`), and the command
// printed on quit, run as printed, resumes the run.

const cliPath = join(repoRoot, 'bin', 'runbook.js');

let sandbox: Sandbox | undefined;
// the demo's own sandbox, stopped even when the test fails half way
let demoSandbox: string | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
  if (demoSandbox !== undefined) await runProcess(process.execPath, [join(repoRoot, 'sandbox', 'cli.mjs'), 'stop', '--dir', demoSandbox]);
  demoSandbox = undefined;
});

// The last row of the screen: the keys that apply now.
function footer(session: PtySession): string {
  return session.screen().split('\n').at(-1) ?? '';
}

// Answers what the player asks until `until` shows: a gate with `y` when the
// footer offers `y` (a gate that needs a deliberate key), else Enter; a
// checklist by ticking each item.
async function playUntil(session: PtySession, until: string | RegExp): Promise<void> {
  const shows = (): boolean => (typeof until === 'string' ? session.screen().includes(until) : until.test(session.screen()));
  const deadline = Date.now() + 90_000;
  while (!shows()) {
    if (Date.now() > deadline) throw new Error(`never reached ${String(until)}; the screen shows:\n${session.screen()}`);
    const keys = footer(session);
    const checklist = /· (\d+) of (\d+) done/.exec(session.screen());
    if (checklist !== null) session.press(checklist[1] === checklist[2] ? '\r' : ' j');
    else if (/(^| {2})y /.test(keys)) session.press('y');
    else if (/^enter (run|done)/.test(keys)) session.press('\r');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

function hintOf(screen: string): string {
  const line = screen.split('\n').find((row) => row.startsWith('runbook: to continue this run: '));
  if (line === undefined) throw new Error(`no resume hint on screen:\n${screen}`);
  return line.slice('runbook: to continue this run: '.length).trim();
}

describe('the environment on screen, in a terminal', () => {
  it('shows the sandbox’s API origin in the header and in `v`, and the hint printed on quit resumes as typed', {timeout: 240_000}, async () => {
    sandbox = await startSandbox('pty-environment');
    const origin = sandbox.env['API_ORIGIN'] ?? '';
    const token = sandbox.env['OPS_TOKEN'] ?? '';
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const runs = join(sandbox.dir, 'the runs');
    const run = startCli(['play', 'runbooks/rollback.md', '--env-file', sandbox.envFile, '--transcript-dir', runs, '--incident', 'INC 10'], {cwd: repoRoot, columns: 120, rows: 35});

    await run.waitFor('◆ Run `health`?', 60_000);
    expect(run.screen()).toContain(`target api ${origin} · web ${sandbox.env['WEB_ORIGIN'] ?? ''}`);
    expect(run.screen()).toContain(`  → GET ${origin}/health`);
    run.press('v');
    await run.waitFor('where each value came from; secrets masked');
    const variables = run.screen();
    expect(variables).toMatch(new RegExp(`^  API_ORIGIN +${origin.replaceAll('.', '\\.')} +env file$`, 'm'));
    expect(variables).toMatch(/^ {2}OPS_TOKEN +•••••• +env file · secret$/m);
    expect(variables).not.toContain(token);
    run.press('q');
    await run.waitFor('◆ Run `health`?');

    // a few nodes in, then quit safely
    await playUntil(run, '◆ Run `deployment_history`?');
    run.press('q');
    await run.waitFor('Quit now?');
    run.press('y');
    expect(await run.exited).toBe(130);
    const hint = hintOf(run.screen());
    expect(hint).toMatch(new RegExp(`^runbook play runbooks/rollback\\.md --resume \\S+ --env-file ${sandbox.envFile.replaceAll('.', '\\.')} --transcript-dir '${runs.replaceAll('.', '\\.')}' --incident 'INC 10'$`));
    expect(run.written()).not.toContain(token);

    // `runbook` on PATH is the built CLI, as after `npm install -g`
    const bin = join(sandbox.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'runbook'), `#!/bin/sh\nexec "${process.execPath}" -- "${cliPath}" "$@"\n`);
    chmodSync(join(bin, 'runbook'), 0o755);
    const resumed = startCli([], {cwd: repoRoot, columns: 120, rows: 35, shell: hint, env: {PATH: `${bin}:${process.env['PATH'] ?? ''}`}});
    await resumed.waitFor('attempt 2 (resumed)', 60_000);
    await resumed.waitFor('◆ Run `deployment_history`?');
    expect(resumed.screen()).toContain('incident INC 10');
    expect(resumed.screen()).toContain(`target api ${origin}`);
    resumed.press('q');
    await resumed.waitFor('Quit now?');
    resumed.press('y');
    expect(await resumed.exited).toBe(130);
    expect(hintOf(resumed.screen())).toBe(hint);
  });
});

describe('npm run demo in a terminal', () => {
  it('leaves the sandbox running when the run is left resumable, and the commands it prints resume the run and stop the sandbox', {timeout: 300_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-demo-pty-'));
    const sandboxDir = join(dir, 'sandbox');
    const runs = join(dir, 'runs');
    demoSandbox = sandboxDir;
    const first = startCli([], {cwd: repoRoot, columns: 120, rows: 35, shell: `npm run --silent demo -- --sandbox-dir ${sandboxDir} --transcript-dir ${runs}`});
    await first.waitFor('◆ Run `health`?', 90_000);
    first.press('q');
    await first.waitFor('Quit now?');
    first.press('y');
    expect(await first.exited).toBe(130);
    const said = (screen: string, lead: string): string => {
      const line = screen.split('\n').find((row) => row.startsWith(lead));
      if (line === undefined) throw new Error(`no \`${lead}\` on screen:\n${screen}`);
      return line.slice(lead.length).trim();
    };
    const resume = said(first.screen(), 'demo: the sandbox is still running, so the run can be resumed: ');
    const stop = said(first.screen(), 'demo: to stop the sandbox instead: ');
    expect(resume).toBe(`npm run demo -- --sandbox-dir ${sandboxDir} --resume --transcript-dir ${runs}`);
    expect(stop).toBe(`npm run demo -- --sandbox-dir ${sandboxDir} --stop`);
    const pid = Number(readFileSync(join(sandboxDir, 'sandbox.pid'), 'utf8'));
    expect(isAlive(pid)).toBe(true);

    const again = startCli([], {cwd: repoRoot, columns: 120, rows: 35, shell: resume});
    await again.waitFor('attempt 2 (resumed)', 90_000);
    expect(again.screen()).toContain('demo: sandbox still running: api http://127.0.0.1:');
    await again.waitFor('◆ Run `health`?');
    again.press('q');
    await again.waitFor('Quit now?');
    again.press('y');
    expect(await again.exited).toBe(130);

    const stopped = startCli([], {cwd: repoRoot, shell: stop});
    expect(await stopped.exited).toBe(0);
    expect(stopped.screen()).toContain('demo: sandbox stopped');
    expect(isAlive(pid)).toBe(false);
  });
});
