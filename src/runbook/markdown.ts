import type {Code, Heading, Html, Root, RootContent} from 'mdast';
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote';
import {gfmStrikethroughFromMarkdown} from 'mdast-util-gfm-strikethrough';
import {gfmTableFromMarkdown} from 'mdast-util-gfm-table';
import {gfmTaskListItemFromMarkdown} from 'mdast-util-gfm-task-list-item';
import {toString} from 'mdast-util-to-string';
import {gfmFootnote} from 'micromark-extension-gfm-footnote';
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough';
import {gfmTable} from 'micromark-extension-gfm-table';
import {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import {unified, type Processor} from 'unified';

// GFM as remark-gfm has it, less autolink literals (bare `www.…`, `https://…`
// and e-mail addresses made links). The model keeps no inline nodes: prose
// is kept as its Markdown source (the player renders it with all of GFM)
// and a heading is kept as its text, which an autolink literal leaves as it
// is except where it changes how emphasis around it pairs (see
// `headingText`). Yet finding them costs about a fifth of a parse.
function gfmWithoutAutolinkLiterals(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmFootnote(), gfmStrikethrough(), gfmTable(), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown());
}

const withoutAutolinkLiterals = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(gfmWithoutAutolinkLiterals);
const withAllOfGfm = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

export interface MarkdownOptions {
  // parse with autolink literals too (slower; the model is the same)
  readonly autolinkLiterals?: boolean;
}

export interface SectionOptions extends MarkdownOptions {
  // sections shorter than this many characters are parsed together: each
  // parse has a fixed cost, and a few kilobytes keep the quadratic part small
  readonly minimumSection?: number;
}

export interface ParsedMarkdown {
  readonly tree: Root;
  // how many separate parses it took
  readonly parses: number;
  readonly autolinkLiterals: boolean;
}

// A link or footnote definition anywhere changes how references parse in
// every section, so such documents are parsed whole. Definitions also
// count inside block quotes and list items, and a label may span lines;
// anything that may be one at the start of a line counts.
const definition = /^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*\[(?:[^\]\\]|\\[\s\S]){1,999}\]:/m;

// One remark parse of the whole text: the tree `parseMarkdown` must equal.
// A document with definitions is parsed with all of GFM, so `headingText`
// never needs to parse a heading apart from the definitions it may use.
export function parseMarkdownWhole(source: string, options: MarkdownOptions = {}): ParsedMarkdown {
  return parseWhole(source, options.autolinkLiterals === true || definition.test(source));
}

function parseWhole(source: string, autolinkLiterals: boolean): ParsedMarkdown {
  return {tree: (autolinkLiterals ? withAllOfGfm : withoutAutolinkLiterals).parse(source), parses: 1, autolinkLiterals};
}

// What might be an autolink literal, or touch one.
const autolinkLiteralStart = /www\.|:\/\/|@/i;

// The text of a top-level heading of `source`, the same as with all of GFM:
// when it was parsed without autolink literals, a heading that may hold one
// is parsed again, alone, with all of GFM (its document has no definitions).
export function headingText(heading: Heading, source: string, autolinkLiterals: boolean): string {
  const start = heading.position?.start.offset ?? 0;
  const text = source.slice(start, heading.position?.end.offset ?? start);
  let node: Heading = heading;
  if (!autolinkLiterals && autolinkLiteralStart.test(text)) {
    const alone = withAllOfGfm.parse(text).children[0];
    if (alone?.type === 'heading') node = alone;
  }
  return toString(node, {includeHtml: false}).trim();
}

interface LineStart {
  readonly offset: number;
  // 1-based
  readonly line: number;
}

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
export function parseMarkdown(source: string, options: SectionOptions = {}): ParsedMarkdown {
  const {autolinkLiterals, blocks, progress} = markdownBlocks(source, options);
  const children = [...blocks];
  const {end} = progress;
  return {tree: {type: 'root', children, position: {start: {line: 1, column: 1, offset: 0}, end}}, parses: progress.parses, autolinkLiterals};
}

export interface MarkdownBlocks {
  readonly autolinkLiterals: boolean;
  // the top-level blocks of `parseMarkdown`'s tree, each section parsed when
  // its first block is asked for, so a section's tree can go once it is used
  readonly blocks: Iterable<RootContent>;
  // how many parses it has taken, and where the text ends (once all is read)
  readonly progress: {parses: number; end: {line: number; column: number; offset: number}};
}

export function markdownBlocks(source: string, options: SectionOptions = {}): MarkdownBlocks {
  const {minimumSection = 4096, autolinkLiterals = false} = options;
  const progress = {parses: 0, end: {line: 1, column: 1, offset: 0}};
  const hasDefinition = definition.test(source);
  const headings = hasDefinition ? [] : headingLines(source);
  if (headings.length === 0) {
    const whole = parseWhole(source, autolinkLiterals || hasDefinition);
    const end = whole.tree.position?.end;
    return {
      autolinkLiterals: whole.autolinkLiterals,
      blocks: whole.tree.children,
      progress: {parses: 1, end: {line: end?.line ?? 1, column: end?.column ?? 1, offset: end?.offset ?? 0}},
    };
  }
  const processor = autolinkLiterals ? withAllOfGfm : withoutAutolinkLiterals;
  return {autolinkLiterals, blocks: sectionBlocks(source, processor, headings, minimumSection, progress), progress};
}

function* sectionBlocks(
  source: string, processor: typeof withAllOfGfm, headings: readonly LineStart[], minimumSection: number, progress: MarkdownBlocks['progress'],
): Generator<RootContent, void> {
  let start: LineStart = {offset: 0, line: 1};
  let next = 0;
  for (;;) {
    while (next < headings.length && (headings[next]?.offset ?? 0) < start.offset + minimumSection) next += 1;
    const boundary = headings[next];
    const stop = boundary?.offset ?? source.length;
    const text = source.slice(start.offset, stop);
    const tree = processor.parse(text);
    progress.parses += 1;
    const open = boundary === undefined ? undefined : openAtEnd(tree, text, start.offset, source, stop);
    const kept = open === undefined ? tree.children : tree.children.slice(0, open.index);
    for (const child of kept) yield shift(child, start);
    if (boundary === undefined) {
      const end = tree.position?.end ?? {line: 1, column: 1, offset: 0};
      progress.end = {line: end.line + start.line - 1, column: end.column, offset: (end.offset ?? 0) + start.offset};
      return;
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

// The starts of the lines after the first that open with an ATX heading.
const atxHeadingLine = /(?:\r\n|\r|\n)(?=#{1,6}(?:[ \t\r\n]|$))/g;
function headingLines(source: string): LineStart[] {
  const found: LineStart[] = [];
  let line = 1;
  let counted = 0;
  for (const match of source.matchAll(atxHeadingLine)) {
    const offset = match.index + match[0].length;
    line += countLineBreaks(source, counted, offset);
    counted = offset;
    found.push({offset, line});
  }
  return found;
}

function countLineBreaks(source: string, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index += 1) {
    const code = source.charCodeAt(index);
    if (code === 10 || (code === 13 && source.charCodeAt(index + 1) !== 10)) count += 1;
  }
  return count;
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
