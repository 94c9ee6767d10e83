import {isOneColumn} from './simple-width.js';

// Three of Ink's dependencies each make an ICU grapheme segmenter when they
// load, and the first one costs about 20 ms; Ink then splits every line of
// every frame with one. The bundle gives them this instead
// (scripts/build.mjs): a string made only of characters that are each a
// grapheme on their own (simpleWidth's characters, and ESC, a control) is
// split one code unit per grapheme, exactly as ICU splits it
// (test/ui/grapheme-segmenter.test.ts); anything else goes to an ICU
// segmenter made on the first string that needs one.

export interface GraphemeSegmenter {
  segment(input: string): Intl.Segments;
}

const escape = 0x1b;

class CodeUnitSegments implements Intl.Segments {
  readonly #input: string;
  constructor(input: string) {
    this.#input = input;
  }

  containing(codeUnitIndex = 0): Intl.SegmentData | undefined {
    const index = Number.isNaN(codeUnitIndex) ? 0 : Math.trunc(codeUnitIndex);
    if (!(index >= 0 && index < this.#input.length)) return undefined;
    return {segment: this.#input.charAt(index), index, input: this.#input};
  }

  *[Symbol.iterator](): IterableIterator<Intl.SegmentData> {
    const input = this.#input;
    for (let index = 0; index < input.length; index += 1) yield {segment: input.charAt(index), index, input};
  }
}

export function splitsByCodeUnit(input: string): boolean {
  for (let index = 0; index < input.length; index += 1) {
    const code = input.charCodeAt(index);
    if (code !== escape && !isOneColumn(code)) return false;
  }
  return true;
}

export function createGraphemeSegmenter(): GraphemeSegmenter {
  let icu: Intl.Segmenter | undefined;
  return {
    segment: (input) => {
      const text = String(input);
      if (splitsByCodeUnit(text)) return new CodeUnitSegments(text);
      icu ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
      return icu.segment(text);
    },
  };
}
