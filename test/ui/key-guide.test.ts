import {describe, expect, it} from 'vitest';
import {keyGuide} from '../../src/ui/key-guide.js';
import {helpLines} from '../../src/ui/view/help.js';
import {lineText} from '../../src/ui/view/lines.js';

describe('the help is generated from the keymap', () => {
  it('lists every key the player binds, once each, with what it does where', () => {
    const guide = keyGuide();
    expect(guide.map((entry) => entry.key)).toEqual([
      'enter', 'g/G', 's', 'a', 'n', 'o', 'q', '?', 'Ctrl-C', 'v', '↑/↓', 'esc', 'PgUp/PgDn', 'N', 'y', 'r', 'm', 'space', 'x', '[/]', 'j/k',
    ]);
    expect(guide.find((entry) => entry.key === '[/]')?.text).toBe('move the focus to the node before / after (in a checklist, where ↑/↓ select items)');
    expect(guide.find((entry) => entry.key === 'PgUp/PgDn')?.text).toBe('scroll the step up / down a page; in the output view: page');
    expect(guide.find((entry) => entry.key === 'j/k')?.text).toBe('in the output view: scroll; in this help: scroll the help (PgUp/PgDn a page)');
  });

  it('draws each entry as a row of the help', () => {
    const text = helpLines(120).map(lineText).join('\n');
    for (const {key} of keyGuide()) expect(text).toMatch(new RegExp(`^  ${key.replace(/[?[\]/]/g, '\\$&')} `, 'm'));
  });
});

describe('a replay’s help is generated from the replay’s keys', () => {
  it('lists the replay’s keys and the views it shares with the player, nothing that decides or notes', () => {
    const guide = keyGuide(true);
    expect(guide.map((entry) => entry.key)).toEqual(['space', '←/→', '[/]', 'g/G', '1/2/3', 'd', 'o', '↑/↓', 'esc', 'PgUp/PgDn', 'N', 'v', 'q', '?', 'j/k', 'Ctrl-C']);
    expect(guide.find((entry) => entry.key === 'space')?.text).toBe('play / pause the recorded run, at its recorded pace');
    expect(guide.find((entry) => entry.key === 'q')?.text).toBe('quit the replay (Ctrl-C too); in the diff: back to the replay (esc too); in the output view: back; in the notes: back to the run (esc too); in this help: close');
    expect(guide.find((entry) => entry.key === 'Ctrl-C')?.text).toBe('in the output view: quit the replay');
  });

  it('draws each entry as a row of the replay’s help', () => {
    const text = helpLines(120, true).map(lineText).join('\n');
    for (const {key} of keyGuide(true)) expect(text).toMatch(new RegExp(`^  ${key.replace(/[?[\]/]/g, '\\$&')} `, 'm'));
    expect(text).toContain('A replay reads the transcript: nothing runs, nothing is written.');
    expect(text).not.toContain('skip the node');
  });
});
