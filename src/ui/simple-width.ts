// Ink measures every string it draws with string-width, whose first use
// builds an ICU segmenter and compiles Unicode emoji patterns: about 90 ms
// before the player's first frame. The frames are made almost only of
// characters that take one column each and never join their neighbours into
// one grapheme (ASCII, Latin letters, punctuation, arrows, box drawing, the
// status glyphs), so those strings are measured here, with exactly
// string-width's result (test/ui/simple-width.test.ts checks every such
// character against it). The bundle routes Ink's string-width through this
// (scripts/build.mjs) and loads string-width itself on the first string that
// needs it.

// [from, to], inclusive: characters string-width counts as one column that
// are grapheme bases, neither marks nor joiners, so each one is a cluster.
export const oneColumnRanges: readonly (readonly [number, number])[] = [
  [0x20, 0x7e],
  [0xa0, 0xac],
  [0xae, 0x2ff],
  [0x2010, 0x2027],
  [0x2030, 0x205e],
  [0x2190, 0x21ff],
  [0x2500, 0x25fc],
  [0x2713, 0x2717],
];

const escape = 0x1b;
const leftBracket = 0x5b;
const letterM = 0x6d;

// A UTF-16 code unit that is one of those characters on its own.
export function isOneColumn(code: number): boolean {
  if (code >= 0x20 && code <= 0x7e) return true;
  for (const [from, to] of oneColumnRanges) {
    if (code >= from && code <= to) return true;
  }
  return false;
}

// The columns `text` takes, or undefined when it holds anything else than
// those characters and SGR escapes (`ESC [ 1;31 m`), which take none.
export function simpleWidth(text: string): number | undefined {
  let width = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === escape) {
      if (text.charCodeAt(index + 1) !== leftBracket) return undefined;
      let end = index + 2;
      while (end < text.length && isParameter(text.charCodeAt(end))) end += 1;
      if (text.charCodeAt(end) !== letterM) return undefined;
      index = end;
      continue;
    }
    if (!isOneColumn(code)) return undefined;
    width += 1;
  }
  return width;
}

// digits and `;`
function isParameter(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x3b;
}
