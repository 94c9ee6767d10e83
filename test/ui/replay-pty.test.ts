import {spawn} from 'node:child_process';
import {mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {makeTempDir, repoRoot, runProcess, startSandbox, type Sandbox} from '../sandbox/helpers.js';
import {startCli, type PtySession} from './pty.js';

// `runbook replay` of a sandbox rollback run, in a real pseudo-terminal
// with the built CLI: through the whole run and back, the end as the run
// ended, and the replay process never starts a process or opens a socket.

const cliPath = join(repoRoot, 'bin', 'runbook.js');

let sandbox: Sandbox | undefined;
const temporary: string[] = [];
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
  for (const dir of temporary.splice(0)) rmSync(dir, {recursive: true, force: true});
});

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  temporary.push(dir);
  return dir;
}

// What a process has started and opened, from /proc.
function childrenOf(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter((child) => child !== ''));
}
function socketsOf(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return target.startsWith('socket:') ? [target] : [];
    } catch {
      return [];
    }
  });
}

// The visible screen: the last `rows` rows.
function visible(session: PtySession, rows: number): string[] {
  return session.screen().split('\n').slice(-rows);
}

function statusOf(session: PtySession, rows: number): string {
  return visible(session, rows).at(-2) ?? '';
}

describe('runbook replay in a terminal', () => {
  it('watches with probes that do see a child process and a socket', async () => {
    const busy = spawn(process.execPath, ['-e', "require('node:net').createServer().listen(0, '127.0.0.1', () => { require('node:child_process').spawn('sleep', ['5']); console.log('ready'); })"], {stdio: ['ignore', 'pipe', 'inherit']});
    await new Promise((resolve) => busy.stdout.once('data', resolve));
    const children = childrenOf(busy.pid ?? 0);
    try {
      expect(children.length).toBe(1);
      expect(socketsOf(busy.pid ?? 0).length).toBeGreaterThan(0);
    } finally {
      for (const child of children) process.kill(Number(child));
      busy.kill();
    }
  });

  it('steps through a sandbox rollback run and back without starting anything, and ends as the run ended', {timeout: 300_000}, async () => {
    sandbox = await startSandbox('pty-replay');
    // beside the sandbox, which takes its own directory with it when it stops
    const runs = join(tempDir('pty-replay-runs'), 'runs');
    const played = await runProcess(process.execPath, [cliPath, 'play', 'runbooks/rollback.md', '--yes', '--env-file', sandbox.envFile, '--transcript-dir', runs], {cwd: repoRoot});
    expect(played.code, played.stdout + played.stderr).toBe(0);
    await sandbox.stop();
    sandbox = undefined;
    const [runId] = readdirSync(runs);
    const transcript = join(runs, runId ?? '', 'transcript.jsonl');
    const events = readFileSync(transcript, 'utf8').trimEnd().split('\n').length - 1;

    // the live run's step marks: `! step passed with failures allowed` under a step's `== title`
    const allowed = [...played.stdout.matchAll(/^== (.+)$/gm)].map((match, index, all) => {
      const section = played.stdout.slice(match.index, all[index + 1]?.index);
      return [match[1] ?? '', section.includes('! step passed with failures allowed') ? '!' : '✓'] as const;
    });
    expect(allowed.length).toBe(8);
    const summary = /^Summary: PASSED (with \d+ exceptions) in \S+ — (.+)$/m.exec(played.stdout);
    expect(summary).not.toBeNull();

    const rows = 50;
    const replay = startCli(['replay', transcript], {cwd: repoRoot, columns: 120, rows});
    const watched: {children: string[]; sockets: string[]}[] = [];
    const watch = setInterval(() => {
      try {
        watched.push({children: childrenOf(replay.pid), sockets: socketsOf(replay.pid)});
      } catch {
        // it has exited
      }
    }, 20);
    try {
      await replay.waitFor(`event 1 of ${events} ·`);
      expect(visible(replay, rows)[0]).toMatch(/^ REPLAY {2}Rollback Playbook/);
      // verified once the first frame is drawn
      await replay.waitFor(/· intact sha256:[0-9a-f]{32} · runbook file unchanged/);

      // forward through every event, then back through every one
      for (let index = 2; index <= events; index += 1) {
        replay.press('\u001B[C');
        await replay.waitFor(`event ${index} of ${events} ·`);
      }
      const end = visible(replay, rows);
      replay.press('g');
      await replay.waitFor(`event 1 of ${events} ·`);
      replay.press('G');
      await replay.waitFor(`event ${events} of ${events} ·`);
      expect(visible(replay, rows)).toEqual(end);
      for (let index = events - 1; index >= 1; index -= 1) {
        replay.press('\u001B[D');
        await replay.waitFor(`event ${index} of ${events} ·`);
      }
      replay.press('G');
      await replay.waitFor(`event ${events} of ${events} ·`);

      // the end: each step's mark and the outcome as the live run printed them
      const screen = visible(replay, rows).join('\n');
      for (const [title, mark] of allowed) expect(screen, title).toMatch(new RegExp(`^${mark === '!' ? '!' : '✓'} ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'));
      expect(screen).toContain(`Run passed ${summary?.[1] ?? ''} in `);
      expect(screen).toContain(` — ${summary?.[2] ?? ''}`);
      expect(statusOf(replay, rows)).toContain('attempt sealed at sha256:');

      // `[` / `]` move by steps
      replay.press('[');
      await replay.waitFor('step Incident follow-up starts');
      replay.press('q');
      expect(await replay.exited).toBe(0);
    } finally {
      clearInterval(watch);
    }
    expect(watched.length).toBeGreaterThan(10);
    expect(watched.flatMap((seen) => seen.children)).toEqual([]);
    expect(watched.flatMap((seen) => seen.sockets)).toEqual([]);
  });

  it('shows the diff with d when the runbook file changed since the run, a secret in the file masked', {timeout: 120_000}, async () => {
    const dir = tempDir('replay-diff');
    const runs = join(dir, 'runs');
    // a run of a runbook that only echoes, recorded without a sandbox
    mkdirSync(join(dir, 'runbooks'));
    const runbook = join(dir, 'runbooks', 'tiny.md');
    writeFileSync(runbook, '# Tiny\n\n## Say hello\n\n```sh\necho hello\n```\n');
    const played = await runProcess(process.execPath, [cliPath, 'play', 'runbooks/tiny.md', '--yes', '--transcript-dir', runs], {cwd: dir});
    expect(played.code, played.stderr).toBe(0);
    const secret = 'tiny-secret-0123456789';
    writeFileSync(runbook, `# Tiny\n\n## Say hello\n\n\`\`\`sh\necho hello again ${secret}\n\`\`\`\n`);
    const [runId] = readdirSync(runs);
    const replay = startCli(['replay', join(runs, runId ?? '')], {cwd: dir, columns: 80, rows: 24, env: {TINY_TOKEN: secret}});
    await replay.waitFor('runbook file changed since (d: diff)');
    replay.press('d');
    await replay.waitFor('Changed since the run (- as recorded, + the file now)');
    const diff = visible(replay, 24).join('\n');
    expect(diff).toContain('-echo hello\n+echo hello again ••••••');
    expect(replay.written()).not.toContain(secret);
    replay.press('q');
    await replay.waitFor('runbook file changed since (d: diff)');
    replay.press('q');
    expect(await replay.exited).toBe(0);
  });
});
