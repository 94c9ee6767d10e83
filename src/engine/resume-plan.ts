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
  // to go live after a rehearsal: nodes it skipped because they mutate are
  // pending again, never taken as done
  readonly livePlan: ResumePlan;
  readonly rehearsedNodes: readonly string[];
  // non-secret inputs as the earlier attempt resolved them
  readonly inputs: Readonly<Record<string, string>>;
  // secret captures cannot be restored: they were never written down
  readonly lostSecretCaptures: readonly string[];
}

// Rebuilds what a run already did from its recorded events, without running
// anything: finished nodes, nodes that started and never ended, captures.
export function planResume(events: readonly RunEvent[], previousAttempt: number): ResumeState {
  const completed = new Map<string, NodeResultView>();
  const started = new Set<string>();
  const captures: Record<string, string> = {};
  const lost = new Set<string>();
  const inputs: Record<string, string> = {};
  const rehearsed = new Set<string>();
  let rehearsal = false;
  const outcomes = new Map<string, NodeOutcome>();
  let firstStartedAt: string | undefined;
  let recordedMs = 0;
  for (const event of events) {
    if (event.type === 'node-end') outcomes.set(event.nodeId, event.outcome);
    if (event.type === 'run-start' && firstStartedAt === undefined && event.attempt === 1) firstStartedAt = event.startedAt;
    if (event.type === 'run-end') recordedMs += event.durationMs;
    switch (event.type) {
      case 'run-start':
        rehearsal = event.readOnly;
        break;
      case 'node-start':
        started.add(event.nodeId);
        completed.delete(event.nodeId);
        rehearsed.delete(event.nodeId);
        break;
      case 'node-end': {
        started.delete(event.nodeId);
        if (event.rehearsed === true) rehearsed.add(event.nodeId);
        else rehearsed.delete(event.nodeId);
        if (!doneOutcomes.has(event.outcome)) {
          completed.delete(event.nodeId);
          break;
        }
        for (const [name, value] of Object.entries(event.captures)) {
          if (value === masked) lost.add(name);
          else {
            captures[name] = value;
            lost.delete(name);
          }
        }
        const stdout = Object.values(event.captures).find((value) => value !== masked) ?? event.http?.body ?? '';
        completed.set(event.nodeId, resultView(event.outcome, {
          exitCode: event.exitCode, durationMs: event.durationMs, stdout,
          http: event.http === undefined ? undefined : {status: event.http.status, headers: event.http.headers, json: parseJsonOrNull(event.http.body)},
        }));
        break;
      }
      case 'input':
        if (!event.secret) inputs[event.name] = event.value;
        break;
      default:
        break;
    }
  }
  const plan: ResumePlan = {
    attempt: previousAttempt + 1, completed, unknown: started, captures, history: events,
    earlier: {recordedMs, outcomes, ...(firstStartedAt === undefined ? {} : {firstStartedAt})},
  };
  const live = new Map([...completed].filter(([id]) => !rehearsed.has(id)));
  return {
    plan,
    rehearsal,
    livePlan: {...plan, completed: live},
    rehearsedNodes: [...rehearsed],
    inputs,
    lostSecretCaptures: [...lost],
  };
}
