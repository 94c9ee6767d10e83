import type {Code, Heading, Html, List, ListItem, Paragraph, PhrasingContent, RootContent} from 'mdast';
import {toString} from 'mdast-util-to-string';
import {slug} from 'github-slugger';
import {location} from 'vfile-location';
import {typeAttributes, type AttributeHost, type TypedAttributes} from './attributes/schema.js';
import {tokenizeAttributes, valueOffset} from './attributes/tokenize.js';
import {tokenizeRunmeAttributes} from './attributes/runme-tokenize.js';
import {ConditionChecker, reservedNamesUsed} from './condition.js';
import {conditionTypes} from './condition-types.js';
import {DiagnosticSink, type Diagnostic} from './diagnostics.js';
import {emptyFrontmatter, parseFrontmatter} from './frontmatter.js';
import {parseHttpRequest} from './http-request.js';
import {languageTypo, unclosedFence} from './block-rules.js';
import {backtickInFenceInfo, commentNeverClosed, frontmatterPlacementProblem} from './document-rules.js';
import {executorForLanguage} from './languages.js';
import {headingText, markdownBlocks, type MarkdownOptions} from './markdown.js';
import {implicitStepTitle, withStepHeadingsKnown, type StepHeadings} from './implicit-step.js';
import {hasRunmeFrontmatter} from './runme-frontmatter.js';
import type {
  ChecklistItem, ChecklistNode, ContentBlock, DisplayNode, ExecNode, Frontmatter, NodeAttributes, Point, Position,
  ProseBlock, Runbook, Step, StepAttributes,
} from './model.js';
import {parseWithinLimits} from './guard.js';
import type {SourceLimits} from './limits.js';
import {templateEncodingWarnings} from './template-warnings.js';
import {dollarVariablePattern, findTemplateReferences, unclosedTemplateOffsets} from './templates.js';
import {allNodes, allSteps} from './walk.js';

export interface ParseResult {
  readonly runbook: Runbook;
  readonly diagnostics: Diagnostic[];
}

type Mutable<T> = {-readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K]};
type DraftStep = Mutable<Omit<Step, 'steps' | 'content'>> & {steps: DraftStep[]; content: ContentBlock[]};

// Pending checks that need the whole document (ids, names) before they run.
interface ConditionUse {
  readonly expression: string;
  readonly at: (offset: number) => Pick<Point, 'line' | 'column'>;
}
interface TemplateUse {
  readonly root: string;
  readonly expression: string;
  readonly place: Pick<Point, 'line' | 'column'>;
}
// `$NAME` in a confirm prompt, with how many captures come before it.
interface PromptUse {
  readonly name: string;
  readonly written: string;
  readonly place: Pick<Point, 'line' | 'column'>;
  readonly capturesBefore: number;
}

const stepNumberPattern = /^(\d+(?:\.\d+)*[.):]|\d+(?:\.\d+)+)\s+(\S.*)$/;
const stepCommentPattern = /^\s*<!--\s*runbook:([\s\S]*?)-->\s*$/;
const runbookCommentStart = /<!--\s*runbook:/;
const taskCheckbox = /\[[ xX]\]/;
const leadingCheckbox = /^\[[ xX]\][ \t]*/;
const misplacedCommentMessage = 'Unexpected `<!-- runbook: … -->` comment, expected it directly under a step heading or right before a task list; it is ignored';

// Markdown text → runbook model plus diagnostics. Never throws for any input:
// a text too large or too deeply nested to read gives one diagnostic. A UTF-8
// byte order mark is not part of the text: lines and columns count from the
// character after it, as an editor shows them.
export function parseRunbook(text: string, path: string, options: MarkdownOptions & SourceLimits = {}): ParseResult {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return parseWithinLimits(source, path, options, parseSource);
}

function parseSource(source: string, path: string, options: MarkdownOptions = {}): ParseResult {
  const sink = new DiagnosticSink(path);
  const {autolinkLiterals, blocks} = markdownBlocks(source, options);
  const place = location(source);
  const pointAt = (offset: number): Point => {
    const point = place.toPoint(offset);
    return {line: point?.line ?? 1, column: point?.column ?? 1, offset};
  };
  // The offset of the line ending (`\n`, `\r\n` or a lone `\r`) after `offset`.
  const lineEndAt = (offset: number): number => {
    let end = offset;
    while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end += 1;
    return end;
  };
  const positionOf = (node: {position?: {start: {offset?: number | undefined}; end: {offset?: number | undefined}} | undefined}): Position => ({
    start: pointAt(node.position?.start.offset ?? 0),
    end: pointAt(node.position?.end.offset ?? 0),
  });
  const sliceOf = (node: {position?: {start: {offset?: number | undefined}; end: {offset?: number | undefined}} | undefined}): string =>
    source.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);

  let frontmatter: Frontmatter = emptyFrontmatter;
  let declaredNames: ReadonlySet<string> = new Set();
  let namesComplete = true;
  let title: string | null = null;
  const introduction: ContentBlock[] = [];
  const topSteps: DraftStep[] = [];
  const stack: DraftStep[] = [];
  const explicitIds = new Map<string, Position>();
  const conditionUses: ConditionUse[] = [];
  const templateUses: TemplateUse[] = [];
  const shellTemplateUses: TemplateUse[] = [];
  const promptUses: PromptUse[] = [];
  const captureNames = new Set<string>();
  // Runme-annotated: `runme:` frontmatter, JSON fence attributes or Runme's keys
  let runmeDocument = false;
  // A document without step headings is one implicit step (implicit-step.ts):
  // its blocks go there rather than to the introduction.
  const stepHeadings: StepHeadings = {found: false};
  const implicitStep: DraftStep = {id: '', explicitId: false, number: null, title: '', depth: 2, attributes: {}, content: [], steps: [], position: {start: pointAt(0), end: pointAt(0)}, implicit: true};
  const implicit = (): DraftStep | undefined => (stepHeadings.found ? undefined : implicitStep);

  const registerExplicitId = (id: string, position: Position): void => {
    const earlier = explicitIds.get(id);
    if (earlier === undefined) {
      explicitIds.set(id, position);
      return;
    }
    sink.error(`Unexpected duplicate id \`${id}\`, expected ids to be unique (first used at ${earlier.start.line}:${earlier.start.column})`, 'duplicate-id', position.start);
  };

  const currentContent = (): ContentBlock[] => stack.at(-1)?.content ?? implicit()?.content ?? introduction;

  const attributeProblems = (typed: TypedAttributes, at: (offset: number) => Pick<Point, 'line' | 'column'>): void => {
    for (const problem of typed.problems) {
      const start = at(problem.start);
      const end = at(problem.end);
      sink[problem.severity](problem.message, problem.ruleId, {start, end});
    }
    const expression = typed.attributes.if;
    const token = typed.tokens['if'];
    if (expression !== undefined && token?.kind === 'pair') {
      conditionUses.push({expression, at: (offset) => at(valueOffset(token, offset))});
    }
    const prompt = typed.attributes.confirm;
    const promptToken = typed.tokens['confirm'];
    if (typeof prompt === 'string' && promptToken?.kind === 'pair') {
      for (const match of prompt.matchAll(dollarVariablePattern)) {
        const name = match[1] ?? match[2] ?? '';
        promptUses.push({name, written: match[0], place: at(valueOffset(promptToken, match.index)), capturesBefore: captureNames.size});
      }
    }
  };

  const warnMisplacedComment = (html: Html): void => {
    if (commentNeverClosed(html, source)) {
      sink.error('Unexpected `<!--` comment that is never closed, expected `-->` at its end: as it is, everything after it to the end of the file, later steps included, is this comment',
        'unclosed-comment', pointAt(html.position?.start.offset ?? 0));
      return;
    }
    const match = runbookCommentStart.exec(html.value);
    if (match) sink.warning(misplacedCommentMessage, 'misplaced-step-attributes', pointAt((html.position?.start.offset ?? 0) + match.index));
  };

  const warnInlineComments = (node: Heading | PhrasingContent): void => {
    if (node.type === 'html') warnMisplacedComment(node);
    if ('children' in node) for (const child of node.children) warnInlineComments(child);
  };

  const handleHeading = (heading: Heading): void => {
    warnInlineComments(heading);
    const text = headingText(heading, source, autolinkLiterals);
    if (heading.depth === 1 && title === null && stack.length === 0 && topSteps.length === 0) {
      title = text;
      return;
    }
    if (text === '') {
      sink.warning('Unexpected heading without a title, expected a step title such as `## Check the API`', 'empty-heading', pointAt(heading.position?.start.offset ?? 0));
    }
    const match = stepNumberPattern.exec(text);
    const step: DraftStep = {
      id: '',
      explicitId: false,
      number: match?.[1] ?? null,
      title: match?.[2] ?? text,
      depth: Math.max(heading.depth, 2),
      attributes: {},
      content: [],
      steps: [],
      position: positionOf(heading),
    };
    while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= step.depth) stack.pop();
    const parent = stack.at(-1);
    (parent === undefined ? topSteps : parent.steps).push(step);
    stack.push(step);
  };

  // The attributes of a `<!-- runbook: … -->` comment, typed for `host`;
  // undefined when `html` is not such a comment.
  const commentAttributes = (html: Html, host: 'step' | 'checklist', label: string): {typed: TypedAttributes; at: (offset: number) => Point} | undefined => {
    const match = stepCommentPattern.exec(html.value);
    if (!match) return undefined;
    const start = html.position?.start.offset ?? 0;
    const bodyOffset = html.value.indexOf('runbook:') + 'runbook:'.length;
    const body = match[1] ?? '';
    const {tokens, errors} = tokenizeAttributes(body);
    const at = (offset: number): Point => pointAt(start + bodyOffset + offset);
    for (const error of errors) sink.error(error.message, 'attribute-syntax', {start: at(error.start), end: at(error.end)});
    const typed = typeAttributes(tokens, host, label);
    attributeProblems(typed, at);
    if (typed.id !== undefined) registerExplicitId(typed.id.value, {start: at(typed.id.start), end: at(typed.id.end)});
    return {typed, at};
  };

  const handleStepComment = (html: Html, step: DraftStep): boolean => {
    const read = commentAttributes(html, 'step', 'a step');
    if (read === undefined) return false;
    step.attributes = read.typed.attributes as StepAttributes;
    if (read.typed.id !== undefined) {
      step.id = read.typed.id.value;
      step.explicitId = true;
    }
    return true;
  };

  // A comment right before a task list names the checklist it makes.
  const handleChecklistComment = (html: Html, checklist: ChecklistNode): void => {
    const read = commentAttributes(html, 'checklist', 'a checklist');
    if (read === undefined) return;
    const draft = checklist as Mutable<ChecklistNode>;
    draft.attributes = read.typed.attributes;
    if (read.typed.id !== undefined) {
      draft.id = read.typed.id.value;
      draft.explicitId = true;
    }
  };

  const codeNode = (code: Code, inIntroduction: boolean): ExecNode | DisplayNode => {
    const position = positionOf(code);
    const fenceOffset = code.position?.start.offset ?? 0;
    const fenceLine = source.slice(fenceOffset, lineEndAt(fenceOffset));
    const rawLang = code.lang ?? null;
    const braceInLang = rawLang?.indexOf('{') ?? -1;
    const lang = rawLang === null ? null : braceInLang >= 0 ? rawLang.slice(0, braceInLang) || null : rawLang;
    const info = fenceLine.replace(/^\s*(`{3,}|~{3,})\s*/, '');
    const infoStart = fenceLine.length - info.length;
    const executor = lang === null ? undefined : executorForLanguage(lang);
    const braceStart = fenceLine.indexOf('{');
    let typed: TypedAttributes = {attributes: {}, tokens: {}, problems: []};
    const at = (offset: number): Point => pointAt(fenceOffset + offset);
    const typo = executor === undefined && lang !== null ? languageTypo(lang) : undefined;
    if (typo !== undefined) {
      sink.warning(`Unexpected fence language \`${lang}\`, did you mean \`${typo}\`? As written the block is display-only and never runs`,
        'language-typo', {start: at(infoStart), end: at(infoStart + (lang ?? '').length)});
    }
    const openFence = unclosedFence(code, source);
    if (openFence !== undefined && !fenceLookalikeSeen) {
      sink.error(`Unexpected code fence ${openFence} that is never closed, expected a closing ${openFence} line: as it is, everything after it to the end of the file, later steps included, is this one block`,
        'unclosed-fence', position.start);
    }
    if (braceStart >= 0 && (executor !== undefined || fenceLine.slice(braceStart).trimEnd().endsWith('}'))) {
      const braceEnd = fenceLine.lastIndexOf('}');
      const closed = braceEnd > braceStart;
      if (!closed) {
        sink.error('Unexpected end of info string, expected `}` to close the attributes', 'attribute-syntax', at(fenceLine.length));
      }
      if (executor !== undefined) {
        const langEnd = infoStart + (lang ?? '').length;
        const before = fenceLine.slice(langEnd, braceStart);
        if (before.trim() !== '') {
          const start = langEnd + before.length - before.trimStart().length;
          sink.error(`Unexpected \`${before.trim()}\` before the attributes, expected \`{\` right after the language`, 'attribute-syntax',
            {start: at(start), end: at(langEnd + before.trimEnd().length)});
        }
        const after = closed ? fenceLine.slice(braceEnd + 1) : '';
        if (after.trim() !== '') {
          const start = braceEnd + 1 + after.length - after.trimStart().length;
          sink.error(`Unexpected \`${after.trim()}\` after the attributes, expected the end of the line`, 'attribute-syntax',
            {start: at(start), end: at(braceEnd + 1 + after.trimEnd().length)});
        }
      }
      // Runme's JSON attributes (`{"name":"x"}`) first: runme-tokenize.ts
      const attributesEnd = closed ? braceEnd : fenceLine.length;
      const runmeTokens = tokenizeRunmeAttributes(fenceLine, braceStart + 1, attributesEnd);
      const {tokens, errors} = runmeTokens ?? tokenizeAttributes(fenceLine, braceStart + 1, attributesEnd);
      for (const error of errors) sink.error(error.message, 'attribute-syntax', {start: at(error.start), end: at(error.end)});
      const host: AttributeHost = executor ?? 'display';
      typed = typeAttributes(tokens, host, `a \`${lang ?? 'plain'}\` block`);
      if (runmeTokens !== undefined || typed.runme === true) runmeDocument = true;
      // Runme lets cells share a name; here ids are unique, so a repeated
      // one is said and the block gets a derived id
      const runmeId = typed.id?.runmeKey === undefined ? undefined : typed.id;
      const earlier = runmeId === undefined ? undefined : explicitIds.get(runmeId.value);
      if (runmeId !== undefined && earlier !== undefined) {
        sink.warning(`Unexpected Runme ${runmeId.runmeKey ?? 'name'} \`${runmeId.value}\` used before (at ${earlier.start.line}:${earlier.start.column}), expected names to be unique; this block gets a derived id`,
          'duplicate-id', {start: at(runmeId.start), end: at(runmeId.end)});
        const {id: _repeated, ...rest} = typed;
        typed = rest;
      }
      attributeProblems(typed, at);
    } else if (executor !== undefined && code.meta) {
      const metaStart = fenceLine.indexOf(code.meta, infoStart);
      sink.warning(`Unexpected \`${code.meta}\` after the language, expected attributes in braces such as \`{#id timeout=10s}\`; it is ignored`,
        'attribute-syntax', at(metaStart >= 0 ? metaStart : infoStart));
    }
    const attributes: NodeAttributes = typed.attributes;
    const explicitId = typed.id !== undefined;
    const base = {
      lang,
      id: typed.id?.value ?? '',
      explicitId,
      attributes,
      info,
      code: code.value,
      position,
    };
    if (typed.id !== undefined) registerExplicitId(typed.id.value, {start: at(typed.id.start), end: at(typed.id.end)});
    if (attributes.capture !== undefined) captureNames.add(attributes.capture);
    const captureToken = typed.tokens['capture'];
    if (attributes.capture !== undefined && declaredNames.has(attributes.capture) && captureToken?.kind === 'pair') {
      const where = attributes.capture in frontmatter.inputs ? 'an input' : 'in `env`';
      sink.warning(`Unexpected \`capture=${attributes.capture}\`: \`${attributes.capture}\` is already ${where}, and the capture replaces its value once the block has run (a value given with --set too); expected a name of its own`,
        'capture-shadows-variable', {start: at(captureToken.valueStart), end: at(captureToken.end)});
    }

    // `run=false` on a step makes every block under it display-only.
    const runs = executor !== undefined && attributes.run !== false && !stack.some((step) => step.attributes.run === false);
    if (runs && inIntroduction) {
      sink.warning('Unexpected executable block before the first step, expected it under a `##` heading; it is shown but never run',
        'block-outside-step', position.start);
    }
    if (runs && executor !== 'http' && openFence === undefined && code.value.trim() === '') {
      sink.warning(`Unexpected empty \`${lang ?? ''}\` block, expected a command to run (or \`run=false\` to only show it)`, 'empty-block', position.start);
    }
    if (!runs || inIntroduction) {
      const node: DisplayNode = {kind: 'display', ...base};
      return node;
    }
    // `lang` is non-null here: executorForLanguage(null) is never called.
    const execLang = lang ?? '';
    let request: ExecNode['request'];
    if (executor === 'http') {
      // Lines as the source counts them (a lone CR ends a line too).
      const lines = code.value.split(/\r\n|\r|\n/);
      const bodyAt = bodyPlace(lines, position.start);
      const parsed = parseHttpRequest(code.value);
      for (const problem of parsed.problems) {
        sink.error(problem.message, 'http-request', {start: bodyAt(problem.line, problem.column), end: bodyAt(problem.line, problem.endColumn)});
      }
      request = parsed.request;
      if (parsed.request !== undefined && parsed.layout !== undefined) {
        for (const warning of templateEncodingWarnings(parsed.request, parsed.layout)) {
          sink.warning(warning.message, 'template-encoding', bodyAt(warning.line, warning.index + 1));
        }
      }
      lines.forEach((line, index) => {
        for (const reference of findTemplateReferences(line)) {
          templateUses.push({root: reference.root, expression: reference.expression, place: bodyAt(index, reference.offset + 1)});
        }
        for (const offset of unclosedTemplateOffsets(line)) {
          sink.error('Unexpected `{{` without a closing `}}`, expected a reference such as `{{API_ORIGIN}}`: as written it is sent as it is', 'http-request', bodyAt(index, offset + 1));
        }
      });
    } else if (executor === 'shell' && code.value.includes('{{')) {
      const lines = code.value.split(/\r\n|\r|\n/);
      const bodyAt = bodyPlace(lines, position.start);
      lines.forEach((line, index) => {
        for (const reference of findTemplateReferences(line)) {
          shellTemplateUses.push({root: reference.root, expression: reference.expression, place: bodyAt(index, line.lastIndexOf('{{', reference.offset) + 1)});
        }
      });
    }
    const node: ExecNode = {kind: 'exec', executor: executor ?? 'shell', ...base, lang: execLang, ...(request === undefined ? {} : {request})};
    return node;
  };

  // Maps (0-based line, 1-based column) in a fenced block's value to the
  // source. The value lacks the container prefix (`> `, list indentation),
  // which differs per line, so each line is found as the suffix of its source
  // line; when indentation tabs were expanded, the text after the indentation
  // is; when micromark replaced a NUL (same length), the length tells.
  const bodyPlace = (lines: readonly string[], fence: Point) => (line: number, column: number): Point => {
    if (lines.length === 1 && lines[0] === '') return fence;
    const sourceLine = fence.line + 1 + line;
    const lineStart = place.toOffset({line: sourceLine, column: 1}) ?? 0;
    const text = source.slice(lineStart, lineEndAt(lineStart));
    const content = lines[line] ?? '';
    const body = content.trimStart();
    const indent = content.length - body.length;
    let mapped: number;
    if (content !== '' && text.endsWith(content)) mapped = text.length - content.length + column;
    else if (text.endsWith(body)) mapped = text.length - body.length + Math.max(column - indent, 1);
    else if (content.length <= text.length) mapped = text.length - content.length + column;
    else mapped = fence.column - 1 + column;
    const exact = Math.min(Math.max(mapped, 1), text.length + 1);
    return {line: sourceLine, column: exact, offset: lineStart + exact - 1};
  };

  const checklistNode = (items: ChecklistItem[], position: Position): ChecklistNode => {
    const node: ChecklistNode = {kind: 'checklist', lang: null, id: '', explicitId: false, attributes: {}, items, position};
    return node;
  };

  // Code blocks and task items nested in lists, quotes and other containers,
  // in document order; task items gather into one checklist until a block
  // interrupts them.
  const extractNested = (block: RootContent, out: ContentBlock[], inIntroduction: boolean): void => {
    let items: ChecklistItem[] = [];
    let firstItem: ListItem | undefined;
    let lastItem: ListItem | undefined;
    const flush = (): void => {
      if (items.length === 0 || firstItem === undefined || lastItem === undefined) return;
      out.push(checklistNode(items, {start: positionOf(firstItem).start, end: positionOf(lastItem).end}));
      items = [];
    };
    const visit = (node: RootContent): void => {
      if (node.type === 'html') warnMisplacedComment(node);
      if (node.type === 'code') {
        flush();
        out.push(codeNode(node, inIntroduction));
        return;
      }
      if (node.type === 'listItem' && typeof node.checked === 'boolean') {
        const paragraph = node.children[0];
        const text = paragraph?.type === 'paragraph' ? taskText(node, paragraph).replace(/\s*[\r\n]\s*/g, ' ').trim() : toString(node);
        if (items.length === 0) firstItem = node;
        lastItem = node;
        items.push({text, checked: node.checked, position: positionOf(node)});
      }
      if ('children' in node) for (const child of node.children) visit(child as RootContent);
    };
    visit(block);
    flush();
  };

  // A task item's paragraph without its checkbox: remark's paragraph starts
  // after the checkbox, except when a link follows it (then at the checkbox).
  const taskText = (item: ListItem, paragraph: Paragraph): string => {
    const text = sliceOf(paragraph);
    const before = source.slice(item.position?.start.offset ?? 0, paragraph.position?.start.offset ?? 0);
    return taskCheckbox.test(before) ? text : text.replace(leadingCheckbox, '');
  };

  const isPureChecklist = (list: List): boolean =>
    list.children.every((item) => typeof item.checked === 'boolean' && item.children.every((child) => child.type === 'paragraph' || (child.type === 'list' && isPureChecklist(child))));

  let previous: RootContent | undefined;
  let frontmatterRead = false;
  // a paragraph that would be a ``` fence but for a backtick in its info
  // string: the unclosed fence after it is the same mistake
  let fenceLookalikeSeen = false;
  // a `<!-- runbook: … -->` comment not under a heading: it names the
  // checklist of a task list right after it, and is misplaced otherwise
  let pendingComment: Html | undefined;
  for (const block of withStepHeadingsKnown(blocks, stepHeadings)) {
    const inIntroduction = stack.length === 0 && implicit() === undefined;
    const step = stack.at(-1);
    const comment = pendingComment;
    pendingComment = undefined;
    let commentUsed = false;
    if (block.type === 'paragraph') {
      const column = backtickInFenceInfo(sliceOf(block));
      if (column !== undefined) {
        fenceLookalikeSeen = true;
        const start = positionOf(block).start;
        sink.error('Unexpected `` ` `` in the info string of a ``` code fence, expected none: CommonMark does not read such a line as a fence, so the block is text and its closing ``` opens another; remove the backtick, or fence the block with ~~~',
          'invalid-fence', {line: start.line, column: start.column + column - 1});
      }
    }
    if (block.type === 'yaml') {
      frontmatterRead = true;
      if (hasRunmeFrontmatter(block.value)) runmeDocument = true;
      const valueStart = place.toOffset({line: (block.position?.start.line ?? 1) + 1, column: 1}) ?? 0;
      ({frontmatter, declaredNames, namesComplete} = parseFrontmatter(block.value, (offset) => pointAt(valueStart + offset), sink));
    } else if (block.type === 'heading') {
      handleHeading(block);
    } else if (block.type === 'html' && stepCommentPattern.test(block.value)) {
      const underHeading = step !== undefined && previous?.type === 'heading';
      if (!underHeading || !handleStepComment(block, step)) pendingComment = block;
    } else if (block.type === 'code') {
      currentContent().push(codeNode(block, inIntroduction));
    } else if (block.type === 'list' && isPureChecklist(block)) {
      const content = currentContent();
      const before = content.length;
      extractNested(block, content, inIntroduction);
      const checklist = content.slice(before).find((node) => node.kind === 'checklist');
      if (comment !== undefined && checklist !== undefined) {
        handleChecklistComment(comment, checklist);
        commentUsed = true;
      }
    } else {
      const prose: ProseBlock = {kind: 'prose', markdown: sliceOf(block), position: positionOf(block)};
      const content = currentContent();
      content.push(prose);
      extractNested(block, content, inIntroduction);
    }
    if (comment !== undefined && !commentUsed) warnMisplacedComment(comment);
    previous = block;
  }
  if (pendingComment !== undefined) warnMisplacedComment(pendingComment);
  if (!stepHeadings.found) {
    // only a document with a block or a task list to play gets the step
    const {content} = implicitStep;
    const first = content[0];
    const last = content.at(-1);
    if (content.some((block) => block.kind !== 'prose') && first !== undefined && last !== undefined) {
      implicitStep.title = implicitStepTitle(frontmatter.title ?? title, path);
      implicitStep.position = {start: first.position.start, end: last.position.end};
      topSteps.push(implicitStep);
    } else {
      introduction.push(...content);
    }
  }
  const placement = frontmatterPlacementProblem(source, frontmatterRead);
  if (placement !== undefined) sink.error(placement.message, placement.ruleId, {line: placement.line, column: 1});

  // Derived ids: node ids as `<step-id>-<n>`, unique against every explicit id.
  const used = new Set(explicitIds.keys());
  // The next suffix to try per base, so a thousand steps titled alike stay linear.
  const nextSuffix = new Map<string, number>();
  const unique = (base: string): string => {
    let id = base;
    let suffix = nextSuffix.get(base) ?? 1;
    if (used.has(id)) {
      do id = `${base}-${suffix++}`; while (used.has(id));
    }
    nextSuffix.set(base, suffix);
    used.add(id);
    return id;
  };
  assignIds(topSteps, introduction, unique);

  const runbook: Runbook = {
    path,
    title: frontmatter.title ?? title,
    frontmatter,
    introduction,
    steps: topSteps as Step[],
    ...(runmeDocument ? {runme: true as const} : {}),
  };

  if (runbook.steps.length === 0) {
    sink.warning('Unexpected runbook without steps, expected at least one `##` heading', 'no-steps', {line: 1, column: 1});
  }

  const variableNames = new Set([...declaredNames, ...captureNames]);
  const nodes = allNodes(runbook);
  const execIds = new Set(nodes.filter((node) => node.kind === 'exec').map((node) => node.id));
  // Conditions see what the engine records: variables, captures, and the
  // results of executable blocks and checklists (steps have no result).
  const resultIds = nodes.filter((node) => node.kind !== 'display').map((node) => node.id);
  const resultIdSet = new Set(resultIds);
  const stepIds = new Set(allSteps(runbook).map((item) => item.id));
  const definedNames = new Set([...variableNames, ...resultIds]);
  const checker = new ConditionChecker(definedNames, conditionTypes(runbook, resultIdSet));
  for (const use of conditionUses) {
    const reservedUses = reservedNamesUsed(use.expression, definedNames);
    for (const {name, offset} of reservedUses) {
      const what = declaredNames.has(name) ? 'variable' : captureNames.has(name) ? 'capture' : 'block';
      sink.error(`Unexpected \`${name}\` in condition, expected a name CEL does not reserve: here it is CEL's own \`${name}\`, not the ${what} \`${name}\`; rename the ${what}`,
        'reserved-name', use.at(offset));
    }
    // what CEL makes of a reserved name would only repeat the mistake
    if (reservedUses.length > 0) continue;
    const problem = checker.check(use.expression);
    if (problem === undefined) {
      for (const found of checker.warnings(use.expression)) sink.warning(found.message, found.ruleId, use.at(found.offset));
      continue;
    }
    const place = use.at(problem.offset);
    switch (problem.kind) {
      case 'unknown-name': {
        if (!namesComplete) break;
        const name = /Unknown variable: (\S+)/.exec(problem.message)?.[1] ?? problem.message;
        const written = /^[A-Za-z_][\w-]*\w/.exec(use.expression.slice(problem.offset))?.[0] ?? name;
        if (written.includes('-') && (resultIdSet.has(written) || stepIds.has(written))) {
          sink.error(`Unexpected \`${written}\` in condition, expected an id without \`-\` (CEL reads it as minus), such as \`#${written.replaceAll('-', '_')}\``, 'undefined-name', place);
          break;
        }
        const what = stepIds.has(name) ? `step id \`${name}\` in condition (steps have no result)` : `name \`${name}\` in condition`;
        sink.error(`Unexpected ${what}, expected a variable, a capture or the id of a block`, 'undefined-name', place);
        break;
      }
      case 'type':
        // each mistake of `A == 1 || B > 'x'`, not only the first
        for (const each of checker.typeProblems(use.expression, problem)) {
          sink.error(`Unexpected types in condition \`${excerpt(use.expression)}\`: ${each.message}`, 'condition-type', use.at(each.offset));
        }
        break;
      case 'syntax':
        sink.error(`Unexpected syntax in condition \`${excerpt(use.expression)}\`: ${problem.message}`, 'condition-syntax', place);
        break;
      default:
        problem.kind satisfies never;
    }
  }
  for (const use of templateUses) {
    if (!namesComplete || variableNames.has(use.root) || execIds.has(use.root)) continue;
    sink.error(`Unexpected reference \`{{${use.expression}}}\`, expected a name defined in \`env\`, \`inputs\`, a \`capture\` or a block id`, 'undefined-name', use.place);
  }
  for (const use of shellTemplateUses) {
    // Go templates (`docker inspect --format '{{.State.Running}}'`) are meant
    const meant = variableNames.has(use.root) || execIds.has(use.root) || /^[A-Z_][A-Z0-9_]*$/.test(use.root);
    if (!meant) continue;
    const instead = execIds.has(use.root) && !variableNames.has(use.root)
      ? `\`capture=NAME\` on block \`${use.root}\` and \`$NAME\` here`
      : `\`$${use.root}\` (variables reach shell blocks as environment variables)`;
    sink.warning(`Unexpected \`{{${use.expression}}}\` in a shell block, which bash passes on as it is (only http blocks fill in \`{{…}}\`); expected ${instead}`,
      'template-in-shell', use.place);
  }
  if (namesComplete) {
    const captureOrder = new Map([...captureNames].map((name, index) => [name, index]));
    for (const use of promptUses) {
      const capture = captureOrder.get(use.name) ?? -1;
      if (declaredNames.has(use.name) || (capture >= 0 && capture < use.capturesBefore)) continue;
      const why = capture >= 0 ? `\`${use.name}\` is captured only later` : `nothing declares or captures \`${use.name}\``;
      sink.warning(`Unexpected \`${use.written}\` in a confirm prompt: ${why}, so the prompt shows it as written; expected a variable from \`env\` or \`inputs\`, or a \`capture\` before it`,
        'undeclared-variable', use.place);
    }
  }

  return {runbook, diagnostics: sink.sorted()};
}

function assignIds(
  steps: DraftStep[],
  introduction: ContentBlock[],
  unique: (base: string) => string,
): void {
  // Steps first, in document order, so node ids can build on step ids.
  const visitSteps = (list: DraftStep[]): void => {
    for (const step of list) {
      if (!step.explicitId) step.id = unique(slug(step.title) || 'step');
      visitSteps(step.steps);
    }
  };
  visitSteps(steps);
  const assignNodes = (content: ContentBlock[], prefix: string): void => {
    let index = 0;
    for (const block of content) {
      if (block.kind === 'prose') continue;
      index += 1;
      if (block.explicitId) continue;
      (block as {id: string}).id = unique(`${prefix}-${index}`);
    }
  };
  assignNodes(introduction, 'intro');
  const visitNodes = (list: DraftStep[]): void => {
    for (const step of list) {
      assignNodes(step.content, step.id);
      visitNodes(step.steps);
    }
  };
  visitNodes(steps);
}

// A condition as a message quotes it: long ones cut to their start.
function excerpt(expression: string): string {
  return expression.length <= 80 ? expression : `${expression.slice(0, 60)}…`;
}
