import type {RootContent} from 'mdast';
import {DiagnosticSink, type Diagnostic} from './diagnostics.js';
import {frontmatterPlacementProblem} from './document-rules.js';
import {emptyFrontmatter, parseFrontmatter} from './frontmatter.js';
import {parseWithinLimits} from './guard.js';
import {hasRunmeFrontmatter} from './runme-frontmatter.js';
import type {SourceLimits} from './limits.js';
import {markdownBlocks, type MarkdownOptions} from './markdown.js';
import type {Runbook, Step} from './model.js';
import {assignIds} from './parse/ids.js';
import {checkNames} from './parse/rules.js';
import {readSections} from './parse/sections.js';
import {SourceText} from './parse/source-text.js';
import {ParseState, type FrontmatterRead} from './parse/state.js';

export interface ParseResult {
  readonly runbook: Runbook;
  readonly diagnostics: Diagnostic[];
}

// Markdown text → runbook model plus diagnostics. Never throws for any input:
// a text too large or too deeply nested to read gives one diagnostic. A UTF-8
// byte order mark is not part of the text: lines and columns count from the
// character after it, as an editor shows them.
export function parseRunbook(text: string, path: string, options: MarkdownOptions & SourceLimits = {}): ParseResult {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return parseWithinLimits(source, path, options, parseSource);
}

// The stages, in order: Markdown blocks → frontmatter → sections (steps,
// their prose and nodes) → derived ids → the rules that need the whole
// document. Each stage is a module of parse/.
function parseSource(text: string, path: string, options: MarkdownOptions = {}): ParseResult {
  const sink = new DiagnosticSink(path);
  const source = new SourceText(text);
  const {autolinkLiterals, blocks} = markdownBlocks(text, options);
  // frontmatter can only be the first block; the rest are read as they are parsed
  const iterator = blocks[Symbol.iterator]();
  const first = iterator.next();
  const state = new ParseState(source, sink, readFrontmatter(first.done === true ? undefined : first.value, source, sink));
  const placement = frontmatterPlacementProblem(text, state.read.present);
  if (placement !== undefined) sink.error(placement.message, placement.ruleId, {line: placement.line, column: 1});

  const sections = readSections(state, prepended(first, iterator), autolinkLiterals, path);
  assignIds(sections.steps, sections.introduction, state.explicitIds);
  const runbook: Runbook = {
    path,
    title: state.read.frontmatter.title ?? sections.title,
    frontmatter: state.read.frontmatter,
    introduction: sections.introduction,
    steps: sections.steps as Step[],
    ...(state.runmeDocument || state.read.runme ? {runme: true as const} : {}),
  };
  if (runbook.steps.length === 0) {
    sink.warning('Unexpected runbook without steps, expected at least one `##` heading', 'no-steps', {line: 1, column: 1});
  }
  checkNames(state, runbook);
  return {runbook, diagnostics: sink.sorted()};
}

// The YAML block between `---` lines at the top, if there is one.
function readFrontmatter(block: RootContent | undefined, source: SourceText, sink: DiagnosticSink): FrontmatterRead {
  if (block?.type !== 'yaml') return {frontmatter: emptyFrontmatter, declaredNames: new Set(), namesComplete: true, present: false, runme: false};
  const valueStart = source.offsetOf((block.position?.start.line ?? 1) + 1);
  return {...parseFrontmatter(block.value, (offset) => source.pointAt(valueStart + offset), sink), present: true, runme: hasRunmeFrontmatter(block.value)};
}

function* prepended(first: IteratorResult<RootContent>, rest: Iterator<RootContent>): Generator<RootContent> {
  if (first.done === true) return;
  yield first.value;
  for (let next = rest.next(); next.done !== true; next = rest.next()) yield next.value;
}
