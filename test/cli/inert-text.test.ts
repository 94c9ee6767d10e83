import {copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {everyEscape, hostileRunbook, terminalControl} from '../fixtures/hostile-runbook.js';
import {runCli, type CliResult} from './run-cli.js';

// What the CLI prints about a hostile runbook, command, value or file name
// is inert: escape sequences and invisible characters show as text.

let dir = '';
let transcript = '';
const evilName = `evil ${everyEscape.replace(/\//g, '')}`;

function expectInert(result: CliResult): void {
  expect(result.stdout).not.toMatch(terminalControl);
  expect(result.stderr).not.toMatch(terminalControl);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-inert-'));
  writeFileSync(join(dir, 'hostile.md'), hostileRunbook(everyEscape));
  writeFileSync(join(dir, `${evilName}.md`), hostileRunbook('plain'));
  const played = await runCli(['play', 'hostile.md', '--yes', '--set', `PAYLOAD=${everyEscape}`], {cwd: dir});
  expect(played.code).toBe(0);
  const runs = join(dir, '.runbook/runs');
  transcript = join(runs, readdirSync(runs)[0] ?? '', 'transcript.jsonl');
}, 60_000);

describe('inert text from the CLI', () => {
  it('play --yes: titles, prose, commands, prompts, input values, captures and output', async () => {
    const result = await runCli(['play', 'hostile.md', '--yes', '--set', `PAYLOAD=${everyEscape}`], {cwd: dir});
    expect(result.code).toBe(0);
    expectInert(result);
    expect(result.stdout).toContain('Playing \\x1b]0;pwned\\x07');
    expect(result.stdout).toContain('? Print it \\x1b]0;pwned\\x07');
    expect(result.stdout).toContain('│ \\x1b]0;pwned\\x07');
    expect(result.stdout).toContain('captured EMITTED = \\x1b]0;pwned\\x07');
  });

  it('list, and a runbook whose file name carries escapes', async () => {
    for (const file of ['hostile.md', `${evilName}.md`]) {
      const result = await runCli(['list', file], {cwd: dir});
      expect(result.code).toBe(0);
      expectInert(result);
    }
    expect((await runCli(['list', 'hostile.md'], {cwd: dir})).stdout).toContain('1) Step \\x1b]0;pwned\\x07');
  });

  it('check: diagnostics that quote the runbook', async () => {
    writeFileSync(join(dir, 'bad.md'), `# Bad\n\n## S\n\n\`\`\`sh {#a timeout=x${everyEscape.replace(/[ "]/g, '')} bogus${'\u001B]0;pwned\u0007'}=1}\necho\n\`\`\`\n`);
    const result = await runCli(['check', 'bad.md', 'hostile.md', `${evilName}.md`], {cwd: dir});
    expect(result.code).toBe(2);
    expectInert(result);
    expect(result.stdout).toContain('Unexpected attribute `bogus\\x1b]0;pwned\\x07`');
  });

  it('error messages that name a file', async () => {
    for (const args of [['check', `${evilName}-missing.md`], ['list', `${evilName}-missing.md`], ['play', `${evilName}-missing.md`, '--yes'], ['verify', `${evilName}.jsonl`], ['play', 'hostile.md', '--yes', '--env-file', evilName], [`--${evilName}`]]) {
      const result = await runCli(args, {cwd: dir});
      expect(result.code).toBe(2);
      expectInert(result);
      expect(result.stderr).toContain('evil \\x1b]0;pwned\\x07');
    }
  });

  it('verify: a transcript named with escapes, altered to carry them', async () => {
    const copy = join(dir, `${evilName}.jsonl`);
    copyFileSync(transcript, copy);
    const intact = await runCli(['verify', copy], {cwd: dir});
    expect(intact.code).toBe(0);
    expectInert(intact);
    const lines = readFileSync(transcript, 'utf8').split('\n');
    lines[2] = lines[2]!.replace('"type":"', `"type":"${JSON.stringify(everyEscape).slice(1, -1)}`);
    writeFileSync(copy, lines.join('\n'));
    const altered = await runCli(['verify', copy], {cwd: dir});
    expect(altered.code).toBe(1);
    expectInert(altered);
    expect(altered.stdout).toContain('NOT intact');
  });

  it('--json output means the same and holds nothing a terminal acts on', async () => {
    const results = [
      await runCli(['play', 'hostile.md', '--yes', '--json', '--set', `PAYLOAD=${everyEscape}`], {cwd: dir}),
      await runCli(['list', 'hostile.md', '--json'], {cwd: dir}),
      await runCli(['check', 'bad.md', '--json'], {cwd: dir}),
      await runCli(['verify', transcript, '--json'], {cwd: dir}),
    ];
    for (const result of results) {
      expectInert(result);
      for (const line of result.stdout.trim().split(result === results[0] ? '\n' : /(?!)/)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
    expect(results[0]?.stdout).toContain('\\u009b');
  });
});
