import {jsonForTerminal} from '../text/terminal-text.js';

// asciicast, the file format asciinema records and plays
// (docs.asciinema.org/manual/asciicast/v2 and …/v3): newline-delimited JSON,
// a header object then one `[time, code, data]` array per event. v3 gives
// each event's interval since the previous one and has an exit event and
// header tags; v2 gives times since the start and has neither.
export type AsciicastVersion = 2 | 3;

export interface AsciicastHeaderFields {
  readonly cols: number;
  readonly rows: number;
  // unix seconds of the recording's start
  readonly timestamp?: number;
  readonly title: string;
  // v3 only (v2 has no tags)
  readonly tags: readonly string[];
  // a player shortens any pause longer than this (seconds)
  readonly idleTimeLimit?: number;
}

// Turns timed output, markers and the exit status into cast lines (each
// with its newline). Times are milliseconds since the recording began and
// never go back.
export class AsciicastEncoder {
  #lastMs = 0;

  constructor(readonly version: AsciicastVersion) {}

  header(fields: AsciicastHeaderFields): string {
    const common = {
      ...(fields.timestamp === undefined ? {} : {timestamp: fields.timestamp}),
      ...(fields.idleTimeLimit === undefined ? {} : {idle_time_limit: fields.idleTimeLimit}),
      title: fields.title,
    };
    const header = this.version === 3
      ? {version: 3, term: {cols: fields.cols, rows: fields.rows, type: 'xterm-256color'}, ...common, ...(fields.tags.length === 0 ? {} : {tags: fields.tags})}
      : {version: 2, width: fields.cols, height: fields.rows, ...common, env: {TERM: 'xterm-256color'}};
    return `${jsonForTerminal(JSON.stringify(header))}\n`;
  }

  // text as a terminal takes it: line breaks are `\r\n`
  output(atMs: number, text: string): string {
    return this.#event(atMs, 'o', text.replace(/\r?\n/g, '\r\n'));
  }

  // a labelled marker: a chapter the player can jump to
  marker(atMs: number, label: string): string {
    return this.#event(atMs, 'm', label);
  }

  // v3's exit event; v2 has none, so nothing
  exit(atMs: number, status: number): string {
    return this.version === 3 ? this.#event(atMs, 'x', String(status)) : '';
  }

  #event(atMs: number, code: 'o' | 'm' | 'x', data: string): string {
    const at = Math.max(this.#lastMs, Math.round(atMs));
    const time = this.version === 3 ? at - this.#lastMs : at;
    this.#lastMs = at;
    // C1 controls and format characters escaped too: the file may be read in a terminal
    return `[${(time / 1000).toFixed(3)}, "${code}", ${jsonForTerminal(JSON.stringify(data))}]\n`;
  }
}

// The pause put between two attempts of a resumed run: the wall-clock gap
// (minutes, days) is in the attempt's marker, not in the timeline.
export const attemptGapMs = 1000;

// One continuous timeline from the transcript's `mono` (milliseconds since
// the attempt began, restarting at 0 each attempt): each attempt starts
// `attemptGapMs` after the previous one's last event.
export class CastClock {
  #attempt: number | undefined;
  #offsetMs = 0;
  #lastMs = 0;

  at(attempt: number, mono: number): number {
    if (attempt !== this.#attempt) {
      if (this.#attempt !== undefined) this.#offsetMs = this.#lastMs + attemptGapMs;
      this.#attempt = attempt;
    }
    const at = Math.max(this.#lastMs, this.#offsetMs + Math.max(0, Number.isFinite(mono) ? mono : 0));
    this.#lastMs = at;
    return at;
  }

  get lastMs(): number {
    return this.#lastMs;
  }
}
