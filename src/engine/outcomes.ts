import type {NodeOutcome} from './events.js';

// What each way a node can end means, decided here once: the engine's
// results, conditions (`health.ok`), step marks, the run's counts, the
// reporters and the incident record all read this table.
export interface OutcomeTraits {
  // the node's work is done: it passed, or the operator declared it done
  readonly ok: boolean;
  // it ran and did not pass (allowed or not); what `.failed` is in conditions
  readonly failed: boolean;
  // a failure that fails its step and the run (not allowed, not interrupted)
  readonly fails: boolean;
  readonly skipped: boolean;
  // it ran, so it has a duration worth showing
  readonly ran: boolean;
  // the run's summary lists it as an exception: not done the way written
  readonly exception: boolean;
}

export const outcomeTraits: Readonly<Record<NodeOutcome, OutcomeTraits>> = {
  passed: {ok: true, failed: false, fails: false, skipped: false, ran: true, exception: false},
  'allowed-failure': {ok: false, failed: true, fails: false, skipped: false, ran: true, exception: true},
  failed: {ok: false, failed: true, fails: true, skipped: false, ran: true, exception: false},
  'timed-out': {ok: false, failed: true, fails: true, skipped: false, ran: true, exception: false},
  interrupted: {ok: false, failed: true, fails: false, skipped: false, ran: true, exception: false},
  skipped: {ok: false, failed: false, fails: false, skipped: true, ran: false, exception: true},
  'marked-done': {ok: true, failed: false, fails: false, skipped: false, ran: false, exception: true},
};

export const nodeOutcomes = Object.keys(outcomeTraits) as NodeOutcome[];

// A node's status is an outcome once it has ended.
export function isOutcome(status: string): status is NodeOutcome {
  return Object.hasOwn(outcomeTraits, status);
}
