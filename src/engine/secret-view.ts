// Text as it reads once its escapes are undone and its lines joined: JSON
// and shell backslash escapes (`\/`, `\"`, `\\`, `\'`, `\u0040`), ASCII
// %-escapes in either case (`%2f`, `%40`), and one line break (`\n`, `\r\n`
// or `\r`) after a character that is not itself a line break — where
// `base64`, PEM, `xxd -p` and `fold` wrap. Secrets are searched for in the
// view and every match is mapped back to the ranges of the original text it
// came from, one range per line. Each token starts with `\`, `%`, `\r` or
// `\n` and spans at most six characters, so a view is the same whether the
// text is read whole or from any token boundary on.
const tokens = /\r\n|[\r\n]|\\u[0-9a-fA-F]{4}|\\[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]|%[0-7][0-9a-fA-F]/g;

export const longestToken = 6;

interface Marks {
  // one entry per token replaced: where it lands in the view, where it lies
  // in the original text, and whether it was removed (a line break) or
  // decoded (one character)
  readonly view: readonly number[];
  readonly start: readonly number[];
  readonly end: readonly number[];
  readonly removed: readonly boolean[];
}

// Ordinary output has no escape and no blank line: its view is the text
// without its line breaks, made natively, and the map back to the original
// is only worked out when a secret is found in it.
const notPlain = /[\\%\r]|\n\n/;

export class TextView {
  readonly text: string;
  readonly #plain: boolean;
  #marks: (Marks & {readonly text: string}) | undefined;

  // the view of `raw` from `from` on (a token boundary)
  constructor(readonly raw: string, readonly from = 0) {
    this.#plain = !notPlain.test(from === 0 ? raw : raw.slice(from - 1));
    if (this.#plain) {
      this.text = raw.slice(from).replaceAll('\n', '');
    } else {
      this.#marks = markTokens(raw, from);
      this.text = this.#marks.text;
    }
  }

  // Where the view's character at `index` begins in the original text.
  rawStart(index: number): number {
    const marks = this.#mapped();
    const mark = lastMarkAtOrBefore(marks, index);
    if (mark < 0) return this.from + index;
    const markView = marks.view[mark] ?? 0;
    const end = marks.end[mark] ?? 0;
    if (marks.removed[mark] === true) return end + index - markView;
    return markView === index ? marks.start[mark] ?? 0 : end + index - markView - 1;
  }

  // `rawStart(text.length - count)`, cheaply for ordinary output: only the tail is read.
  rawStartFromEnd(count: number): number {
    if (!this.#plain) return this.rawStart(this.text.length - count);
    let position = this.raw.length;
    for (let seen = 0; seen < count; seen += 1) {
      position -= 1;
      if (this.raw.charCodeAt(position) === 10) position -= 1;
    }
    return position;
  }

  // The original ranges of the view's characters `start` to `end`, split
  // where a line break was removed between them.
  rawFragments(start: number, end: number): {start: number; end: number}[] {
    const marks = this.#mapped();
    const fragments: {start: number; end: number}[] = [];
    let fragmentStart = this.rawStart(start);
    for (let mark = lastMarkAtOrBefore(marks, start) + 1; mark < marks.view.length && (marks.view[mark] ?? 0) < end; mark += 1) {
      if (marks.removed[mark] !== true) continue;
      fragments.push({start: fragmentStart, end: marks.start[mark] ?? 0});
      fragmentStart = marks.end[mark] ?? 0;
    }
    fragments.push({start: fragmentStart, end: this.#rawEnd(end - 1)});
    return fragments;
  }

  // The start of the token that `index` lies strictly inside, if any.
  tokenStartAround(index: number): number | undefined {
    // a plain view's only tokens are single line breaks
    if (this.#plain) return undefined;
    const marks = this.#mapped();
    let low = 0;
    let high = marks.start.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const start = marks.start[middle] ?? 0;
      if (start >= index) high = middle - 1;
      else if ((marks.end[middle] ?? 0) <= index) low = middle + 1;
      else return start;
    }
    return undefined;
  }

  #rawEnd(index: number): number {
    const marks = this.#mapped();
    const mark = lastMarkAtOrBefore(marks, index);
    if (mark >= 0 && marks.removed[mark] !== true && marks.view[mark] === index) return marks.end[mark] ?? 0;
    return this.rawStart(index) + 1;
  }

  #mapped(): Marks & {readonly text: string} {
    this.#marks ??= markTokens(this.raw, this.from);
    return this.#marks;
  }
}

function markTokens(raw: string, from: number): Marks & {text: string} {
  const view: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const removed: boolean[] = [];
  let text = '';
  let position = from;
  tokens.lastIndex = from;
  for (let match = tokens.exec(raw); match !== null; match = tokens.exec(raw)) {
    const token = match[0];
    const at = match.index;
    const lineBreak = isLineBreak(token.charCodeAt(0));
    if (lineBreak && at > 0 && isLineBreak(raw.charCodeAt(at - 1))) continue;
    text += raw.slice(position, at);
    view.push(text.length);
    start.push(at);
    end.push(at + token.length);
    removed.push(lineBreak);
    if (!lineBreak) text += decode(token);
    position = at + token.length;
  }
  text += raw.slice(position);
  return {text, view, start, end, removed};
}

// The last mark landing at or before view index `index`; a decoded
// character at `index` comes after a line break removed just before it.
function lastMarkAtOrBefore(marks: Marks, index: number): number {
  let low = 0;
  let high = marks.view.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((marks.view[middle] ?? 0) <= index) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

function decode(token: string): string {
  if (token.charCodeAt(0) === 37) return String.fromCharCode(Number.parseInt(token.slice(1), 16));
  if (token.length === 6) return String.fromCharCode(Number.parseInt(token.slice(2), 16));
  return token.charAt(1);
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13;
}
