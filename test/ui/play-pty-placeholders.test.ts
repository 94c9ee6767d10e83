import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startCli} from './pty.js';

// The player asks for a placeholder right before the block that needs it,
// not before the first step, and once: the later block reuses the value.
describe('placeholders in the player', () => {
  it('asks for <node-name> before the block that uses it, once', {timeout: 120_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-pty-placeholders-'));
    writeFileSync(join(dir, 'r.md'), '# Nodes\n\n## First\n\n```sh\necho first-ran\n```\n\n## Second\n\n```sh\necho "second on <node-name>"\n```\n\n## Third\n\n```sh\necho "third on <node-name>"\n```\n');
    const run = startCli(['play', 'r.md'], {cwd: dir, columns: 100, rows: 30});
    await run.waitFor('Run `first-1`?', 60_000);
    expect(run.screen()).not.toContain('NODE_NAME');
    run.press('\r');
    await run.waitFor('NODE_NAME — <node-name> in `second-1` (line 12)', 30_000);
    expect(run.screen()).toContain('✓ First');
    run.press('worker-1\r');
    await run.waitFor('Run `second-1`?', 30_000);
    run.press('\r');
    await run.waitFor('Run `third-1`?', 30_000);
    expect(run.screen()).not.toContain('NODE_NAME —');
    run.press('\r');
    await run.waitFor('third on worker-1', 30_000);
    run.press('q');
    await run.exited;
    const runs = join(dir, '.runbook/runs');
    const events = readFileSync(join(runs, readdirSync(runs)[0] ?? '', 'transcript.jsonl'), 'utf8').trim().split('\n').slice(1)
      .map((line) => (JSON.parse(line) as {event: {type: string; name?: string; text?: string; nodeId?: string}}).event);
    expect(events.filter((event) => event.type === 'input').map((event) => event.name)).toEqual(['NODE_NAME']);
    expect(events.filter((event) => event.type === 'output').map((event) => `${event.nodeId ?? ''}: ${event.text ?? ''}`)).toEqual([
      'first-1: first-ran\n', 'second-1: second on worker-1\n', 'third-1: third on worker-1\n',
    ]);
  });
});
