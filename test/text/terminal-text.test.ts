import {describe, expect, it} from 'vitest';
import {jsonForTerminal, shownLine, shownOutputLine, shownText} from '../../src/text/terminal-text.js';
import {escapeClasses, everyEscape, terminalControl as anyControl} from '../fixtures/hostile-runbook.js';

describe('shownText', () => {
  it('leaves ordinary text, tabs, newlines and emoji joiners alone', () => {
    expect(shownText('Roll back api — ✓ done\n\tnext 👩‍💻')).toBe('Roll back api — ✓ done\n\tnext 👩‍💻');
  });

  it.each(Object.entries(escapeClasses))('shows %s as text, nothing a terminal acts on', (_name, text) => {
    const shown = shownText(`before ${text} after`);
    expect(shown).not.toMatch(anyControl);
    expect(shown.startsWith('before ')).toBe(true);
    expect(shown.endsWith(' after')).toBe(true);
  });

  it('spells out what it took out', () => {
    expect(shownText('\u001B]0;pwned\u0007')).toBe('\\x1b]0;pwned\\x07');
    expect(shownText('\u009B31m')).toBe('\\x9b31m');
    expect(shownText('\u001B[31mred\u001B[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(shownText('echo \u202Egnp.exe')).toBe('echo <U+202E>gnp.exe');
    expect(shownText('a\r\nb\rc')).toBe('a\nb\\x0dc');
  });
});

describe('shownLine', () => {
  it('keeps a value on one line, so it cannot pass for a line the view wrote', () => {
    expect(shownLine('ok\n✓ deploy passed')).toBe('ok\\n✓ deploy passed');
    expect(shownLine('a\r\nb\u001B]0;x\u0007')).toBe('a\\nb\\x1b]0;x\\x07');
    expect(shownLine('plain value')).toBe('plain value');
  });
});

describe('shownOutputLine', () => {
  it('keeps colours when asked and closes them at the end of the line', () => {
    expect(shownOutputLine('\u001B[32mgreen', {colour: true})).toBe('\u001B[32mgreen\u001B[0m');
    expect(shownOutputLine('\u001B[1;31mred\u001B[0m plain', {colour: true})).toBe('\u001B[1;31mred\u001B[0m plain');
    expect(shownOutputLine('\u001B[32mgreen\u001B[39m plain', {colour: false})).toBe('green plain');
  });

  it.each(Object.entries(escapeClasses))('shows %s as text, with or without colour', (_name, text) => {
    for (const colour of [true, false]) {
      const shown = shownOutputLine(`before ${text} after`, {colour});
      expect(shown).not.toMatch(anyControl);
      expect(shown).toContain('before ');
    }
  });

  it('spells out the sequences it does not keep', () => {
    expect(shownOutputLine('\u001B[?1049hhidden', {colour: true})).toBe('\\x1b[?1049hhidden');
    expect(shownOutputLine('\u001B]52;c;cm0=\u001B\\', {colour: true})).toBe('\\x1b]52;c;cm0=\\x1b\\');
    expect(shownOutputLine('\u009B31mnot colour', {colour: true})).toBe('\\x9b31mnot colour');
  });

  it('shows the last rewrite of a progress line', () => {
    expect(shownOutputLine(' 10%\r 50%\r100%\r', {colour: false})).toBe('100%');
  });
});

describe('jsonForTerminal', () => {
  it('escapes what JSON.stringify leaves for a terminal to act on, meaning the same', () => {
    const value = {text: `a ${everyEscape} b`};
    const json = jsonForTerminal(JSON.stringify(value));
    expect(json).not.toMatch(anyControl);
    expect(JSON.parse(json)).toEqual(value);
    expect(JSON.stringify(value)).toMatch(anyControl);
  });
});
