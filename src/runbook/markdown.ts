import type {Code, Html, Root, RootContent} from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import {unified} from 'unified';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

// One remark parse of the whole text: the tree `parseMarkdown` must equal.
export function parseMarkdownWhole(source: string): Root {
  return processor.parse(source);
}

interface LineStart {
  readonly offset: number;
  // 1-based
  readonly line: number;
}

// A link or footnote definition anywhere changes how references parse in
// every section, so such documents are parsed whole. Definitions also
// count inside block quotes and list items, and a label may span lines;
// anything that may be one at the start of a line counts.
const definition = /^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*\[(?:[^\]\\]|\\[\s\S]){1,999}\]:/m;
const atxHeading = /^#{1,6}(?:[ \t\r\n]|$)/;
const lineBreak = /\r\n|\r|\n/g;
const blankLine = /^[ \t]*$/;
const frontmatterFence = /^---[ \t]*$/;
const closingFence = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
// HTML blocks of CommonMark kinds 1–5 end at a marker; the others at a blank line.
const htmlKinds: readonly (readonly [start: RegExp, end: RegExp])[] = [
  [/^<(?:script|pre|style|textarea)(?:[ \t>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];

// The same tree as `parseMarkdownWhole`, built section by section. micromark
// copies its whole list of events each time a list or block quote closes, so
// one parse of a long runbook is quadratic in its lists; parsing top-level
// sections on their own keeps that cost local and the whole linear.
//
// Sections start at column-0 ATX headings. Only a top-level fenced code or
// HTML block (or the frontmatter) can run across such a line, and such a
// block is then the last node of the section parsed alone, left open: the
// parse is resumed at that block and extended past its real end.
export interface SectionOptions {
  // sections shorter than this many characters are parsed together: each
  // parse has a fixed cost, and a few kilobytes keep the quadratic part small
  readonly minimumSection?: number;
}

export function parseMarkdown(source: string, options: SectionOptions = {}): Root {
  return parseSections(source, options).tree;
}

// `parseMarkdown`, telling how many separate parses it took.
export function parseSections(source: string, {minimumSection = 4096}: SectionOptions = {}): {tree: Root; parses: number} {
  if (definition.test(source)) return {tree: parseMarkdownWhole(source), parses: 1};
  const lines = lineStarts(source);
  const headings = lines.filter((start) => start.line > 1 && atxHeading.test(source.slice(start.offset, start.offset + 8)));
  if (headings.length === 0) return {tree: parseMarkdownWhole(source), parses: 1};

  const children: RootContent[] = [];
  let start: LineStart = {offset: 0, line: 1};
  let next = 0;
  let parses = 0;
  for (;;) {
    while (next < headings.length && (headings[next]?.offset ?? 0) < start.offset + minimumSection) next += 1;
    const boundary = headings[next];
    const stop = boundary?.offset ?? source.length;
    const text = source.slice(start.offset, stop);
    const tree = processor.parse(text);
    parses += 1;
    const open = boundary === undefined ? undefined : openAtEnd(tree, text, start.offset, source, stop);
    const kept = open === undefined ? tree.children : tree.children.slice(0, open.index);
    for (const child of kept) children.push(shift(child, start));
    if (boundary === undefined) {
      const end = tree.position?.end ?? {line: 1, column: 1, offset: 0};
      const position = {start: {line: 1, column: 1, offset: 0}, end: {line: end.line + start.line - 1, column: end.column, offset: (end.offset ?? 0) + start.offset}};
      return {tree: {type: 'root', children, position}, parses};
    }
    if (open === undefined) {
      start = boundary;
      next += 1;
      continue;
    }
    const resumeOffset = start.offset + open.lineOffset;
    start = {offset: resumeOffset, line: start.line + open.line - 1};
    while (next < headings.length && (headings[next]?.offset ?? 0) < open.realEnd) next += 1;
  }
}

interface OpenBlock {
  // index among the section's children of the block left open (its length
  // for the frontmatter, which is not a node when left open)
  readonly index: number;
  // where the block's first line starts, in the section text, and its line
  readonly lineOffset: number;
  readonly line: number;
  // an offset in the whole source the block certainly runs to
  readonly realEnd: number;
}

// The top-level block a section ends inside of, if the section's end
// (`stop`, a heading line) falls inside it in the whole source.
function openAtEnd(tree: Root, text: string, textStart: number, source: string, stop: number): OpenBlock | undefined {
  const first = textStart === 0;
  // An unclosed frontmatter fence changes how micromark reads what follows
  // (a list after a heading becomes a paragraph), so such a text is parsed whole.
  if (first && frontmatterFence.test(firstLine(text)) && tree.children[0]?.type !== 'yaml') {
    return {index: 0, lineOffset: 0, line: 1, realEnd: source.length};
  }
  const last = tree.children.at(-1);
  if (last?.position?.start.offset === undefined) return undefined;
  const realEnd = last.type === 'code' ? openFenceEnd(last, text, source, stop)
    : last.type === 'html' ? openHtmlEnd(last, textStart, source, stop)
    : undefined;
  // Any other block still open at the end (a fence or comment left open in
  // a list item) ends differently at the end of a text than before a heading
  // (micromark keeps the line ending), so it is parsed together with the next section.
  const runsToEnd = last.position.end.offset === text.length && /[\r\n]$/.test(text);
  if (realEnd === undefined && !runsToEnd) return undefined;
  const nodeStart = last.position.start.offset;
  const lineOffset = lineStartBefore(text, nodeStart);
  return {index: tree.children.length - 1, lineOffset, line: last.position.start.line, realEnd: realEnd ?? stop + 1};
}

function openFenceEnd(node: Code, text: string, source: string, stop: number): number | undefined {
  const value = text.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
  const opening = /^(`{3,}|~{3,})/.exec(value)?.[1];
  if (opening === undefined) return undefined;
  const closes = (line: string): boolean => {
    const fence = closingFence.exec(line)?.[1];
    return fence !== undefined && fence[0] === opening[0] && fence.length >= opening.length;
  };
  const lines = value.split(/\r\n|\r|\n/);
  if (lines.length > 1 && closes(lines.at(-1) ?? '')) return undefined;
  return findLine(source, stop, closes) ?? source.length;
}

function openHtmlEnd(node: Html, textStart: number, source: string, stop: number): number | undefined {
  const kind = htmlKinds.find(([start]) => start.test(node.value));
  if (kind !== undefined) {
    const lastLine = node.value.split(/\r\n|\r|\n/).at(-1) ?? '';
    const closedOnFirstLine = !/[\r\n]/.test(node.value) && kind[1].test(node.value.slice(node.value.startsWith('<!--') ? 4 : 1));
    if (closedOnFirstLine || (/[\r\n]/.test(node.value) && kind[1].test(lastLine))) return undefined;
    return findLine(source, stop, (line) => kind[1].test(line)) ?? source.length;
  }
  const after = source.slice(textStart + (node.position?.end.offset ?? 0), stop);
  const rest = after.split(/\r\n|\r|\n/);
  if (rest.length >= 3 && blankLine.test(rest[1] ?? '')) return undefined;
  return findLine(source, stop, (line) => blankLine.test(line)) ?? source.length;
}

function firstLine(text: string): string {
  return text.split(/\r\n|\r|\n/, 1)[0] ?? '';
}

// The end offset of the first line at or after `from` (a line start) that
// satisfies `test`.
function findLine(source: string, from: number, test: (line: string) => boolean): number | undefined {
  let offset = from;
  while (offset <= source.length) {
    lineBreak.lastIndex = offset;
    const found = lineBreak.exec(source);
    const end = found ? found.index : source.length;
    if (test(source.slice(offset, end))) return found ? found.index + found[0].length : source.length;
    if (!found) return undefined;
    offset = found.index + found[0].length;
  }
  return undefined;
}

function lineStarts(source: string): LineStart[] {
  const starts: LineStart[] = [{offset: 0, line: 1}];
  lineBreak.lastIndex = 0;
  let line = 1;
  for (let found = lineBreak.exec(source); found !== null; found = lineBreak.exec(source)) {
    line += 1;
    starts.push({offset: found.index + found[0].length, line});
  }
  return starts;
}

function lineStartBefore(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start -= 1;
  return start;
}

function shift<T extends RootContent>(node: T, start: LineStart): T {
  if (start.offset === 0) return node;
  const position = node.position;
  if (position) {
    node.position = {
      start: {line: position.start.line + start.line - 1, column: position.start.column, offset: (position.start.offset ?? 0) + start.offset},
      end: {line: position.end.line + start.line - 1, column: position.end.column, offset: (position.end.offset ?? 0) + start.offset},
    };
  }
  if ('children' in node) for (const child of node.children) shift(child, start);
  return node;
}
