import {createRequire} from 'node:module';
import {pathToFileURL} from 'node:url';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {oneColumnRanges, simpleWidth} from '../../src/ui/simple-width.js';

// The string-width Ink itself resolves: the one the bundle routes through simpleWidth.
const require = createRequire(import.meta.url);
const inkRequire = createRequire(require.resolve('ink'));
const stringWidthModule = (await import(pathToFileURL(inkRequire.resolve('string-width')).href)) as {default: (text: string) => number};
const stringWidth = stringWidthModule.default;

const oneColumnCharacters: string[] = [];
for (const [from, to] of oneColumnRanges) {
  for (let code = from; code <= to; code += 1) oneColumnCharacters.push(String.fromCodePoint(code));
}

describe('simpleWidth', () => {
  it('counts each listed character as one column, as string-width does', () => {
    const differ = oneColumnCharacters.filter((character) => stringWidth(character) !== 1 || simpleWidth(character) !== 1);
    expect(differ).toEqual([]);
  });

  it('lists only grapheme bases that are not spacing marks, so no two of them form one cluster', () => {
    expect(oneColumnCharacters.filter((character) => !/^\p{Grapheme_Base}$/u.test(character) || /^\p{gc=Mc}$/u.test(character))).toEqual([]);
    const segmenter = new Intl.Segmenter();
    const text = oneColumnCharacters.join('');
    const reversed = [...oneColumnCharacters].reverse().join('');
    expect([...segmenter.segment(text)].length).toBe(oneColumnCharacters.length);
    expect([...segmenter.segment(reversed)].length).toBe(oneColumnCharacters.length);
  });

  it('skips SGR escapes', () => {
    expect(simpleWidth('\u001B[1mLines\u001B[22m')).toBe(5);
    expect(simpleWidth('\u001B[38;5;214m◆ Run `print`?\u001B[39m\u001B[m')).toBe(14);
    expect(simpleWidth('')).toBe(0);
  });

  it('leaves everything else to string-width', () => {
    for (const text of ['😀', 'e\u0301', '漢字', 'a\tb', '\u00AD', '▶\uFE0F', '\u001B]8;;https://example.com\u0007x', '\u001B[?25l', '\u001B[31', '\u001B', '\u009B31m', 'a\u200Db']) {
      expect(simpleWidth(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('agrees with string-width on any mix of those characters and SGR escapes', () => {
    const sgr = fc.array(fc.integer({min: 0, max: 255}), {maxLength: 4}).map((parameters) => `\u001B[${parameters.join(';')}m`);
    const piece = fc.oneof(fc.constantFrom(...oneColumnCharacters), sgr);
    fc.assert(fc.property(fc.array(piece, {maxLength: 40}), (pieces) => {
      const text = pieces.join('');
      expect(simpleWidth(text)).toBe(stringWidth(text));
    }), {numRuns: 2000});
  });
});
