import type {HttpResult} from '../executors/types.js';
import type {NodeOutcome} from './events.js';
import {outcomeTraits} from './outcomes.js';

// What later nodes can see of an earlier node: in `if=` conditions by id
// (`health.failed`, `health.json.status`) and in `{{health.response.body.$.x}}`.
export interface NodeResultView {
  readonly ok: boolean;
  readonly failed: boolean;
  readonly skipped: boolean;
  readonly outcome: NodeOutcome;
  readonly exitCode: number | null;
  // HTTP status for http nodes, 0 otherwise
  readonly status: number;
  readonly durationMs: number;
  readonly stdout: string;
  readonly json: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export function resultView(outcome: NodeOutcome, fields: {exitCode: number | null; durationMs: number; stdout: string; http?: Pick<HttpResult, 'status' | 'headers' | 'json'> | undefined}): NodeResultView {
  return {
    ok: outcomeTraits[outcome].ok,
    failed: outcomeTraits[outcome].failed,
    skipped: outcomeTraits[outcome].skipped,
    outcome,
    exitCode: fields.exitCode,
    status: fields.http?.status ?? 0,
    durationMs: fields.durationMs,
    stdout: fields.stdout,
    json: fields.http?.json ?? null,
    headers: fields.http?.headers ?? {},
  };
}

export function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
