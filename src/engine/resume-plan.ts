import {foldCarried, type LostExport} from './carried-variables.js';
import {masked, type NodeOutcome, type RunEvent} from './events.js';
import {parseJsonOrNull, resultView, type NodeResultView} from './results.js';
import type {ResumePlan} from './run.js';

// What earlier attempts add to the run's totals in `run-end`.
export interface EarlierAttempts {
  // the first attempt's `run-start.startedAt`, when recorded
  readonly firstStartedAt?: string;
  // the earlier attempts' own durations, as their run-ends recorded them
  readonly recordedMs: number;
  // each node's latest outcome in an earlier attempt
  readonly outcomes: ReadonlyMap<string, NodeOutcome>;
}

const doneOutcomes: ReadonlySet<NodeOutcome> = new Set(['passed', 'allowed-failure', 'skipped', 'marked-done']);

export interface ResumeState {
  // to continue as the last attempt did
  readonly plan: ResumePlan;
  // the last attempt was a read-only rehearsal
  readonly rehearsal: boolean;
  // the first attempt of the rehearsal that goes on to the last one
  readonly rehearsalSince: number;
  // to go live after a rehearsal: every node from the first it skipped
  // because it mutates on is pending again, and what those nodes captured
  // no longer counts
  readonly livePlan: ResumePlan;
  // nodes the rehearsal skipped because they mutate, in run order
  readonly rehearsedNodes: readonly string[];
  // nodes that run again when it goes live: the first one it skipped because
  // it mutates and every node it played after that one, in run order
  readonly rerunNodes: readonly string[];
  // non-secret inputs as the earlier attempt resolved them
  readonly inputs: Readonly<Record<string, string>>;
  // secret captures cannot be restored: they were never written down
  readonly lostSecretCaptures: readonly string[];
  // the same, when going live
  readonly liveLostSecretCaptures: readonly string[];
  // secret variables shell blocks carried: never written down either
  readonly lostSecretExports: readonly LostExport[];
  readonly liveLostSecretExports: readonly LostExport[];
}

// What one finished node captured, in the order it happened.
interface Capture {
  readonly nodeId: string;
  readonly captures: Readonly<Record<string, string>>;
  readonly exports: Readonly<Record<string, string | null>>;
}

// Rebuilds what a run already did from its recorded events, without running
// anything: finished nodes, nodes that started and never ended, captures.
// `order` is the runbook's nodes in run order (document order, sub-steps
// included): going live from a rehearsal undoes everything from the first
// node it skipped because it mutates on, since the checks after it looked at
// a world without the change.
export function planResume(events: readonly RunEvent[], previousAttempt: number, order: readonly string[] = []): ResumeState {
  const position = new Map(order.map((id, index) => [id, index]));
  const completed = new Map<string, NodeResultView>();
  const started = new Set<string>();
  // node → index of the event that ended it, until it starts again
  const ended = new Map<string, number>();
  // node → index of its node-end when it was skipped because it mutates
  const rehearsed = new Map<string, number>();
  let captured: Capture[] = [];
  const inputs: Record<string, string> = {};
  let rehearsal = false;
  const outcomes = new Map<string, NodeOutcome>();
  let firstStartedAt: string | undefined;
  let recordedMs = 0;
  let since = 0;

  const sorted = (ids: Iterable<string>): string[] => [...ids].sort((a, b) => rank(a) - rank(b));
  const rank = (id: string): number => position.get(id) ?? order.length + (ended.get(id) ?? rehearsed.get(id) ?? 0);
  // what going live now undoes: nodes at or after the first rehearsed one in
  // run order, and (for nodes the runbook no longer has) anything that ended
  // after it
  const rerun = (): string[] => {
    if (rehearsed.size === 0) return [];
    const firstIndex = Math.min(...rehearsed.values());
    const positions = [...rehearsed.keys()].map((id) => position.get(id)).filter((at): at is number => at !== undefined);
    const firstPosition = positions.length === 0 ? Infinity : Math.min(...positions);
    return sorted([...ended].filter(([id, at]) => (position.get(id) ?? -1) >= firstPosition || at >= firstIndex).map(([id]) => id));
  };

  events.forEach((event, index) => {
    if (event.type === 'node-end') outcomes.set(event.nodeId, event.outcome);
    if (event.type === 'run-start' && firstStartedAt === undefined && event.attempt === 1) firstStartedAt = event.startedAt;
    if (event.type === 'run-end') recordedMs += event.durationMs;
    switch (event.type) {
      case 'run-start':
        // this attempt went live after a rehearsal: it undid what the
        // rehearsal did from its first skip on
        if (rehearsal && !event.readOnly) {
          const undone = new Set(rerun());
          for (const id of undone) {
            completed.delete(id);
            ended.delete(id);
          }
          captured = captured.filter((entry) => !undone.has(entry.nodeId));
          rehearsed.clear();
        }
        if (event.readOnly && !rehearsal) since = event.attempt;
        rehearsal = event.readOnly;
        break;
      case 'node-start':
        started.add(event.nodeId);
        completed.delete(event.nodeId);
        ended.delete(event.nodeId);
        rehearsed.delete(event.nodeId);
        break;
      case 'node-end': {
        started.delete(event.nodeId);
        ended.set(event.nodeId, index);
        if (event.rehearsed === true) rehearsed.set(event.nodeId, index);
        else rehearsed.delete(event.nodeId);
        if (!doneOutcomes.has(event.outcome)) {
          completed.delete(event.nodeId);
          break;
        }
        captured.push({nodeId: event.nodeId, captures: event.captures, exports: event.exports ?? {}});
        const stdout = Object.values(event.captures).find((value) => value !== masked) ?? event.http?.body ?? '';
        completed.set(event.nodeId, resultView(event.outcome, {
          exitCode: event.exitCode, durationMs: event.durationMs, stdout,
          http: event.http === undefined ? undefined : {status: event.http.status, headers: event.http.headers, json: parseJsonOrNull(event.http.body)},
        }));
        break;
      }
      case 'input':
        // a value the transcript holds masked, even in part, is not the value: it is asked for again
        if (!event.secret && !event.value.includes(masked)) inputs[event.name] = event.value;
        else delete inputs[event.name];
        break;
      default:
        break;
    }
  });

  const now = foldCaptures(captured);
  const carriedNow = foldCarried(captured);
  const plan: ResumePlan = {
    attempt: previousAttempt + 1, completed, unknown: started, captures: now.captures, carried: carriedNow.carried, history: events,
    earlier: {recordedMs, outcomes, ...(firstStartedAt === undefined ? {} : {firstStartedAt})},
  };
  const rerunNodes = rehearsal ? rerun() : [];
  const undone = new Set(rerunNodes);
  const live = foldCaptures(captured.filter((entry) => !undone.has(entry.nodeId)));
  const carriedLive = foldCarried(captured.filter((entry) => !undone.has(entry.nodeId)));
  return {
    plan,
    rehearsal,
    rehearsalSince: rehearsal ? since : 0,
    livePlan: {...plan, completed: new Map([...completed].filter(([id]) => !undone.has(id))), captures: live.captures, carried: carriedLive.carried},
    rehearsedNodes: sorted(rehearsed.keys()),
    rerunNodes,
    inputs,
    lostSecretCaptures: now.lost,
    liveLostSecretCaptures: live.lost,
    lostSecretExports: carriedNow.lost,
    liveLostSecretExports: carriedLive.lost,
  };
}

function foldCaptures(entries: readonly Capture[]): {captures: Record<string, string>; lost: string[]} {
  const captures: Record<string, string> = {};
  const lost = new Set<string>();
  for (const entry of entries) {
    for (const [name, value] of Object.entries(entry.captures)) {
      // masked whole (a secret capture) or in part (output that held a secret)
      if (value.includes(masked)) lost.add(name);
      else {
        captures[name] = value;
        lost.delete(name);
      }
    }
  }
  return {captures, lost: [...lost]};
}
