import type {ContentBlock, Runbook} from '../../runbook/model.js';
import {allSteps} from '../../runbook/walk.js';
import {stepMark} from '../../engine/status-marks.js';
import {focusNodeId} from '../focus.js';
import type {PlayerSnapshot} from '../player-store.js';
import {stepBadges} from './format.js';
import {blank, plain, seg, spread, wrap, type Line} from './lines.js';
import {checklistBlock, displayBlock, execBlock, type BlockOptions} from './node-block.js';
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
}

const commandRowsWhileRunning = 3;

export function stepBody(runbook: Runbook, snapshot: PlayerSnapshot, width: number, height: number, now: number): Body {
  const {run} = snapshot;
  const step = run.currentStepId === null ? undefined : allSteps(runbook).find((candidate) => candidate.id === run.currentStepId);
  if (step === undefined) return introduction(runbook, width);

  const state = run.steps.get(step.id);
  const badge = stepBadges[state === undefined ? 'pending' : stepMark(run, state)];
  const title = [step.number, step.title].filter((part) => part !== null).join(' ');
  const lines: Line[] = [spread([seg(title, {bold: true})], plain(badge.label, badge.color === undefined ? undefined : {color: badge.color}), width)];
  if (state?.reason !== undefined) lines.push(...wrap([seg(state.reason, {dim: true})], width));

  const focus = focusNodeId(snapshot);
  let anchor: Anchor | null = null;
  for (const block of step.content) {
    const isFocus = block.kind !== 'prose' && block.id === focus;
    const options = {width, now, commandRows: commandRowsWhileRunning, outputRows: 3};
    let rendered = blockLines(block, snapshot, options);
    if (isFocus) {
      // the focused node's output gets the rows its header, command and result leave
      const bare = blockLines(block, snapshot, {...options, outputRows: 0}).length;
      rendered = blockLines(block, snapshot, {...options, outputRows: Math.max(1, height - 1 - bare)});
    }
    if (rendered.length === 0) continue;
    lines.push(blank);
    if (isFocus) anchor = {start: lines.length, end: lines.length + rendered.length, prefer: preferFor(snapshot, block.id)};
    lines.push(...rendered);
  }
  return {lines, anchor};
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
  const lines: Line[] = [plain(runbook.title ?? runbook.path, {bold: true})];
  for (const block of runbook.introduction) {
    const rendered = block.kind === 'prose' ? proseLines(block.markdown, width) : block.kind === 'display' ? displayBlock(block, width) : [];
    if (rendered.length === 0) continue;
    lines.push(blank, ...rendered);
  }
  return {lines, anchor: null};
}
