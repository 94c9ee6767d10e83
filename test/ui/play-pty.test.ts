import {copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startCli, type PtySession} from './pty.js';

// `runbook play` in a real pseudo-terminal, driven from the keyboard as an
// operator would, checked on the screen and in the transcript.

interface Line {
  readonly time: string;
  readonly event: {readonly type: string; readonly [key: string]: unknown};
}

function transcriptOf(dir: string): {path: string; lines: Line[]; text: string} {
  const runs = join(dir, '.runbook/runs');
  const [run] = readdirSync(runs);
  const path = join(runs, run ?? '', 'transcript.jsonl');
  const text = readFileSync(path, 'utf8');
  return {path, text, lines: text.trim().split('\n').slice(1).map((line) => JSON.parse(line) as Line)};
}

// The player asks before each node when it steps node by node: approve
// `nodeId` if asked, and go on once it runs, has passed or stopped at a failure.
async function runNode(session: PtySession, nodeId: string): Promise<void> {
  const asked = `◆ Run \`${nodeId}\`?`;
  await session.waitFor(new RegExp(`◆ Run \`${nodeId}\`\\?|^[▶✓] ${nodeId} ·|^✗ \`${nodeId}\``, 'm'));
  if (session.screen().includes(asked)) session.press('\r');
}

function allFiles(dir: string): string {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('runbook play in a terminal', () => {
  it('is driven from the keyboard — approve, note, checklist, retry, mark done, skip, Ctrl-C, quit — and resumes', {timeout: 120_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-pty-'));
    copyFileSync('test/ui/fixtures/e2e.md', join(dir, 'e2e.md'));
    const secret = 'pa55-Wd-XYZ-42';
    const run = startCli(['play', 'e2e.md', '--incident', 'INC-9'], {cwd: dir});

    await run.waitFor('TOKEN — Ops API token');
    run.press(secret);
    run.press('\r');
    await runNode(run, 'prepare');
    await run.waitFor('◆ Deploy the thing?');
    expect(run.screen()).toContain('✓ 1) Prepare');
    expect(run.screen()).toContain('  MUTATES — it changes something outside this machine');
    run.press('n');
    await run.waitFor('Note for the transcript:');
    run.press('starting the deploy');
    run.press('\r');
    await run.waitFor('· note saved');
    // a node that mutates does not take the enter that approves the rest
    run.press('\r');
    await run.waitFor('· this node changes things: press y to run it');
    expect(run.screen()).toContain('◆ Deploy the thing?');
    run.press('y');

    await run.waitFor('◆ Tick each item');
    run.press(' ');
    run.press('j');
    run.press('x');
    await run.waitFor('Why is this item not applicable?');
    run.press('no channel yet\r');
    await run.waitFor('· 2 of 2');
    run.press('\r');
    await runNode(run, 'flaky');

    await run.waitFor('✗ `flaky` exit code 1 (attempt 1)');
    expect(run.screen()).toContain('    first try fails');
    run.press('r');
    await runNode(run, 'broken');
    await run.waitFor('✗ `broken` exit code 7 (attempt 1)');
    run.press('m');
    await run.waitFor('How was it done? (a note is required)');
    run.press('\r');
    await run.waitFor('✗ a note is required: say how it was done');
    run.press('restarted it by hand\r');

    await run.waitFor('◆ Run the optional thing?');
    run.press('s');
    await run.waitFor('Why skip it?');
    run.press('not needed today\r');

    await runNode(run, 'slow');
    await run.waitFor('    tick 5');
    expect(run.screen()).toContain('Ctrl-C interrupt');
    run.press('\u0003');
    await run.waitFor('✗ `slow` interrupted');
    run.press('q');
    await run.waitFor('Quit now? The run stops safely and can be resumed later.');
    run.press('y');
    expect(await run.exited).toBe(130);

    const resume = /runbook: to continue this run: (runbook play e2e\.md --resume (\S+))/.exec(run.screen());
    expect(resume).not.toBeNull();
    const runId = resume?.[2] ?? '';
    expect(run.screen()).toContain(`runbook: transcript .runbook/runs/${runId}/transcript.jsonl`);

    const first = transcriptOf(dir);
    const events = first.lines.map((line) => line.event);
    // (a confirm for every other node too when the player steps node by node)
    const gated = (event: Line['event']): boolean => event['kind'] !== 'confirm' || event['nodeId'] === 'deploy' || event['nodeId'] === 'extra';
    const taken = events.filter((event) => event.type === 'decision-taken' && gated(event)).map(({kind, nodeId, decision, by, note}) => ({kind, nodeId, decision, by, note}));
    expect(taken).toEqual([
      {kind: 'confirm', nodeId: 'deploy', decision: 'run', by: 'operator', note: undefined},
      {kind: 'checklist', nodeId: 'deploy-1-2', decision: 'done', by: 'operator', note: undefined},
      {kind: 'failure', nodeId: 'flaky', decision: 'retry', by: 'operator', note: undefined},
      {kind: 'failure', nodeId: 'broken', decision: 'mark-done', by: 'operator', note: 'restarted it by hand'},
      {kind: 'confirm', nodeId: 'extra', decision: 'skip', by: 'operator', note: 'not needed today'},
      {kind: 'failure', nodeId: 'slow', decision: 'quit', by: 'operator', note: undefined},
    ]);
    expect(events.find((event) => event.type === 'decision-taken' && event['kind'] === 'checklist')?.['items']).toEqual([
      {index: 0, text: 'Dashboards checked', state: 'ticked'},
      {index: 1, text: 'Channel told', state: 'not-applicable', reason: 'no channel yet'},
    ]);
    expect(events.filter((event) => event.type === 'note' && event['by'] === 'operator').map((event) => event['text'])).toEqual(['starting the deploy']);
    expect(events.filter((event) => event.type === 'interrupt').map(({scope, nodeId}) => ({scope, nodeId}))).toEqual([
      {scope: 'node', nodeId: 'slow'},
      {scope: 'run', nodeId: undefined},
    ]);
    // the run's last event, then the seal of its attempt
    expect(events.at(-2)).toMatchObject({type: 'run-end', outcome: 'interrupted'});
    expect(events.at(-1)).toMatchObject({type: 'seal', outcome: 'interrupted'});
    for (const line of first.lines) expect(Date.parse(line.time)).not.toBeNaN();

    const again = startCli(['play', 'e2e.md', '--resume', runId], {cwd: dir});
    await again.waitFor(/TOKEN — Ops API token|attempt 2 \(resumed\)/);
    if (again.screen().includes('TOKEN — Ops API token')) {
      again.press(secret);
      again.press('\r');
    }
    await runNode(again, 'slow');
    await runNode(again, 'last');
    await again.waitFor('Run passed with 3 exceptions');
    expect(await again.exited).toBe(0);
    const finalScreen = again.screen();
    expect(finalScreen).toContain(`run ${runId} · attempt 2 (resumed)`);
    expect(finalScreen).toContain('── Steps 4–7 of 7 ───');
    // marked done and skipped are not passes, here and in the summary
    expect(finalScreen).toMatch(/^✎ 4\) Broken +marked done/m);
    expect(finalScreen).toMatch(/^↷ 5\) Extra +skipped/m);
    for (const step of ['6) Slow', '7) Last']) expect(finalScreen).toContain(`✓ ${step}`);
    expect(finalScreen).toContain('  – deploy-1-2 not applicable: no channel yet — "Channel told"');
    expect(finalScreen).toContain('  ✎ broken marked done: restarted it by hand');
    expect(finalScreen).toContain('  ↷ extra skipped: not needed today');
    expect(finalScreen).not.toContain('to continue this run');

    const second = transcriptOf(dir);
    const ran = second.lines.filter((line) => line.event.type === 'node-start').map((line) => line.event['nodeId']);
    expect(ran).toEqual(['prepare', 'deploy', 'flaky', 'flaky', 'broken', 'slow', 'slow', 'last']);

    for (const output of [run.written(), again.written(), allFiles(join(dir, '.runbook'))]) expect(output).not.toContain(secret);
  });

  it('asks first about a node that was running when the player was killed', {timeout: 60_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-pty-'));
    writeFileSync(join(dir, 'k.md'), [
      '# Killed',
      '## 1) Slow',
      '```sh {#slow}',
      'for i in $(seq 1 300); do echo "tick $i"; sleep 0.1; done',
      '```',
      '## 2) After',
      '```sh {#after}',
      'echo after',
      '```',
      '',
    ].join('\n'));
    const run = startCli(['play', 'k.md'], {cwd: dir});
    await runNode(run, 'slow');
    await run.waitFor('    tick 3');
    run.kill('SIGKILL');
    await run.exited;

    const again = startCli(['play', 'k.md', '--resume'], {cwd: dir});
    await again.waitFor('? `slow` started in an earlier attempt and never finished');
    expect(again.screen()).toContain('  It is not marked idempotent: check what it did before you rerun it.');
    expect(again.screen()).toContain('? slow · sh');
    again.press('s');
    await again.waitFor('Why skip it?');
    again.press('it had finished\r');
    await runNode(again, 'after');
    await again.waitFor('Run passed');
    expect(await again.exited).toBe(0);
    const taken = transcriptOf(dir).lines.filter((line) => line.event.type === 'decision-taken' && line.event['kind'] === 'unknown').map((line) => line.event);
    expect(taken).toMatchObject([{kind: 'unknown', nodeId: 'slow', decision: 'skip', by: 'operator', note: 'it had finished'}]);
  });
});
