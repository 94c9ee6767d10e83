import type {NodeState} from '../../engine/run-state.js';
import {formatDuration} from '../../runbook/duration.js';
import {shownLine} from '../../text/terminal-text.js';
import type {Badge} from './format.js';
import {seg, truncate, wrap, type Line, type Segment} from './lines.js';

// What a node's header says before it runs, so that its behaviour is no
// surprise: the limits and conditions it runs under, and what it acts on,
// resolved by the engine (an http node's request line, a shell node's
// variables by value, secrets masked). `MUTATES` and `interactive` are on
// the header's first line (node-block.ts).

export function nodeFactLines(state: NodeState | undefined, width: number, options: {behaviour?: boolean} = {}): Line[] {
  if (state === undefined) return [];
  const lines: Line[] = [];
  const facts = behaviourFacts(state);
  if (facts.length > 0 && options.behaviour !== false) lines.push(...wrap(joined(facts), width, {first: [seg('  ')], rest: [seg('    ')]}));
  const request = state.resolved?.request;
  if (request !== undefined) lines.push(truncate([seg('  → ', {dim: true}), seg(shownLine(request), {bold: true})], width));
  const uses = state.resolved?.uses ?? [];
  if (uses.length > 0) {
    const pairs = uses.flatMap(({name, value}, index) => [...(index === 0 ? [] : [seg('  ')]), seg(`${name}=`, {dim: true}), seg(shownLine(value))]);
    lines.push(...wrap(pairs, width, {first: [seg('  with ', {dim: true})], rest: [seg('       ')]}));
  }
  return lines;
}

// Its behaviour on one line (`timeout 2m · retries 6 × 5s · …`); empty when none.
export function behaviourSegments(state: NodeState | undefined): Segment[] {
  return state === undefined ? [] : joined(behaviourFacts(state));
}

function behaviourFacts(state: NodeState): Segment[][] {
  const behaviour = state.behaviour;
  if (behaviour === undefined) return [];
  const facts: Segment[][] = [];
  if (behaviour.timeoutMs !== undefined) facts.push([seg('timeout '), seg(formatDuration(behaviour.timeoutMs), {bold: true})]);
  if (behaviour.retries > 0) facts.push([seg('retries '), seg(`${behaviour.retries} × ${formatDuration(behaviour.intervalMs)}`, {bold: true})]);
  if (behaviour.allowFailure) facts.push([seg('allow-failure', {color: 'yellow'})]);
  if (behaviour.condition !== undefined) facts.push([seg('if '), seg(shownLine(behaviour.condition), {bold: true}), ...conditionVerdict(state, behaviour.condition)]);
  return facts;
}

// Whether its `if=` held: it ran (or is asked to), or it was skipped because it was false.
function conditionVerdict(state: NodeState, condition: string): Segment[] {
  if (state.result?.outcome === 'skipped' && state.result.reason === `if="${condition}" is false`) return [seg(' — was false, skipped')];
  if (state.attempt > 0 || (state.status === 'waiting' && state.waitingFor !== 'failure')) return [seg(' — held', {color: 'green'})];
  return [];
}

function joined(facts: readonly Segment[][]): Segment[] {
  const out: Segment[] = [];
  facts.forEach((fact, index) => {
    if (index > 0) out.push(seg(' · '));
    out.push(...fact);
  });
  return out.map((part) => ({...part, style: {...part.style, dim: part.style?.bold !== true && part.style?.color === undefined}}));
}

// ` / 10s` after the running timer, when the node has a timeout.
export function timeLimit(state: NodeState): string {
  const limit = state.behaviour?.timeoutMs;
  return limit === undefined ? '' : ` / ${formatDuration(limit)}`;
}

// Waiting for its next retry: the waiting colour and a countdown, not a red failure.
export const retryWaitBadge: Badge = {glyph: '↻', label: 'waiting to retry', color: 'yellow'};

export function retryWaitStatus(state: NodeState | undefined, now: number): string | undefined {
  const wait = state?.retryWait ?? null;
  if (wait === null) return undefined;
  const seconds = Math.max(0, Math.ceil((wait.until - now) / 1000));
  return `retry ${wait.retry} of ${wait.of} in ${seconds}s`;
}
