import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../cli/run-cli.js';
import {startCli, type PtySession} from './pty.js';

// The player in a real pseudo-terminal: a resumed rehearsal keeps its badge,
// also while it asks whether to go live, and goes live only when asked to and
// confirmed; an abort is final.

function events(dir: string): {type: string; [key: string]: unknown}[] {
  const runs = join(dir, '.runbook/runs');
  const [run = ''] = readdirSync(runs);
  return readFileSync(join(runs, run, 'transcript.jsonl'), 'utf8').trim().split('\n').slice(1).map((line) => (JSON.parse(line) as {event: {type: string}}).event);
}

// a sentence as shown on screen, where the player may wrap it at any space
function words(text: string): RegExp {
  return new RegExp(text.split(' ').map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
}

async function runNode(session: PtySession, nodeId: string): Promise<void> {
  const asked = `◆ Run \`${nodeId}\`?`;
  await session.waitFor(new RegExp(`◆ Run \`${nodeId}\`\\?|^[▶✓] ${nodeId} ·|^✗ \`${nodeId}\``, 'm'));
  if (session.screen().includes(asked)) session.press('\r');
}

const rollback = [
  '# Rollback',
  '## 1) Roll back code',
  '```sh {#redeploy mutates}',
  'touch deployed',
  '```',
  '## 2) Verify',
  '```sh {#verify}',
  'test -f deployed',
  '```',
  '',
].join('\n');

describe('runbook play in a terminal', () => {
  it('keeps a resumed rehearsal a rehearsal, badge and all, and goes live only with --live and a yes', {timeout: 120_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-pty-'));
    writeFileSync(join(dir, 'r.md'), rollback);

    const first = startCli(['play', 'r.md', '--read-only'], {cwd: dir});
    await runNode(first, 'verify');
    await first.waitFor('✗ `verify` exit code 1 (attempt 1)');
    expect(first.screen()).toContain(' · read-only rehearsal ·');
    expect(first.screen()).toMatch(/^↷ 1\) Roll back code +rehearsed, not done$/m);
    first.press('q');
    await first.waitFor('Quit now?');
    first.press('y');
    expect(await first.exited).toBe(130);

    const second = startCli(['play', 'r.md', '--resume'], {cwd: dir});
    await runNode(second, 'verify');
    await second.waitFor('✗ `verify` exit code 1 (attempt 1)');
    const resumedScreen = second.screen();
    expect(resumedScreen).toContain('attempt 2 (resumed) · read-only rehearsal ·');
    expect(resumedScreen).toMatch(/^↷ 1\) Roll back code +rehearsed, not done$/m);
    expect(resumedScreen).not.toMatch(/^✓ 1\) Roll back code/m);
    second.press('q');
    await second.waitFor('Quit now?');
    second.press('y');
    expect(await second.exited).toBe(130);
    expect(existsSync(join(dir, 'deployed'))).toBe(false);

    const third = startCli(['play', 'r.md', '--resume', '--live'], {cwd: dir});
    await third.waitFor(words('Go live? Attempts 1–2 were read-only rehearsals. 2 nodes run again: redeploy, the first node skipped because it mutates, and the one played after it.'));
    expect(third.screen()).toMatch(/^y go live {2}n keep rehearsing/m);
    // until the operator answers, the attempt is a rehearsal, and says so
    expect(third.screen()).toMatch(words('· read-only rehearsal — go live? ·'));
    third.press('y');
    await third.waitFor('◆ Run `redeploy`? It changes things (mutates).');
    expect(third.screen()).not.toContain('read-only rehearsal');
    // the check after the node that mutates runs again: its step is pending, not failed
    expect(third.screen()).toMatch(/^○ 2\) Verify/m);
    // it mutates: y runs it, never the enter that approves the rest
    third.press('y');
    await runNode(third, 'verify');
    await third.waitFor('Run passed');
    expect(await third.exited).toBe(0);
    expect(existsSync(join(dir, 'deployed'))).toBe(true);
    expect(events(dir).filter((event) => event.type === 'run-start').map(({attempt, readOnly}) => ({attempt, readOnly}))).toEqual([
      {attempt: 1, readOnly: true}, {attempt: 2, readOnly: true}, {attempt: 3, readOnly: false},
    ]);
  });

  it('keeps rehearsing when the operator says no to going live', {timeout: 60_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-pty-'));
    writeFileSync(join(dir, 'r.md'), rollback);
    expect((await runCli(['play', 'r.md', '--yes', '--read-only'], {cwd: dir})).code).toBe(1);
    const again = startCli(['play', 'r.md', '--resume', '--live'], {cwd: dir});
    await again.waitFor('Go live?');
    again.press('n');
    await runNode(again, 'verify');
    await again.waitFor('✗ `verify` exit code 1 (attempt 1)');
    expect(again.screen()).toContain('attempt 2 (resumed) · read-only rehearsal ·');
    again.press('q');
    await again.waitFor('Quit now?');
    again.press('y');
    expect(await again.exited).toBe(130);
    expect(existsSync(join(dir, 'deployed'))).toBe(false);
    expect(events(dir).filter((event) => event.type === 'note').map((event) => event['text'])).toContain(
      'attempt 1 was a read-only rehearsal, and so is this one: nodes that mutate are skipped (the operator chose to keep rehearsing)',
    );
  });

  it('aborts for good at a failure: no resume hint, and --resume refuses the run', {timeout: 60_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-pty-'));
    writeFileSync(join(dir, 'a.md'), '# A\n## S\n```sh {#broken}\nexit 7\n```\n```sh {#after}\ntouch after-ran\n```\n');
    const run = startCli(['play', 'a.md'], {cwd: dir});
    await runNode(run, 'broken');
    await run.waitFor('✗ `broken` exit code 7 (attempt 1)');
    run.press('a');
    await run.waitFor('Abort the run? It ends here for good and cannot be resumed.');
    run.press('y');
    expect(await run.exited).toBe(1);
    expect(run.screen()).toContain('Run aborted');
    expect(run.screen()).not.toContain('to continue this run');
    const recorded = events(dir);
    // the run's last event, then the seal of its attempt
    expect(recorded.at(-2)).toMatchObject({type: 'run-end', outcome: 'aborted', reason: 'aborted by the operator at `broken`'});
    expect(recorded.at(-1)).toMatchObject({type: 'seal', outcome: 'aborted'});
    const runId = String(recorded[0]?.['runId']);

    const latest = await runCli(['play', 'a.md', '--yes', '--resume'], {cwd: dir});
    expect(latest).toEqual({code: 2, stdout: '', stderr: `runbook: run ${runId} was aborted: an aborted run is finished for good and cannot be resumed; start a new run with \`runbook play a.md\`\n`});
    const named = await runCli(['play', 'a.md', '--yes', '--resume', runId], {cwd: dir});
    expect(named).toEqual(latest);
    expect(existsSync(join(dir, 'after-ran'))).toBe(false);
  });
});
