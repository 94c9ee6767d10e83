// Finds every occurrence of a set of literal strings. Each string is found
// with one native `indexOf` scan, except strings that contain a shorter one
// of the set: those are checked only where the shorter one was found. (The
// forms of a secret nest a lot: padded base64 holds unpadded base64, which
// holds the form found inside a longer value.)
export class LiteralSearch {
  readonly longest: number;
  readonly #cores: {readonly text: string; readonly containing: {readonly text: string; readonly offset: number}[]}[] = [];
  // every literal, by its first character
  readonly #byFirst = new Map<string, string[]>();

  constructor(literals: Iterable<string>) {
    const byLength = [...new Set(literals)].filter((literal) => literal !== '').sort((a, b) => a.length - b.length);
    for (const literal of byLength) {
      const core = this.#cores.find((candidate) => literal.includes(candidate.text));
      if (core === undefined) this.#cores.push({text: literal, containing: []});
      else core.containing.push({text: literal, offset: literal.indexOf(core.text)});
    }
    this.longest = byLength.at(-1)?.length ?? 0;
    for (const literal of byLength) {
      const first = literal.charAt(0);
      this.#byFirst.set(first, [...(this.#byFirst.get(first) ?? []), literal]);
    }
  }

  // Where the longest end of `text` that could still grow into one of the
  // literals begins (`text.length` when none could): what a stream holds back.
  partialFrom(text: string): number {
    for (let start = Math.max(0, text.length - this.longest + 1); start < text.length; start += 1) {
      const candidates = this.#byFirst.get(text.charAt(start));
      if (candidates === undefined) continue;
      const rest = text.slice(start);
      if (candidates.some((literal) => literal.length > rest.length && literal.startsWith(rest))) return start;
    }
    return text.length;
  }

  // Calls `found(start, length)` for every occurrence in `text`, overlapping ones too.
  forEach(text: string, found: (start: number, length: number) => void): void {
    for (const core of this.#cores) {
      for (let index = text.indexOf(core.text); index >= 0; index = text.indexOf(core.text, index + 1)) {
        found(index, core.text.length);
        for (const {text: longer, offset} of core.containing) {
          if (index >= offset && text.startsWith(longer, index - offset)) found(index - offset, longer.length);
        }
      }
    }
  }
}
