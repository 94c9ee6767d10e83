import {tailLength} from '../engine/run-state.js';
import type {PlayerSnapshot} from './player-store.js';

// The node the screen is about: the one the operator moved the focus cursor
// to, else the one a decision is about, the one running, else the last one
// that ran. `o` opens its output.
export function focusNodeId(snapshot: PlayerSnapshot): string | null {
  if (snapshot.focus !== null && snapshot.run.nodes.has(snapshot.focus)) return snapshot.focus;
  return automaticFocusNodeId(snapshot);
}

export function automaticFocusNodeId(snapshot: PlayerSnapshot): string | null {
  const {ask, run} = snapshot;
  if (ask !== null && ask.kind !== 'input' && ask.request.node !== undefined) return ask.request.node.id;
  return run.runningNodeId ?? run.currentNodeId;
}

// The node a question is about now, if any: its header never scrolls away.
export function askedNodeId(snapshot: PlayerSnapshot): string | null {
  const {ask} = snapshot;
  return ask !== null && ask.kind !== 'input' && ask.request.node !== undefined ? ask.request.node.id : null;
}

// What the focus cursor moves over, in run order: the nodes of every
// finished step, then those of the current step.
export function focusableNodeIds(snapshot: PlayerSnapshot): string[] {
  const {run} = snapshot;
  const ids: string[] = [];
  for (const stepId of run.stepOrder) {
    const step = run.steps.get(stepId);
    if (step === undefined) continue;
    const finished = step.status !== 'pending' && step.status !== 'running' && step.status !== 'waiting';
    if (finished || stepId === run.currentStepId) ids.push(...step.nodeIds);
  }
  return ids;
}

// The focus moved `delta` nodes from where it is now, or null to stay.
export function movedFocus(snapshot: PlayerSnapshot, delta: number): string | null {
  const ids = focusableNodeIds(snapshot);
  if (ids.length === 0) return null;
  const current = focusNodeId(snapshot);
  const at = current === null ? -1 : ids.indexOf(current);
  const next = at === -1 ? (delta < 0 ? ids.length - 1 : 0) : Math.min(ids.length - 1, Math.max(0, at + delta));
  return ids[next] ?? null;
}

// The step the body shows: the focused node's when it is a finished step
// (expanded again), else the current one.
export function shownStepId(snapshot: PlayerSnapshot): string | null {
  const {run} = snapshot;
  if (snapshot.focus !== null) {
    const stepId = run.nodes.get(snapshot.focus)?.stepId;
    if (stepId !== undefined && focusableNodeIds(snapshot).includes(snapshot.focus)) return stepId;
  }
  return run.currentStepId;
}

export function outputNodeId(snapshot: PlayerSnapshot): string | null {
  const id = focusNodeId(snapshot);
  const node = id === null ? undefined : snapshot.run.nodes.get(id);
  if (node === undefined || node.kind !== 'exec') return null;
  return node.status === 'running' || tailLength(node.output) > 0 || node.output.total > 0 ? node.id : null;
}
