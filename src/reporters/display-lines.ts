// Cuts one stream's output into lines to show: at each newline and, within a
// line, every `width` characters, so a reporter holds at most `width`
// characters of a line however long it grows, and a node printing 100 MB
// without a newline is shown as fast as one printing short lines. A piece
// after such a cut is `continued`; the transcript keeps the line whole.
export interface DisplayLine {
  readonly text: string;
  readonly continued: boolean;
}

export const displayLineWidth = 4096;

export class DisplayLineSplitter {
  readonly #width: number;
  #pending = '';
  #pendingContinues = false;

  constructor(width: number = displayLineWidth) {
    this.#width = Math.max(2, width);
  }

  // The lines `text` completes; what follows the last newline waits.
  push(text: string): DisplayLine[] {
    const lines: DisplayLine[] = [];
    let pending = this.#pending;
    let continued = this.#pendingContinues;
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      for (let room = this.#width - pending.length; end - start > room; room = this.#width) {
        let cut = start + room;
        // never split a surrogate pair
        if (cut > start && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
        lines.push({text: pending + text.slice(start, cut), continued});
        pending = '';
        continued = true;
        start = cut;
      }
      if (newline === -1) {
        pending += text.slice(start);
        break;
      }
      lines.push({text: pending + text.slice(start, end), continued});
      pending = '';
      continued = false;
      start = newline + 1;
    }
    this.#pending = pending;
    this.#pendingContinues = continued;
    return lines;
  }

  // The text still waiting for its newline, as when the stream ends.
  flush(): DisplayLine | undefined {
    if (this.#pending === '') return undefined;
    const line = {text: this.#pending, continued: this.#pendingContinues};
    this.#pending = '';
    this.#pendingContinues = false;
    return line;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
