import type {NodeOutcome, RunTotal} from './events.js';
import {nodeOutcomes} from './outcomes.js';
import type {EarlierAttempts} from './resume-plan.js';

// How many nodes ended each way.
export function countOutcomes(outcomes: Iterable<NodeOutcome>): Record<NodeOutcome, number> {
  const counts = Object.fromEntries(nodeOutcomes.map((outcome) => [outcome, 0])) as Record<NodeOutcome, number>;
  for (const outcome of outcomes) counts[outcome] += 1;
  return counts;
}

export interface AttemptFigures {
  readonly attempt: number;
  // this attempt's own duration
  readonly durationMs: number;
  readonly startedAt: Date;
  // each node's latest outcome in this attempt
  readonly outcomes: ReadonlyMap<string, NodeOutcome>;
  readonly earlier?: EarlierAttempts;
  // epoch ms; defaults to now
  readonly now?: number;
}

// The run's figures over every attempt: wall time since the first attempt
// began (when a transcript does not record it, the sum of the attempts'
// recorded durations), and each node counted once, by its latest outcome.
export function runTotal(figures: AttemptFigures): RunTotal {
  const {earlier} = figures;
  const latest = new Map<string, NodeOutcome>(earlier?.outcomes ?? []);
  for (const [nodeId, outcome] of figures.outcomes) latest.set(nodeId, outcome);
  const counts = countOutcomes(latest.values());
  const firstStart = earlier?.firstStartedAt === undefined ? Number.NaN : Date.parse(earlier.firstStartedAt);
  const durationMs = earlier === undefined
    ? figures.durationMs
    : Number.isNaN(firstStart)
      ? earlier.recordedMs + figures.durationMs
      : Math.max(figures.durationMs, Math.round(figures.startedAt.getTime() + figures.durationMs - firstStart));
  return {attempts: figures.attempt, durationMs, counts};
}
