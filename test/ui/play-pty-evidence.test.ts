import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {repoRoot, startSandbox, type Sandbox} from '../sandbox/helpers.js';
import {startCli, type PtySession} from './pty.js';

// runbooks/rollback.md played in a real pseudo-terminal against the
// sandbox, as an operator would: the evidence a question refers to is on
// the screen when it is asked, without a key.

let sandbox: Sandbox | undefined;
let session: PtySession | undefined;
afterEach(async () => {
  session?.kill('SIGKILL');
  session = undefined;
  await sandbox?.stop();
  sandbox = undefined;
});

const deploymentId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

// The footer: the keys that apply now.
function footer(screen: string): string {
  return screen.split('\n').filter((row) => row.trim() !== '').at(-1) ?? '';
}

// Waits until the screen is no longer `before` (the key was taken).
async function changed(run: PtySession, before: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (run.screen() === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

// Answers each question the way an operator going through the rollback
// would — approve the gate (`y` where the footer offers it, else enter),
// tick every checklist item, skip a failure — until `stop` holds for the
// screen, which is then returned.
async function playUntil(run: PtySession, stop: (screen: string) => boolean, timeoutMs = 150_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = run.screen();
    if (stop(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`gave up; the screen shows:\n${screen}`);
    const keys = footer(screen);
    const checklist = /◆ Tick each item .* · (\d+) of (\d+)/s.exec(screen);
    if (checklist !== null && keys.includes('space tick')) {
      const items = Number(checklist[2]);
      for (let item = 0; item < items; item += 1) run.press(item === 0 ? ' ' : 'j ');
      await run.waitFor(`${items} of ${items}`);
      run.press('\r');
      await changed(run, run.screen());
    } else if (keys.includes('r retry')) {
      run.press('s');
      await run.waitFor('Why skip it?');
      run.press('\r');
      await changed(run, run.screen());
    } else if (/(^| {2})y \w/.test(keys) && keys.includes('s skip')) {
      run.press('y');
      await changed(run, screen);
    } else if (keys.startsWith('enter run')) {
      run.press('\r');
      await changed(run, screen);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe.each([{columns: 120, rows: 35}, {columns: 80, rows: 24}])('runbooks/rollback.md at $columns×$rows', ({columns, rows}) => {
  it('shows deployment_history\'s deployment IDs when the next node is asked, and the dead-letter count when the queue checklist asks', {timeout: 240_000}, async () => {
    sandbox = await startSandbox('pty-evidence');
    const run = startCli(['play', join(repoRoot, 'runbooks/rollback.md'), '--env-file', sandbox.envFile, '--transcript-dir', join(sandbox.dir, 'runs')], {cwd: sandbox.dir, columns, rows});
    session = run;

    await run.waitFor('Use this playbook when a production deploy causes');
    const asked = await playUntil(run, (screen) => screen.includes('◆ Run `lkg_commit`?'));
    // the IDs shown are those of the api service's deployments, as deployment_history listed them
    const {services} = await sandbox.state();
    const shown = asked.split('\n').flatMap((row) => deploymentId.exec(row) ?? []);
    expect(shown.length, asked).toBeGreaterThan(0);
    for (const id of shown) expect(services.api.deployments.map((deployment) => deployment.id), asked).toContain(id);

    const queue = await playUntil(run, (screen) => screen.includes('The root cause of these') && screen.includes('◆ Tick each item'));
    const {queue: {deadLetters}} = await sandbox.state();
    expect(deadLetters.count).toBeGreaterThan(0);
    expect(queue, queue).toContain(`"count":${deadLetters.count}`);

    run.press('q');
    await run.waitFor('Quit now?');
    run.press('y');
    expect(await run.exited).toBe(130);
  });
});
