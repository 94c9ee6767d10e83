import type {ContentBlock, Runbook} from '../../runbook/model.js';
import {allSteps} from '../../runbook/walk.js';
import type {NoteEntry, RunState} from '../../engine/run-state.js';
import {stepMark} from '../../engine/status-marks.js';
import {askedNodeId, focusNodeId, shownStepId} from '../focus.js';
import type {PlayerSnapshot} from '../player-store.js';
import {formatClock, stepBadges} from './format.js';
import {blank, plain, seg, spread, wrap, type Line, type Segment} from './lines.js';
import {checklistBlock, displayBlock, execBlock, finishedTailRows, type BlockOptions} from './node-block.js';
import {proseLines} from './prose.js';

// The current step as the operator reads it: title, prose, and every node
// with what it will run or did. The anchor is the part that must stay in view.

export interface Anchor {
  readonly start: number;
  readonly end: number;
  // which end to keep when the anchor is taller than the view
  readonly prefer: 'start' | 'end';
}

export interface Body {
  readonly lines: Line[];
  readonly anchor: Anchor | null;
  // rows that stay in view however the body scrolls: the step's title and
  // the header of the node a question is about
  readonly pins: readonly number[];
  // the command of the node a question is about: kept in view too where the body has room
  readonly pinsIfRoom: readonly number[];
}

const commandRowsWhileRunning = 3;
const gutterText = '  │ ';

export function stepBody(runbook: Runbook, snapshot: PlayerSnapshot, width: number, height: number, now: number): Body {
  const {run} = snapshot;
  const shownId = shownStepId(snapshot);
  const steps = allSteps(runbook);
  const step = shownId === null ? undefined : steps.find((candidate) => candidate.id === shownId);
  if (step === undefined) return introduction(runbook, width);

  const lines: Line[] = [];
  // the runbook's introduction heads its first step, so it is the first thing on screen
  const first = step === steps[0] && runbook.introduction.length > 0;
  if (first) lines.push(...introductionLines(runbook, width), blank);
  const titleRow = lines.length;
  const state = run.steps.get(step.id);
  const badge = stepBadges[state === undefined ? 'pending' : stepMark(run, state)];
  const title = [step.number, step.title].filter((part) => part !== null).join(' ');
  // a finished step shown again says so on its title row, which stays in view
  const again = step.id === run.currentStepId ? [] : [seg(' · shown again, esc back', {dim: true})];
  lines.push(spread([seg(title, {bold: true})], [...plain(badge.label, badge.color === undefined ? undefined : {color: badge.color}), ...again], width));
  if (state?.reason !== undefined) lines.push(...wrap([seg(state.reason, {dim: true})], width));

  const focus = focusNodeId(snapshot);
  const asked = askedNodeId(snapshot);
  const cursor = snapshot.focus === null ? null : focus;
  let anchor: Anchor | null = null;
  // while a question is asked, the step's title and the asked node's header stay in view
  const pins = asked === null && step.id === run.currentStepId ? [] : [titleRow];
  const pinsIfRoom: number[] = [];
  for (const block of step.content) {
    const isFocus = block.kind !== 'prose' && block.id === focus;
    const options = {width, now, commandRows: commandRowsWhileRunning, outputRows: 3, cursor: block.kind !== 'prose' && block.id === cursor};
    let rendered = blockLines(block, snapshot, options);
    if (isFocus) {
      // the focused node's output gets the rows its header, command and result leave
      const bare = blockLines(block, snapshot, {...options, outputRows: 0, finishedRows: 0}).length;
      // less the rows the markers and, while a question is asked, the pinned rows take
      const rows = Math.max(1, height - bare - (asked === null ? 3 : 5));
      rendered = blockLines(block, snapshot, {...options, outputRows: rows, finishedRows: Math.max(rows, finishedTailRows(run.nodes.get(block.id)?.status ?? 'pending'))});
    }
    if (rendered.length === 0) continue;
    lines.push(blank);
    if (block.kind !== 'prose' && block.id === asked) {
      pins.push(lines.length);
      // its facts and what it acts on, resolved (`→ GET …`, `with NAME=…`): the rows above its command
      const command = rendered.findIndex((row, index) => index > 0 && row[0]?.text === gutterText);
      for (let row = 1; row < (command === -1 ? 1 : command); row += 1) pinsIfRoom.push(lines.length + row);
    }
    // a node the operator moved to shows from its header
    if (isFocus) anchor = {start: lines.length, end: lines.length + rendered.length, prefer: block.id === cursor ? 'start' : preferFor(snapshot, block.id)};
    lines.push(...rendered);
  }
  lines.push(...noteLines(run, step.id, width));
  // before anything in the first step has run, the view starts at the top: the introduction
  const untouched = step.content.every((block) => block.kind === 'prose' || (run.nodes.get(block.id)?.attempt ?? 0) === 0);
  if (first && untouched && snapshot.focus === null && anchor !== null) anchor = {start: 0, end: anchor.end, prefer: 'start'};
  return {lines, anchor, pins, pinsIfRoom};
}

// The notes made in this step, with the run's clock when each was made.
function noteLines(run: RunState, stepId: string, width: number): Line[] {
  const notes = run.notes.filter((note) => note.stepId === stepId && note.by === 'operator');
  if (notes.length === 0) return [];
  return [blank, ...notes.flatMap((note) => wrap(noteSegments(run, note), width, {rest: [seg('    ')]}))];
}

export function noteSegments(run: RunState, note: NoteEntry): Segment[] {
  const facts = [
    'note',
    ...(note.at === null || run.startedAt === null ? [] : [formatClock(note.at - run.startedAt)]),
    ...(note.by === 'engine' ? ['by the player'] : []),
    ...(note.nodeId === undefined ? [] : [`on ${note.nodeId}`]),
  ];
  return [seg('✎ ', {color: 'cyan'}), seg(`${facts.join(' · ')}: `, {dim: true}), seg(note.text, note.by === 'engine' ? {dim: true} : undefined)];
}

function preferFor(snapshot: PlayerSnapshot, nodeId: string): Anchor['prefer'] {
  const node = snapshot.run.nodes.get(nodeId);
  if (node === undefined) return 'start';
  if (node.status === 'running') return 'end';
  if (node.status === 'waiting') return node.waitingFor === 'failure' ? 'end' : 'start';
  return node.status === 'pending' || node.status === 'unknown' ? 'start' : 'end';
}

function blockLines(block: ContentBlock, snapshot: PlayerSnapshot, options: BlockOptions): Line[] {
  switch (block.kind) {
    case 'prose':
      return proseLines(block.markdown, options.width);
    case 'exec':
      return execBlock(block, snapshot.run.nodes.get(block.id), options);
    case 'checklist':
      return checklistBlock(block, snapshot.run.nodes.get(block.id), snapshot.checklist, options);
    case 'display':
      return displayBlock(block, options.width);
  }
}

function introduction(runbook: Runbook, width: number): Body {
  const intro = introductionLines(runbook, width);
  return {lines: [plain(runbook.title ?? runbook.path, {bold: true}), ...(intro.length === 0 ? [] : [blank, ...intro])], anchor: null, pins: [], pinsIfRoom: []};
}

function introductionLines(runbook: Runbook, width: number): Line[] {
  const lines: Line[] = [];
  for (const block of runbook.introduction) {
    const rendered = block.kind === 'prose' ? proseLines(block.markdown, width) : block.kind === 'display' ? displayBlock(block, width) : [];
    if (rendered.length === 0) continue;
    lines.push(...(lines.length === 0 ? [] : [blank]), ...rendered);
  }
  return lines;
}
