import type {Heading, Html, RootContent} from 'mdast';
import {backtickInFenceInfo} from '../document-rules.js';
import {implicitStepTitle, withStepHeadingsKnown, type StepHeadings} from '../implicit-step.js';
import {headingText} from '../markdown.js';
import type {ContentBlock, ProseBlock, StepAttributes} from '../model.js';
import {extractNested, isPureChecklist} from './checklists.js';
import {codeNode} from './code-node.js';
import {commentAttributes, stepCommentPattern, warnInlineComments, warnMisplacedComment} from './comments.js';
import type {DraftChecklist, DraftStep, ParseState} from './state.js';

const stepNumberPattern = /^(\d+(?:\.\d+)*[.):]|\d+(?:\.\d+)+)\s+(\S.*)$/;

export interface Sections {
  readonly title: string | null;
  readonly introduction: ContentBlock[];
  readonly steps: DraftStep[];
}

// The document's blocks → its title, the content before the first step,
// and steps nested by heading depth, each with its content: prose, and the
// nodes its code blocks and task lists make.
export function readSections(state: ParseState, blocks: Iterable<RootContent>, autolinkLiterals: boolean, path: string): Sections {
  const {source, sink} = state;
  let title: string | null = null;
  const introduction: ContentBlock[] = [];
  const topSteps: DraftStep[] = [];
  const stack: DraftStep[] = [];
  // A document without step headings is one implicit step (implicit-step.ts):
  // its blocks go there rather than to the introduction.
  const stepHeadings: StepHeadings = {found: false};
  const implicitStep: DraftStep = {id: '', explicitId: false, number: null, title: '', depth: 2, attributes: {}, content: [], steps: [], position: {start: source.pointAt(0), end: source.pointAt(0)}, implicit: true};
  const implicit = (): DraftStep | undefined => (stepHeadings.found ? undefined : implicitStep);
  const currentContent = (): ContentBlock[] => stack.at(-1)?.content ?? implicit()?.content ?? introduction;
  const place = () => ({inIntroduction: stack.length === 0 && implicit() === undefined, runOff: stack.some((step) => step.attributes.run === false)});

  const handleHeading = (heading: Heading): void => {
    warnInlineComments(state, heading);
    const text = headingText(heading, source.text, autolinkLiterals);
    if (heading.depth === 1 && title === null && stack.length === 0 && topSteps.length === 0) {
      title = text;
      return;
    }
    if (text === '') {
      sink.warning('Unexpected heading without a title, expected a step title such as `## Check the API`', 'empty-heading', source.pointAt(heading.position?.start.offset ?? 0));
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
      position: source.positionOf(heading),
    };
    while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= step.depth) stack.pop();
    const parent = stack.at(-1);
    (parent === undefined ? topSteps : parent.steps).push(step);
    stack.push(step);
  };

  const handleStepComment = (html: Html, step: DraftStep): boolean => {
    const read = commentAttributes(state, html, 'step', 'a step');
    if (read === undefined) return false;
    step.attributes = read.typed.attributes as StepAttributes;
    if (read.typed.id !== undefined) {
      step.id = read.typed.id.value;
      step.explicitId = true;
    }
    return true;
  };

  // A comment right before a task list names the checklist it makes.
  const handleChecklistComment = (html: Html, checklist: DraftChecklist): void => {
    const read = commentAttributes(state, html, 'checklist', 'a checklist');
    if (read === undefined) return;
    checklist.attributes = read.typed.attributes;
    if (read.typed.id !== undefined) {
      checklist.id = read.typed.id.value;
      checklist.explicitId = true;
    }
  };

  let previous: RootContent | undefined;
  // a `<!-- runbook: … -->` comment not under a heading: it names the
  // checklist of a task list right after it, and is misplaced otherwise
  let pendingComment: Html | undefined;
  for (const block of withStepHeadingsKnown(blocks, stepHeadings)) {
    const step = stack.at(-1);
    const comment = pendingComment;
    pendingComment = undefined;
    let commentUsed = false;
    if (block.type === 'paragraph') {
      const column = backtickInFenceInfo(source.sliceOf(block));
      if (column !== undefined) {
        state.fenceLookalikeSeen = true;
        const start = source.positionOf(block).start;
        sink.error('Unexpected `` ` `` in the info string of a ``` code fence, expected none: CommonMark does not read such a line as a fence, so the block is text and its closing ``` opens another; remove the backtick, or fence the block with ~~~',
          'invalid-fence', {line: start.line, column: start.column + column - 1});
      }
    }
    if (block.type === 'yaml') {
      // read by the frontmatter stage
    } else if (block.type === 'heading') {
      handleHeading(block);
    } else if (block.type === 'html' && stepCommentPattern.test(block.value)) {
      const underHeading = step !== undefined && previous?.type === 'heading';
      if (!underHeading || !handleStepComment(block, step)) pendingComment = block;
    } else if (block.type === 'code') {
      currentContent().push(codeNode(state, block, place()));
    } else if (block.type === 'list' && isPureChecklist(block)) {
      const content = currentContent();
      const before = content.length;
      extractNested(state, block, content, place());
      const checklist = content.slice(before).find((node) => node.kind === 'checklist');
      if (comment !== undefined && checklist !== undefined) {
        handleChecklistComment(comment, checklist as DraftChecklist);
        commentUsed = true;
      }
    } else {
      const prose: ProseBlock = {kind: 'prose', markdown: source.sliceOf(block), position: source.positionOf(block)};
      const content = currentContent();
      content.push(prose);
      extractNested(state, block, content, place());
    }
    if (comment !== undefined && !commentUsed) warnMisplacedComment(state, comment);
    previous = block;
  }
  if (pendingComment !== undefined) warnMisplacedComment(state, pendingComment);
  if (!stepHeadings.found) {
    // only a document with a block or a task list to play gets the step
    const {content} = implicitStep;
    const first = content[0];
    const last = content.at(-1);
    if (content.some((block) => block.kind !== 'prose') && first !== undefined && last !== undefined) {
      implicitStep.title = implicitStepTitle(state.read.frontmatter.title ?? title, path);
      implicitStep.position = {start: first.position.start, end: last.position.end};
      topSteps.push(implicitStep);
    } else {
      introduction.push(...content);
    }
  }
  return {title, introduction, steps: topSteps};
}
