import {existsSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {startCli} from './pty.js';

const faultModule = fileURLToPath(new URL('../cli/fixtures/fs-fault.mjs', import.meta.url));

describe('runbook play in a terminal when the disk fails', () => {
  it('a transcript that cannot be written ends the player with one line and exit 1; the node never runs', {timeout: 60_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-pty-disk-'));
    writeFileSync(join(dir, 'r.md'), '# Two\n## A\n```sh {#a}\ntouch a\n```\n## B\n```sh {#b}\ntouch b\n```\n');
    const fault = {call: 'write', code: 'ENOSPC', path: 'transcript.jsonl', content: '"node-start","nodeId":"b"'};
    const session = startCli(['play', 'r.md'], {cwd: dir, env: {NODE_OPTIONS: `--import=${faultModule}`, RUNBOOK_TEST_FS_FAULT: JSON.stringify(fault)}});
    await session.waitFor('◆ Run `a`?');
    session.press('\r');
    await session.waitFor('◆ Run `b`?');
    session.press('\r');
    expect(await session.exited).toBe(1);
    const [runId = ''] = readdirSync(join(dir, '.runbook/runs'));
    const path = join(dir, '.runbook/runs', runId, 'transcript.jsonl');
    const last = session.screen().split('\n').filter((line) => line.trim() !== '').at(-1);
    expect(last).toBe(`runbook: cannot write the transcript ${path}: no space left on device (ENOSPC); the run stopped before its next step — fix the disk, then continue it with runbook play r.md --resume ${runId}`);
    expect(session.written()).not.toContain('    at ');
    expect(existsSync(join(dir, 'a'))).toBe(true);
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });
});
