// The player draws whole terminal rows it has wrapped itself, so it knows the
// height of every part of the screen and can keep the frame within the
// terminal (Ink clears the screen on every frame once a frame is taller).

import stringWidth from 'string-width';
import {shownText} from '../../text/terminal-text.js';
import {createGraphemeSegmenter} from '../grapheme-segmenter.js';

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

// The columns a text takes, measured as Ink measures what it draws
// (string-width), so a right-aligned status is never cut by emoji such as
// ✅ 🚀 or by CJK. In the bundle the player's usual characters are counted
// by src/ui/simple-width.ts first, with exactly string-width's result.
export function textWidth(text: string): number {
  return stringWidth(text);
}

// The graphemes of `text` (what a terminal draws in one or two cells), each
// with its width.
function* cells(text: string): Generator<readonly [string, number]> {
  for (const {segment} of segmenter.segment(text)) yield [segment, stringWidth(segment)];
}

const segmenter = createGraphemeSegmenter();

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
    for (const [char, charColumns] of cells(segment.text)) {
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
      for (const [char, charColumns] of cells(text)) {
        if (headColumns + charColumns > room) break;
        head += char;
        headColumns += charColumns;
      }
      if (head === '') head = cells(text).next().value?.[0] ?? '';
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
  for (const [char, charColumns] of cells(shownText(text))) {
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

export const continuationMark = '↪ ';

// Wraps one line of code at spaces (a word longer than a row is broken),
// keeping its own spacing; every row after the first starts with the
// continuation mark, so a wrapped command never reads as two.
export function codeWrap(text: string, width: number, style?: Style): Line[] {
  const mark = seg(continuationMark, {dim: true});
  const markWidth = textWidth(continuationMark);
  const rows: Line[] = [];
  let row = '';
  let used = 0;
  let room = Math.max(1, width);
  const push = (): void => {
    const text = rows.length === 0 ? row.replace(/ +$/, '') : row.trim();
    rows.push(rows.length === 0 ? plain(text, style) : [mark, ...plain(text, style)]);
  };
  const newRow = (): void => {
    push();
    row = '';
    used = 0;
    room = Math.max(1, width - markWidth);
  };
  for (const piece of shownText(text).split(/( +)/)) {
    if (piece === '') continue;
    const columns = textWidth(piece);
    if (piece.startsWith(' ')) {
      if (used === 0 && rows.length > 0) continue;
      if (used + columns >= room && used > 0) newRow();
      else {
        row += piece;
        used += columns;
      }
      continue;
    }
    // a word no row can hold is broken where it stands
    const fresh = Math.max(1, width - markWidth);
    if (used + columns > room && used > 0 && columns <= fresh) newRow();
    for (const [char, charColumns] of used + columns > room ? cells(piece) : [[piece, columns] as const]) {
      if (used + charColumns > room && used > 0) newRow();
      row += char;
      used += charColumns;
    }
  }
  if (row.trim() !== '' || rows.length === 0) push();
  return rows;
}
