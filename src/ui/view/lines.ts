// The player draws whole terminal rows it has wrapped itself, so it knows the
// height of every part of the screen and can keep the frame within the
// terminal (Ink clears the screen on every frame once a frame is taller).

import {shownText} from '../../text/terminal-text.js';

export type Color = 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'blue' | 'gray';

export interface Style {
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly strikethrough?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
  readonly color?: Color;
}

export interface Segment {
  readonly text: string;
  readonly style?: Style;
}

export type Line = readonly Segment[];

export const blank: Line = [];

// Every text the player draws becomes a segment here first, so this is
// where a runbook's titles, prose and commands, captures, prompts, notes and
// typed values are made inert: no control reaches the terminal, and what
// is measured is what is drawn.
export function seg(text: string, style?: Style): Segment {
  const shown = shownText(text);
  return style === undefined ? {text: shown} : {text: shown, style};
}

export function plain(text: string, style?: Style): Line {
  return text === '' ? [] : [seg(text, style)];
}

// Terminal columns a code point takes: wide East Asian and emoji take two,
// combining marks none.
function charWidth(codePoint: number): number {
  if (codePoint < 0x300) return 1;
  if ((codePoint >= 0x300 && codePoint <= 0x36f) || (codePoint >= 0x200b && codePoint <= 0x200f) || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0) ?? 0);
  return width;
}

export function lineWidth(line: Line): number {
  let width = 0;
  for (const segment of line) width += textWidth(segment.text);
  return width;
}

// Cuts a line to `width` columns, ending in `…` when something was cut.
export function truncate(line: Line, width: number): Line {
  if (lineWidth(line) <= width) return line;
  if (width <= 0) return [];
  const out: Segment[] = [];
  let room = width - 1;
  for (const segment of line) {
    if (room <= 0) break;
    let text = '';
    for (const char of segment.text) {
      const charColumns = charWidth(char.codePointAt(0) ?? 0);
      if (charColumns > room) {
        room = 0;
        break;
      }
      text += char;
      room -= charColumns;
    }
    if (text !== '') out.push({...segment, text});
  }
  const last = out.at(-1);
  out.push(seg('…', last?.style));
  return out;
}

// Pads a line with spaces to `width` columns (for right-aligned text).
export function spread(left: Line, right: Line, width: number): Line {
  const rightWidth = lineWidth(right);
  if (rightWidth === 0) return truncate(left, width);
  const room = width - rightWidth - 1;
  if (room < 8) return truncate(left, width);
  const cut = truncate(left, room);
  return [...cut, seg(' '.repeat(width - rightWidth - lineWidth(cut))), ...right];
}

export function prefixed(prefix: Line, lines: readonly Line[]): Line[] {
  return lines.map((line) => [...prefix, ...line]);
}

export function rule(width: number, label = ''): Line {
  if (label === '') return [seg('─'.repeat(Math.max(0, width)), {dim: true})];
  const head = `── ${label} `;
  return truncate([seg(head + '─'.repeat(Math.max(0, width - textWidth(head))), {dim: true})], width);
}

interface Token {
  readonly text: string;
  readonly style: Style | undefined;
  readonly kind: 'word' | 'space' | 'newline';
}

function tokenize(segments: readonly Segment[]): Token[] {
  const tokens: Token[] = [];
  for (const segment of segments) {
    for (const piece of segment.text.split(/(\n|[ \t]+)/)) {
      if (piece === '') continue;
      const kind = piece === '\n' ? 'newline' : /^[ \t]+$/.test(piece) ? 'space' : 'word';
      tokens.push({text: kind === 'space' ? piece.replace(/\t/g, ' ') : piece, style: segment.style, kind});
    }
  }
  return tokens;
}

export interface WrapOptions {
  // put before the first row, and before every later row
  readonly first?: Line;
  readonly rest?: Line;
}

// Word-wraps styled text to `width` columns; words longer than a row are
// broken. `\n` starts a new row.
export function wrap(segments: readonly Segment[], width: number, options: WrapOptions = {}): Line[] {
  const first = options.first ?? [];
  const rest = options.rest ?? first;
  const rows: Segment[][] = [];
  let row: Segment[] = [...first];
  let used = lineWidth(first);
  let room = Math.max(1, width - used);
  let contentOnRow = false;
  const newRow = (): void => {
    rows.push(trimEnd(row));
    row = [...rest];
    used = lineWidth(rest);
    room = Math.max(1, width - used);
    contentOnRow = false;
  };
  const put = (text: string, style: Style | undefined): void => {
    const last = row.at(-1);
    if (last !== undefined && last.style === style) row[row.length - 1] = {...last, text: last.text + text};
    else row.push(style === undefined ? {text} : {text, style});
    const columns = textWidth(text);
    used += columns;
    room -= columns;
    contentOnRow = true;
  };
  for (const token of tokenize(segments)) {
    if (token.kind === 'newline') {
      newRow();
      continue;
    }
    const columns = textWidth(token.text);
    if (token.kind === 'space') {
      if (!contentOnRow) continue;
      if (columns >= room) {
        newRow();
        continue;
      }
      put(token.text, token.style);
      continue;
    }
    if (columns > room && contentOnRow) newRow();
    let text = token.text;
    while (textWidth(text) > room) {
      let head = '';
      let headColumns = 0;
      for (const char of text) {
        const charColumns = charWidth(char.codePointAt(0) ?? 0);
        if (headColumns + charColumns > room) break;
        head += char;
        headColumns += charColumns;
      }
      if (head === '') head = [...text][0] ?? '';
      put(head, token.style);
      text = text.slice(head.length);
      newRow();
    }
    if (text !== '') put(text, token.style);
  }
  rows.push(trimEnd(row));
  return rows;
}

// Breaks text at exactly `width` columns, keeping every space (for code).
export function hardWrap(text: string, width: number, style?: Style): Line[] {
  const room = Math.max(1, width);
  const rows: Line[] = [];
  let row = '';
  let columns = 0;
  for (const char of shownText(text)) {
    const charColumns = charWidth(char.codePointAt(0) ?? 0);
    if (columns + charColumns > room) {
      rows.push(plain(row, style));
      row = '';
      columns = 0;
    }
    row += char;
    columns += charColumns;
  }
  rows.push(plain(row, style));
  return rows;
}

function trimEnd(row: Segment[]): Segment[] {
  const out = [...row];
  while (out.length > 0) {
    const last = out[out.length - 1] as Segment;
    const trimmed = last.text.replace(/ +$/, '');
    if (trimmed === last.text) break;
    if (trimmed === '') out.pop();
    else {
      out[out.length - 1] = {...last, text: trimmed};
      break;
    }
  }
  return out;
}

export function lineText(line: Line): string {
  return line.map((segment) => segment.text).join('');
}
