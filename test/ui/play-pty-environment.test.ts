import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {repoRoot, startSandbox, type Sandbox} from '../sandbox/helpers.js';
import {startCli, type PtySession} from './pty.js';

// runbooks/rollback.md in a real pseudo-terminal against the sandbox: the
// environment is on screen (the header's target, `v`), and the command
// printed on quit, run as printed, resumes the run.

const cliPath = join(repoRoot, 'bin', 'runbook.js');

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
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
