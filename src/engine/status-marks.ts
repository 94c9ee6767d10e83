import type {NodeState, NodeStatus, RunState, StepState} from './run-state.js';
import {isOutcome, outcomeTraits} from './outcomes.js';

// How every consumer marks a node, a step and the run: the glyph, its
// colour and the words, from one table, so the player and the plain
// reporter say the same thing. A step passes with `✓` only when each of its
// nodes (its sub-steps' too) simply passed: a failure allowed, a node
// marked done, skipped or interrupted gives it a mark of its own. The
// glyphs carry the meaning without colour (NO_COLOR, screen captures).

export type MarkColor = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'blue' | 'gray';

export interface Mark {
  readonly glyph: string;
  readonly label: string;
  readonly color?: MarkColor;
}

export const nodeMarks: Record<NodeStatus, Mark> = {
  pending: {glyph: '○', label: ''},
  running: {glyph: '▶', label: 'running', color: 'cyan'},
  waiting: {glyph: '◆', label: 'waiting', color: 'yellow'},
  unknown: {glyph: '?', label: 'unknown: started earlier, never finished', color: 'yellow'},
  passed: {glyph: '✓', label: 'passed', color: 'green'},
  'allowed-failure': {glyph: '!', label: 'failed (allowed)', color: 'yellow'},
  failed: {glyph: '✗', label: 'failed', color: 'red'},
  'timed-out': {glyph: '✗', label: 'timed out', color: 'red'},
  interrupted: {glyph: '‖', label: 'interrupted', color: 'red'},
  skipped: {glyph: '↷', label: 'skipped', color: 'gray'},
  'marked-done': {glyph: '✎', label: 'marked done', color: 'blue'},
};

// What a step's row says: its status, refined by what its nodes did.
export type StepMark =
  | 'pending'
  | 'running'
  | 'waiting'
  | 'done'
  // done, with a failure allowed
  | 'allowed-failure'
  // done, a node marked done by hand
  | 'marked-done'
  // done, some of its nodes skipped by the operator
  | 'partly-skipped'
  // every node skipped, or the step itself
  | 'skipped'
  | 'interrupted'
  | 'rehearsed'
  | 'failed';

export const stepMarks: Record<StepMark, Mark> = {
  pending: {glyph: '○', label: ''},
  running: {glyph: '▶', label: 'running', color: 'cyan'},
  waiting: {glyph: '◆', label: 'waiting', color: 'yellow'},
  done: {glyph: '✓', label: 'done', color: 'green'},
  'allowed-failure': {glyph: '!', label: 'passed with failures allowed', color: 'yellow'},
  'marked-done': {glyph: '✎', label: 'done, marked done by hand', color: 'blue'},
  'partly-skipped': {glyph: '↷', label: 'done, some skipped', color: 'yellow'},
  skipped: {glyph: '↷', label: 'skipped', color: 'gray'},
  interrupted: {glyph: '‖', label: 'interrupted', color: 'red'},
  rehearsed: {glyph: '↷', label: 'rehearsed, not done', color: 'magenta'},
  failed: {glyph: '✗', label: 'failed', color: 'red'},
};

// The nodes of a step and of all its sub-steps, in run order.
export function stepNodeStates(run: RunState, step: StepState): NodeState[] {
  const out: NodeState[] = [];
  const visit = (current: StepState): void => {
    for (const id of current.nodeIds) {
      const node = run.nodes.get(id);
      if (node !== undefined) out.push(node);
    }
    for (const child of run.steps.values()) if (child.parentId === current.id) visit(child);
  };
  visit(step);
  return out;
}

export function stepMark(run: RunState, step: StepState): StepMark {
  switch (step.status) {
    case 'pending':
    case 'running':
    case 'waiting':
    case 'rehearsed':
    case 'skipped':
      return step.status;
    case 'failed': {
      const nodes = stepNodeStates(run, step);
      const failed = nodes.some((node) => isOutcome(node.status) && outcomeTraits[node.status].fails);
      return !failed && nodes.some((node) => node.status === 'interrupted') ? 'interrupted' : 'failed';
    }
    case 'done': {
      const nodes = stepNodeStates(run, step);
      if (nodes.length === 0) return 'done';
      if (nodes.some((node) => node.status === 'interrupted')) return 'interrupted';
      if (nodes.every((node) => node.status === 'skipped')) return 'skipped';
      if (nodes.some((node) => node.status === 'allowed-failure')) return 'allowed-failure';
      if (nodes.some((node) => node.status === 'marked-done')) return 'marked-done';
      if (nodes.some(skippedByOperator)) return 'partly-skipped';
      return 'done';
    }
  }
}

// Skipped by a decision (at its gate, after a failure, a checklist), not
// by a false `if=` or a read-only rehearsal: the runbook did not mean it.
export function skippedByOperator(node: NodeState): boolean {
  return node.status === 'skipped' && node.result?.rehearsed !== true && node.decision?.decision === 'skip';
}

// What did not simply pass, for the run's summary: failures allowed, nodes
// the operator skipped or marked done, checklist items marked not
// applicable, each with its reason. A node skipped because its `if=` (or
// its step's) was false is the runbook taking the path it describes, not
// an exception; one skipped because it mutates, in a read-only rehearsal,
// is reported as rehearsed.
export interface RunException {
  readonly kind: 'allowed-failure' | 'skipped' | 'marked-done' | 'not-applicable';
  readonly nodeId: string;
  readonly stepId: string;
  readonly reason: string;
  // the checklist item, for `not-applicable`
  readonly item?: string;
}

export const exceptionLabels: Record<RunException['kind'], string> = {
  'allowed-failure': 'failed, allowed',
  skipped: 'skipped',
  'marked-done': 'marked done',
  'not-applicable': 'not applicable',
};

export function runExceptions(run: RunState): RunException[] {
  const out: RunException[] = [];
  const seen = new Set<string>();
  for (const stepId of run.stepOrder) {
    const step = run.steps.get(stepId);
    if (step === undefined) continue;
    for (const id of step.nodeIds) {
      const node = run.nodes.get(id);
      if (node === undefined || seen.has(id)) continue;
      seen.add(id);
      out.push(...nodeExceptions(node));
    }
  }
  return out;
}

function nodeExceptions(node: NodeState): RunException[] {
  const at = {nodeId: node.id, stepId: node.stepId};
  const result = node.result;
  switch (node.status) {
    case 'allowed-failure':
      return [{kind: 'allowed-failure', ...at, reason: result?.reason ?? 'failed'}];
    case 'marked-done':
      return [{kind: 'marked-done', ...at, reason: node.decision?.note ?? result?.reason ?? 'marked done by the operator'}];
    case 'skipped':
      return skippedByOperator(node) ? [{kind: 'skipped', ...at, reason: result?.reason ?? node.decision?.note ?? 'skipped by the operator'}] : [];
    case 'passed':
      return node.checklist
        .filter((item) => item.state === 'not-applicable')
        .map((item) => ({kind: 'not-applicable', ...at, item: item.text, reason: item.reason ?? ''}));
    default:
      return [];
  }
}

// `passed`, `passed with 1 exception`, `passed with 3 exceptions`
export function outcomeWords(outcome: string, exceptions: number): string {
  if (outcome !== 'passed' || exceptions === 0) return outcome;
  return `passed with ${exceptions} exception${exceptions === 1 ? '' : 's'}`;
}

export const exceptionMarks: Record<RunException['kind'], Mark> = {
  'allowed-failure': nodeMarks['allowed-failure'],
  skipped: nodeMarks.skipped,
  'marked-done': nodeMarks['marked-done'],
  'not-applicable': {glyph: '–', label: 'not applicable', color: 'gray'},
};

// One exception in words, the reason before anything long:
// `smoke marked done: redeployed by hand`,
// `queue_check not applicable: none were — "Dead letters replayed"`.
export function exceptionText(exception: RunException): string {
  const reason = exception.reason === '' ? '' : `: ${exception.reason}`;
  if (exception.kind === 'not-applicable') return `${exception.nodeId} not applicable${reason} — "${exception.item ?? ''}"`;
  return `${exception.nodeId} ${exceptionLabels[exception.kind]}${reason}`;
}
