// Finds every occurrence of a set of literal strings. Each string is found
// with one native `indexOf` scan, except strings that contain a shorter one
// of the set: those are checked only where the shorter one was found. (The
// forms of a secret nest a lot: padded base64 holds unpadded base64, which
// holds the form found inside a longer value.)
export class LiteralSearch {
  readonly longest: number;
  readonly #cores: {readonly text: string; readonly containing: {readonly text: string; readonly offset: number}[]}[] = [];

  constructor(literals: Iterable<string>) {
    const byLength = [...new Set(literals)].filter((literal) => literal !== '').sort((a, b) => a.length - b.length);
    for (const literal of byLength) {
      const core = this.#cores.find((candidate) => literal.includes(candidate.text));
      if (core === undefined) this.#cores.push({text: literal, containing: []});
      else core.containing.push({text: literal, offset: literal.indexOf(core.text)});
    }
    this.longest = byLength.at(-1)?.length ?? 0;
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
