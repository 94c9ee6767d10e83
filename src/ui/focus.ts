import {tailLength} from '../engine/run-state.js';
import type {PlayerSnapshot} from './player-store.js';

// The node the screen is about: the one a decision is about, the one
// running, else the last one that ran. `o` opens its output.
export function focusNodeId(snapshot: PlayerSnapshot): string | null {
  const {ask, run} = snapshot;
  if (ask !== null && ask.kind !== 'input' && ask.request.node !== undefined) return ask.request.node.id;
  return run.runningNodeId ?? run.currentNodeId;
}

export function outputNodeId(snapshot: PlayerSnapshot): string | null {
  const id = focusNodeId(snapshot);
  const node = id === null ? undefined : snapshot.run.nodes.get(id);
  if (node === undefined || node.kind !== 'exec') return null;
  return node.status === 'running' || tailLength(node.output) > 0 || node.output.total > 0 ? node.id : null;
}
