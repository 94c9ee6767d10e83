import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {createGraphemeSegmenter, splitsByCodeUnit} from '../../src/ui/grapheme-segmenter.js';
import {oneColumnRanges} from '../../src/ui/simple-width.js';

const icu = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const segments = (found: Intl.Segments): Intl.SegmentData[] => [...found].map(({segment, index, input}) => ({segment, index, input}));

const oneColumnCharacters: string[] = [];
for (const [from, to] of oneColumnRanges) {
  for (let code = from; code <= to; code += 1) oneColumnCharacters.push(String.fromCodePoint(code));
}
const sgr = fc.array(fc.integer({min: 0, max: 255}), {maxLength: 4}).map((parameters) => `\u001B[${parameters.join(';')}m`);
const simplePiece = fc.oneof(fc.constantFrom(...oneColumnCharacters, '\u001B'), sgr);

describe('createGraphemeSegmenter', () => {
  it('splits one-column characters, SGR escapes and lone ESCs one code unit per grapheme, as ICU does', () => {
    const segmenter = createGraphemeSegmenter();
    fc.assert(fc.property(fc.array(simplePiece, {maxLength: 40}), (pieces) => {
      const text = pieces.join('');
      expect(splitsByCodeUnit(text)).toBe(true);
      expect(segments(segmenter.segment(text))).toEqual(segments(icu.segment(text)));
    }), {numRuns: 2000});
  });

  it('finds the grapheme containing an index as ICU does', () => {
    const segmenter = createGraphemeSegmenter();
    const text = '\u001B[1m◆ Run `print`?\u001B[22m … ─';
    for (const index of [-1, 0, 1, 3, 7, text.length - 1, text.length, Number.NaN, 2.7]) {
      expect(segmenter.segment(text).containing(index), String(index)).toEqual(icu.segment(text).containing(index));
    }
    expect(segmenter.segment(text).containing()).toEqual(icu.segment(text).containing());
  });

  it('leaves every other string to ICU', () => {
    const segmenter = createGraphemeSegmenter();
    for (const text of ['e\u0301', '👩‍💻 ok', '🇫🇷', '漢字', 'a\r\nb', '▶\uFE0F', '\u1100\u1161']) {
      expect(splitsByCodeUnit(text), JSON.stringify(text)).toBe(false);
      expect(segments(segmenter.segment(text))).toEqual(segments(icu.segment(text)));
    }
    const mixed = fc.oneof(simplePiece, fc.string({unit: 'grapheme', maxLength: 3}));
    fc.assert(fc.property(fc.array(mixed, {maxLength: 20}), (pieces) => {
      const text = pieces.join('');
      expect(segments(segmenter.segment(text))).toEqual(segments(icu.segment(text)));
    }), {numRuns: 1000});
  });
});
