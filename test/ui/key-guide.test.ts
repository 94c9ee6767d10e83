import {describe, expect, it} from 'vitest';
import {keyGuide} from '../../src/ui/key-guide.js';
import {helpLines} from '../../src/ui/view/help.js';
import {lineText} from '../../src/ui/view/lines.js';

describe('the help is generated from the keymap', () => {
  it('lists every key the player binds, once each, with what it does where', () => {
    const guide = keyGuide();
    expect(guide.map((entry) => entry.key)).toEqual([
      'enter', 'g/G', 's', 'a', 'n', 'o', 'q', '?', 'Ctrl-C', 'v', '↑/↓', 'esc', 'PgUp/PgDn', 'N', 'y', 'r', 'm', 'space', 'x', '[/]', 'j/k',
      // `runbook replay`'s own
      '←/→', '1/2/3', 'd',
    ]);
    expect(guide.find((entry) => entry.key === '[/]')?.text).toBe('move the focus to the node before / after (in a checklist, where ↑/↓ select items); in a replay: the previous / next step\'s start');
    expect(guide.find((entry) => entry.key === '←/→')?.text).toBe('in a replay: the previous / next recorded event');
    expect(guide.find((entry) => entry.key === 'space')?.text).toBe('tick the selected checklist item; in a replay: play / pause the recorded run, at its recorded pace');
    expect(guide.find((entry) => entry.key === 'PgUp/PgDn')?.text).toBe('scroll the step up / down a page; in the output view: page');
    expect(guide.find((entry) => entry.key === 'j/k')?.text).toBe('in the output view: scroll; in this help: scroll the help (PgUp/PgDn a page); in a replay\'s diff: scroll the diff (PgUp/PgDn a page)');
  });

  it('draws each entry as a row of the help', () => {
    const text = helpLines(120).map(lineText).join('\n');
    for (const {key} of keyGuide()) expect(text).toMatch(new RegExp(`^  ${key.replace(/[?[\]/]/g, '\\$&')} `, 'm'));
  });
});
