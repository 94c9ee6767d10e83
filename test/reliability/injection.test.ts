import {copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {jsonForTerminal, shownText} from '../../src/text/terminal-text.js';
import {runCli, type CliResult} from '../cli/run-cli.js';
import {escapeClasses, everyEscape, hostileRunbook, terminalControl} from '../fixtures/hostile-runbook.js';
import {startCli, type PtySession} from '../ui/pty.js';

// The standing injection suite: a runbook whose title, prose, step titles,
// commands, confirm prompt and checklist carry every class of escape
// sequence, played with an input (--set, then typed into the player) and a
// command output that carry them too, with shell metacharacters. Through
// every channel that shows text (plain pipes, and a real pseudo-terminal
// read by a terminal emulator), nothing runs that should not, the terminal's
// title and screen stay as they were, nothing reaches the clipboard, and
// each escape class shows as text.

const metacharacters: Readonly<Record<string, string>> = {
  'command substitution': '$(touch PWNED)',
  backticks: '`touch PWNED`',
  semicolon: '; touch PWNED',
  pipe: '| touch PWNED',
  template: '{{EMITTED}}',
  newline: 'first\nsecond',
};
const inputValue = `${everyEscape} ${Object.values(metacharacters).join(' ')}`;
// a file name cannot hold `/`
const evilName = `evil ${everyEscape.replace(/\//g, '')}`;

let dir = '';
let transcript = '';
const clean: Record<string, number> = {};

// Each escape class shows as text in `output`, as `visible` spells it.
function expectEveryClassShown(channel: string, output: string, visible: (raw: string) => string): void {
  for (const [name, raw] of Object.entries(escapeClasses)) {
    expect(output, `${channel}: ${name}`).toContain(visible(raw));
  }
  clean[channel] = Object.keys(escapeClasses).length;
}

const asText = (raw: string): string => shownText(raw);
const asJson = (raw: string): string => jsonForTerminal(JSON.stringify(raw)).slice(1, -1);
const asFileName = (raw: string): string => shownText(raw.replace(/\//g, ''));
const asAttributeName = (raw: string): string => raw.replace(/[ "=]/g, '');

function expectInert(result: CliResult): string {
  expect(result.stdout).not.toMatch(terminalControl);
  expect(result.stderr).not.toMatch(terminalControl);
  return `${result.stdout}\n${result.stderr}`;
}

// Sequences the program's own drawing never needs: any OSC, DCS or APC, C1
// controls, the alternate screen, raw bidi controls.
// eslint-disable-next-line no-control-regex
const neverWritten = /\u001B[\]P_^X]|[\u0080-\u009F]|\u001B\[\?(?:1049|1047|47)h|[\u202A-\u202E\u2066-\u2069]/;

function expectTerminalUntouched(session: PtySession): void {
  expect(session.written()).not.toMatch(neverWritten);
  expect(session.titles()).toEqual([]);
  expect(session.enteredAlternateScreen()).toBe(false);
  expect(session.oscCommands()).toEqual([]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-injection-'));
  writeFileSync(join(dir, 'hostile.md'), hostileRunbook(everyEscape));
  writeFileSync(join(dir, 'failing.md'), hostileRunbook(everyEscape, {secondFails: true}));
  // attribute names end at a space, a quote or `=`
  writeFileSync(join(dir, 'bad.md'), `# Bad ${everyEscape}\n\n## S\n\n\`\`\`sh {#a bogus${asAttributeName(Object.values(escapeClasses).join(''))}=1}\necho\n\`\`\`\n`);
});

afterAll(() => {
  const channels = Object.keys(clean).length;
  const cases = Object.keys(escapeClasses).length;
  // the figures: cases × channels, all clean
  console.log(`injection: ${cases} escape classes × ${channels} channels clean (${Object.values(clean).reduce((sum, count) => sum + count, 0)} checks); ${Object.keys(metacharacters).length} shell metacharacter inputs ran nothing; no title change, no alternate screen, no OSC 8/52 reached the terminal`);
});

describe('injection through plain pipes', () => {
  it('play --yes: nothing in the input runs, and every channel of the run shows it inert', {timeout: 30_000}, async () => {
    const played = await runCli(['play', 'hostile.md', '--yes', '--set', `PAYLOAD=${inputValue}`], {cwd: dir});
    expect(played.code).toBe(0);
    const output = expectInert(played);
    expectEveryClassShown('play (plain, pipe)', output, asText);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    // the value reached the command as it was given, never as code or a template
    expect(output).toContain(`│ ${shownText(inputValue).split('\n')[0]}`);
    expect(output).toContain('{{EMITTED}}');
    const runs = join(dir, '.runbook/runs');
    transcript = join(runs, readdirSync(runs)[0] ?? '', 'transcript.jsonl');
    // the transcript keeps the bytes as they came
    expect(readFileSync(transcript, 'utf8')).toContain(JSON.stringify(inputValue).slice(1, -1));

    const json = await runCli(['play', 'hostile.md', '--yes', '--json', '--set', `PAYLOAD=${inputValue}`], {cwd: dir});
    expect(json.code).toBe(0);
    expectEveryClassShown('play --json', expectInert(json), asJson);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });

  it('list, check and verify, as text and as JSON', {timeout: 30_000}, async () => {
    expectEveryClassShown('list', expectInert(await runCli(['list', 'hostile.md'], {cwd: dir})), asText);
    expectEveryClassShown('list --json', expectInert(await runCli(['list', 'hostile.md', '--json'], {cwd: dir})), asJson);
    expectEveryClassShown('check', expectInert(await runCli(['check', 'bad.md'], {cwd: dir})), (raw) => shownText(asAttributeName(raw)));
    expectEveryClassShown('check --json', expectInert(await runCli(['check', 'bad.md', '--json'], {cwd: dir})), (raw) => asJson(asAttributeName(raw)));
    const copy = join(dir, `${evilName}.jsonl`);
    copyFileSync(transcript, copy);
    expectEveryClassShown('verify', expectInert(await runCli(['verify', copy], {cwd: dir})), asFileName);
    expectInert(await runCli(['verify', copy, '--json'], {cwd: dir}));
  });

  it('error messages that name a file', async () => {
    const result = await runCli(['play', `${evilName}.md`, '--yes'], {cwd: dir});
    expect(result.code).toBe(2);
    expectEveryClassShown('error message', expectInert(result), asFileName);
  });
});

describe('injection through a real terminal', () => {
  it('the player: titles, prose, commands, the confirm prompt, the input value, a typed note, captures and output', {timeout: 30_000}, async () => {
    const session = startCli(['play', 'failing.md', '--set', `PAYLOAD=${inputValue}`], {cwd: dir, columns: 200, rows: 60});
    await session.waitFor('◆ Print it');
    session.press('n');
    await session.waitFor('Note for the transcript:');
    session.press('$(touch PWNED) `touch PWNED` \u202Egnp.exe');
    session.press('\r');
    await session.waitFor('· note saved');
    session.press('\r');
    await session.waitFor('captured EMITTED = \\x1b]0;pwned\\x07');
    await session.waitFor('◆ Tick each item');
    session.press(' ');
    session.press('\r');
    await session.waitFor('◆ Run `echo`?');
    session.press('\r');
    await session.waitFor('✗ `echo` exit code 3');
    expect(session.screen()).toContain('    out \\x1b]0;pwned\\x07');
    session.press('o');
    await session.waitFor('Output of echo');
    expect(session.screen()).toContain('\\x1b]52;c;cm0gLXJmIC8=\\x07');
    session.press('q');
    await session.waitFor('✗ `echo` exit code 3');
    session.press('q');
    await session.waitFor('Quit now?');
    session.press('y');
    expect(await session.exited).toBe(130);
    expectTerminalUntouched(session);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    const screen = session.screen();
    expect(screen).toContain('Step \\x1b]0;pwned\\x07');
    clean['player (pty)'] = Object.keys(escapeClasses).length;
  });

  it('play --yes, list and check on a terminal, with colour', {timeout: 30_000}, async () => {
    const runs = [
      ['play (plain, terminal)', ['play', 'hostile.md', '--yes', '--set', `PAYLOAD=${inputValue}`], /Summary: PASSED[\s\S]*runbook: transcript/],
      ['list (terminal)', ['list', 'hostile.md'], /\$ printf '%s\\n' "\$EMITTED"/],
      ['check (terminal)', ['check', 'bad.md'], /\d+ errors?, \d+ warnings?/],
    ] as const;
    for (const [channel, args, last] of runs) {
      const session = startCli(args, {cwd: dir, columns: 400, rows: 100});
      await session.exited;
      // the emulator has taken in everything up to the last line
      await session.waitFor(last);
      expectTerminalUntouched(session);
      expect(session.written()).toContain('\u001B[');
      expect(session.screen()).toContain('\\x1b]0;pwned\\x07');
      clean[channel] = Object.keys(escapeClasses).length;
    }
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });
});
