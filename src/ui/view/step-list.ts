import type {RunState, StepState} from '../../engine/run-state.js';
import {stepMark, type StepMark} from '../../engine/status-marks.js';
import {formatMs, stepBadges} from './format.js';
import {plain, rule, seg, spread, type Line} from './lines.js';

// One row per step, numbers as written, a window around the current step
// when they do not all fit; the rule above says which part is shown.
export function stepListLines(run: RunState, width: number, rows: number, now: number): Line[] {
  const order = run.stepOrder;
  const current = run.currentStepId === null ? -1 : order.indexOf(run.currentStepId);
  const room = Math.max(1, rows);
  const first = order.length <= room ? 0 : Math.min(order.length - room, Math.max(0, current - Math.floor(room / 2)));
  const shown = order.slice(first, first + room);
  const label = order.length <= room ? 'Steps' : `Steps ${first + 1}–${first + shown.length} of ${order.length}`;
  const lines: Line[] = [rule(width, label)];
  const minDepth = Math.min(...[...run.steps.values()].map((step) => step.depth));
  for (const id of shown) {
    const step = run.steps.get(id);
    if (step !== undefined) lines.push(stepRow(step, stepMark(run, step), id === run.currentStepId, width, now, minDepth));
  }
  return lines;
}

function stepRow(step: StepState, mark: StepMark, current: boolean, width: number, now: number, minDepth: number): Line {
  const badge = stepBadges[mark];
  const color = badge.color === undefined ? undefined : {color: badge.color};
  const title = [step.number, step.title].filter((part) => part !== null).join(' ');
  const left: Line = [
    seg(badge.glyph, color),
    seg(` ${'  '.repeat(Math.max(0, step.depth - minDepth))}`),
    seg(title, current ? {bold: true} : step.status === 'pending' ? undefined : {dim: step.status === 'skipped'}),
  ];
  return spread(left, plain(stepDetail(step, mark, now), {dim: true}), width);
}

// a step that did not simply pass says so before its time
const markWords: Partial<Record<StepMark, string>> = {
  'allowed-failure': 'failures allowed',
  'marked-done': 'marked done',
  'partly-skipped': 'some skipped',
  interrupted: 'interrupted',
};

function stepDetail(step: StepState, mark: StepMark, now: number): string {
  const words = markWords[mark];
  if (words !== undefined) return step.durationMs === null ? words : `${words} ${formatMs(step.durationMs)}`;
  if (mark === 'skipped') return 'skipped';
  switch (step.status) {
    case 'running':
      return step.startedAt === null ? 'running' : `running ${formatMs(now - step.startedAt)}`;
    case 'waiting':
      return 'waiting for you';
    case 'done':
    case 'failed':
      return step.durationMs === null ? step.status : `${step.status === 'failed' ? 'failed ' : ''}${formatMs(step.durationMs)}`;
    case 'skipped':
      return 'skipped';
    case 'rehearsed':
      return 'rehearsed, not done';
    case 'pending':
      return '';
  }
}
