import {autoOperator} from '../../src/engine/auto-operator.js';
import type {RunEvent} from '../../src/engine/events.js';
import type {Operator} from '../../src/engine/operator.js';
import {Redactor} from '../../src/engine/redaction.js';
import {startRun, type ResumePlan} from '../../src/engine/run.js';
import type {RunControls, RunResult} from '../../src/engine/session.js';
import {applyDefaults, resolveVariables, type VariableSources} from '../../src/engine/variables.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import type {Executor} from '../../src/executors/types.js';
import type {ExecutorKind} from '../../src/runbook/model.js';

export interface PlayedRun {
  readonly events: RunEvent[];
  readonly result: RunResult;
}

export interface PlayOptions {
  readonly operator?: Operator;
  readonly sources?: Partial<VariableSources>;
  readonly resume?: ResumePlan;
  readonly readOnly?: boolean;
  readonly cwd?: string;
  readonly secrets?: readonly string[];
  readonly onEvent?: (event: RunEvent, controls: RunControls) => void;
  // stands in for the real executors
  readonly executors?: (kind: ExecutorKind) => Executor;
}

// Parses Markdown and plays it with the real executors, recording events.
export async function play(markdown: string, options: PlayOptions = {}): Promise<PlayedRun> {
  const {runbook, diagnostics} = parseRunbook(markdown, 'test.md');
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) throw new Error(`test runbook has errors: ${JSON.stringify(errors)}`);
  const resolution = applyDefaults(resolveVariables(runbook, {set: {}, envFile: {}, environment: {}, ...options.sources}));
  const redactor = new Redactor(options.secrets ?? []);
  for (const variable of resolution.resolved) if (variable.secret) redactor.add(variable.value);
  const events: RunEvent[] = [];
  const live: {controls?: RunControls} = {};
  const handle = startRun({
    runbook, runId: 'run-test', sha256: 'sha', transcriptPath: '/dev/null',
    operator: options.operator ?? autoOperator,
    sinks: [{onEvent: (event) => {
      events.push(event);
      if (live.controls !== undefined) options.onEvent?.(event, live.controls);
    }}],
    variables: resolution.resolved,
    missingInputs: resolution.missing,
    extraEnv: {},
    processEnv: {PATH: process.env['PATH']},
    redactor,
    cwd: options.cwd ?? process.cwd(),
    readOnly: options.readOnly ?? false,
    ...(options.resume === undefined ? {} : {resume: options.resume}),
    ...(options.executors === undefined ? {} : {executors: options.executors}),
  });
  live.controls = handle.controls;
  const result = await handle.done;
  return {events, result};
}

// Event types with the ids that make them readable, for order assertions.
export function outline(events: readonly RunEvent[]): string[] {
  return events.map((event) => {
    switch (event.type) {
      case 'step-start':
      case 'step-end':
        return `${event.type} ${event.stepId}${event.type === 'step-end' ? ` ${event.status}` : ''}`;
      case 'node-start':
        return `node-start ${event.nodeId}#${event.attempt}`;
      case 'node-end':
        return `node-end ${event.nodeId}#${event.attempt} ${event.outcome}`;
      case 'output':
        return `output ${event.nodeId} ${event.stream} ${JSON.stringify(event.text)}`;
      case 'decision-asked':
      case 'decision-taken':
        return `${event.type} ${event.kind}${event.nodeId === undefined ? '' : ` ${event.nodeId}`}${event.type === 'decision-taken' ? ` ${event.decision} by ${event.by}` : ''}`;
      case 'input':
        return `input ${event.name}=${event.value} (${event.source})`;
      case 'run-end':
        return `run-end ${event.outcome}`;
      default:
        return event.type;
    }
  });
}
