import {describe, expect, it} from 'vitest';
import {shownOutputLine, shownText} from '../../src/text/terminal-text.js';

// Every class of sequence a hostile runbook or command might print, with
// what a terminal would do with it.
export const escapeClasses: Readonly<Record<string, string>> = {
  'OSC 0 title, BEL': '\u001B]0;pwned\u0007',
  'OSC 2 title, ST': '\u001B]2;pwned\u001B\\',
  'OSC 8 hyperlink': '\u001B]8;;https://evil.example\u0007click\u001B]8;;\u0007',
  'OSC 52 clipboard': '\u001B]52;c;cm0gLXJmIC8=\u0007',
  'DCS string': '\u001BPq#0;2;0;0;0\u001B\\',
  'APC string': '\u001B_payload\u001B\\',
  'alternate screen': '\u001B[?1049h',
  'cursor movement': '\u001B[2A\u001B[10;1H',
  'erase display': '\u001B[2J',
  'scroll region': '\u001B[1;5r',
  'C1 CSI': '\u009B?1049h',
  'C1 OSC': '\u009D0;pwned\u0007',
  'bidi override': 'echo safe \u202Efr- mr\u202C',
  'bidi isolate': '\u2066rm -rf /\u2069',
  'zero-width space': 'r\u200Bm',
  'bell and backspace': 'a\u0007b\u0008c',
};

const anyControl = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200B]/;

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
