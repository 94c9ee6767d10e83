import type {Runbook} from '../runbook/model.js';
import {allSteps, stepNodes} from '../runbook/walk.js';
import {nodeSettings} from './node-settings.js';
import {
  assertNever,
  type Decision,
  type DecisionKind,
  type HttpSummary,
  type InputEvent,
  type NodeOutcome,
  type RunEvent,
  type RunOutcome,
  type RunStartEvent,
  type ResolvedAction,
  type RunTotal,
} from './events.js';

// The state of a run folded from its events. The player, replay and resume
// all read it; it knows nothing about terminals, so a transcript can be
// replayed through the same reducer as a live run.

export type NodeStatus = 'pending' | 'running' | 'waiting' | 'unknown' | NodeOutcome;

// `rehearsed`: it ended, but a node of its own was skipped because it
// mutates and the attempt is a read-only rehearsal, so it is not done
export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'rehearsed' | 'failed' | 'skipped';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputLine {
  readonly text: string;
  // 'attempt' marks where a retry's output begins
  readonly stream: OutputStream | 'attempt';
}

// The last `limit` lines of a node's output. Versions share one append-only
// buffer (like Go slices): appending to the newest version writes in place,
// so folding a chunk costs its own lines, never a copy of what came before.
export interface OutputTail {
  readonly limit: number;
  // complete lines ever appended, kept or dropped
  readonly total: number;
  readonly buffer: OutputLine[];
  readonly start: number;
  readonly end: number;
  // text after the last newline of each stream, as received
  readonly partial: Readonly<Record<OutputStream, string>>;
}

export interface NodeResult {
  readonly outcome: NodeOutcome;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly httpStatus: number | null;
  readonly http?: HttpSummary;
  readonly durationMs: number;
  readonly captures: Readonly<Record<string, string>>;
  // what a shell block carried to later blocks (null: unset), secrets masked
  readonly exports?: Readonly<Record<string, string | null>>;
  readonly reason?: string;
  readonly outputCaptured: boolean;
  // skipped because it mutates, in a read-only rehearsal
  readonly rehearsed?: true;
  // processes it left running, ended when it ended
  readonly survivors?: readonly {readonly pid: number; readonly command: string}[];
}

export interface ChecklistItemState {
  readonly index: number;
  readonly text: string;
  readonly state: 'ticked' | 'not-applicable';
  readonly reason?: string;
}

export interface NodeState {
  readonly id: string;
  readonly stepId: string;
  readonly kind: 'exec' | 'checklist';
  readonly status: NodeStatus;
  // 0 until it first starts
  readonly attempt: number;
  // as written, variables by name
  readonly command: string;
  readonly mutates: boolean;
  readonly interactive: boolean;
  readonly startedAt: number | null;
  // the last attempt's result; kept while a failure decision is pending
  readonly result: NodeResult | null;
  readonly waitingFor: DecisionKind | null;
  readonly interruptRequested: boolean;
  readonly output: OutputTail;
  readonly checklist: readonly ChecklistItemState[];
  // what it acts on, resolved when it was last asked about or started
  readonly resolved?: ResolvedAction;
  // a failed attempt waiting for its retry; null otherwise
  readonly retryWait: RetryWait | null;
  // what changes how it runs, from the runbook (exec nodes)
  readonly behaviour?: NodeBehaviour;
  // the last decision taken about it, with its note (a mark-done's, a skip's reason)
  readonly decision: {readonly decision: Decision; readonly note?: string} | null;
}

export interface NodeBehaviour {
  readonly timeoutMs?: number;
  readonly retries: number;
  readonly intervalMs: number;
  readonly allowFailure: boolean;
  // its own `if=`
  readonly condition?: string;
}

export interface RetryWait {
  // the retry that comes next, of how many
  readonly retry: number;
  readonly of: number;
  readonly ms: number;
  // when it starts (epoch ms)
  readonly until: number;
}

export interface StepState {
  readonly id: string;
  readonly number: string | null;
  readonly title: string;
  readonly depth: number;
  readonly parentId: string | null;
  readonly nodeIds: readonly string[];
  readonly status: StepStatus;
  readonly startedAt: number | null;
  readonly durationMs: number | null;
  readonly reason?: string;
}

export interface PendingDecision {
  readonly kind: DecisionKind;
  readonly nodeId?: string;
  readonly stepId?: string;
  readonly prompt: string;
  readonly at: number | null;
}

export interface NoteEntry {
  readonly text: string;
  readonly nodeId?: string;
  // the step it was made in: the node's, else the step shown then
  readonly stepId?: string;
  readonly by: 'operator' | 'engine';
  readonly at: number | null;
}

export interface InputState {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
  readonly source: InputEvent['source'];
}

export interface RunEnd {
  readonly outcome: RunOutcome;
  readonly durationMs: number;
  readonly reason?: string;
  readonly counts: Readonly<Record<NodeOutcome, number>>;
  // over every attempt, when the run was resumed
  readonly total?: RunTotal;
  readonly at: number | null;
}

export interface RunState {
  readonly runbookPath: string;
  readonly title: string | null;
  readonly runId: string | null;
  readonly attempt: number;
  readonly resumed: boolean;
  readonly readOnly: boolean;
  readonly startedAt: number | null;
  readonly stepOrder: readonly string[];
  readonly steps: ReadonlyMap<string, StepState>;
  readonly nodes: ReadonlyMap<string, NodeState>;
  // the step last started: the one the player shows
  readonly currentStepId: string | null;
  // the node last started (running or just finished)
  readonly currentNodeId: string | null;
  readonly runningNodeId: string | null;
  readonly pending: PendingDecision | null;
  readonly inputs: readonly InputState[];
  readonly notes: readonly NoteEntry[];
  // the operator asked the run to stop; it ends as soon as it safely can
  readonly quitting: boolean;
  readonly end: RunEnd | null;
  readonly outputLimit: number;
}

export interface RunStateOptions {
  // lines of output kept per node
  readonly outputLimit?: number;
}

export const defaultOutputLimit = 200;
// A line longer than this is cut; the transcript keeps it whole.
export const maxLineLength = 2000;

export function initialRunState(runbook: Runbook, options: RunStateOptions = {}): RunState {
  const limit = options.outputLimit ?? defaultOutputLimit;
  const steps = new Map<string, StepState>();
  const nodes = new Map<string, NodeState>();
  const visit = (list: Runbook['steps'], parentId: string | null): void => {
    for (const step of list) {
      const own = stepNodes(step).filter((node) => node.kind !== 'display');
      steps.set(step.id, {
        id: step.id, number: step.number, title: step.title, depth: step.depth, parentId,
        nodeIds: own.map((node) => node.id), status: 'pending', startedAt: null, durationMs: null,
      });
      for (const node of own) {
        const settings = node.kind === 'exec' ? nodeSettings(runbook, step, node) : undefined;
        const condition = node.attributes.if;
        nodes.set(node.id, {
          ...newNode(node.id, step.id, limit),
          kind: node.kind === 'checklist' ? 'checklist' : 'exec',
          command: node.kind === 'exec' ? node.code : '',
          mutates: settings?.mutates === true,
          interactive: node.kind === 'exec' && node.attributes.interactive === true,
          ...(settings === undefined ? {} : {behaviour: {
            ...(settings.timeoutMs === undefined ? {} : {timeoutMs: settings.timeoutMs}),
            retries: settings.retries, intervalMs: settings.intervalMs, allowFailure: settings.allowFailure,
            ...(condition === undefined ? {} : {condition}),
          }}),
        });
      }
      visit(step.steps, step.id);
    }
  };
  visit(runbook.steps, null);
  return {
    runbookPath: runbook.path, title: runbook.title, runId: null, attempt: 0, resumed: false, readOnly: false, startedAt: null,
    stepOrder: allSteps(runbook).map((step) => step.id), steps, nodes,
    currentStepId: null, currentNodeId: null, runningNodeId: null, pending: null,
    inputs: [], notes: [], quitting: false, end: null, outputLimit: limit,
  };
}

function newNode(id: string, stepId: string, limit: number): NodeState {
  return {
    id, stepId, kind: 'exec', status: 'pending', attempt: 0, command: '', mutates: false, interactive: false,
    startedAt: null, result: null, waitingFor: null, interruptRequested: false, output: emptyTail(limit), checklist: [], retryWait: null, decision: null,
  };
}

// Folds one event into the state. `at` is when it happened (epoch ms), when known.
export function reduceRunEvent(state: RunState, event: RunEvent, at?: number): RunState {
  const time = at ?? null;
  switch (event.type) {
    case 'run-start':
      return startRun(state, event, time);
    case 'input': {
      const inputs = [...state.inputs.filter((input) => input.name !== event.name), {name: event.name, value: event.value, secret: event.secret, source: event.source}];
      return {...state, inputs, pending: state.pending?.kind === 'input' ? null : state.pending};
    }
    case 'step-start':
      return {
        ...state,
        currentStepId: event.stepId,
        steps: updateStep(state, event.stepId, (step) => ({...withoutReason(step), status: 'running', startedAt: time, durationMs: null})),
      };
    case 'step-end':
      return {
        ...state,
        steps: updateStep(state, event.stepId, (step) => ({
          ...withoutReason(step),
          status: event.status === 'done' && hasRehearsedNode(state, step) ? 'rehearsed' : event.status,
          durationMs: event.durationMs ?? (step.startedAt !== null && time !== null ? time - step.startedAt : sumDurations(state, step)),
          ...(event.reason === undefined ? {} : {reason: event.reason}),
        })),
      };
    case 'node-start': {
      const steps = updateStep(state, event.stepId, (step) => (step.status === 'waiting' || step.status === 'pending' ? {...step, status: 'running'} : step));
      const nodes = updateNode(state, event.nodeId, event.stepId, (node) => ({
        ...node,
        status: 'running', attempt: event.attempt, command: event.command, mutates: event.mutates, interactive: event.interactive,
        startedAt: time, waitingFor: null, interruptRequested: false, retryWait: null,
        ...(event.resolved === undefined ? {} : {resolved: event.resolved}),
        output: node.output.total > 0 || hasPartial(node.output) ? markAttempt(node.output, event.attempt) : node.output,
      }));
      const pending = state.pending?.nodeId === event.nodeId ? null : state.pending;
      return {...state, steps, nodes, pending, currentNodeId: event.nodeId, runningNodeId: event.nodeId};
    }
    case 'output':
      return {...state, nodes: updateNode(state, event.nodeId, null, (node) => ({...node, output: appendOutput(node.output, event.stream, event.text)}))};
    case 'node-end': {
      const nodes = updateNode(state, event.nodeId, event.stepId, (node) => ({
        ...node,
        status: event.outcome, attempt: Math.max(node.attempt, event.attempt), waitingFor: null, interruptRequested: false,
        output: closeTail(node.output),
        result: {
          outcome: event.outcome, exitCode: event.exitCode, signal: event.signal, httpStatus: event.http?.status ?? null,
          ...(event.http === undefined ? {} : {http: event.http}),
          durationMs: event.durationMs, captures: event.captures,
          ...(event.exports === undefined ? {} : {exports: event.exports}),
          ...(event.reason === undefined ? {} : {reason: event.reason}),
          outputCaptured: event.outputCaptured,
          ...(event.rehearsed === true ? {rehearsed: true} : {}),
          ...(event.survivors === undefined ? {} : {survivors: event.survivors}),
        },
      }));
      return {...state, nodes, runningNodeId: state.runningNodeId === event.nodeId ? null : state.runningNodeId};
    }
    case 'decision-asked': {
      const pending: PendingDecision = {
        kind: event.kind, prompt: event.prompt, at: time,
        ...(event.nodeId === undefined ? {} : {nodeId: event.nodeId}),
        ...(event.stepId === undefined ? {} : {stepId: event.stepId}),
      };
      const nodes = event.nodeId === undefined ? state.nodes : updateNode(state, event.nodeId, event.stepId ?? null, (node) => ({
        ...node, status: 'waiting', waitingFor: event.kind, retryWait: null,
        ...(event.resolved === undefined ? {} : {resolved: event.resolved}),
      }));
      const steps = event.stepId === undefined ? state.steps : updateStep(state, event.stepId, (step) => ({...step, status: 'waiting'}));
      return {...state, pending, nodes, steps};
    }
    case 'decision-taken': {
      const nodes = event.nodeId === undefined ? state.nodes : updateNode(state, event.nodeId, event.stepId ?? null, (node) => ({
        ...node,
        status: node.status === 'waiting' ? statusBeforeDecision(node) : node.status,
        waitingFor: null,
        decision: {decision: event.decision, ...(event.note === undefined ? {} : {note: event.note})},
        checklist: event.items === undefined ? node.checklist : event.items.map((item) => ({
          index: item.index, text: item.text, state: item.state, ...(item.reason === undefined ? {} : {reason: item.reason}),
        })),
      }));
      const steps = event.stepId === undefined ? state.steps : updateStep(state, event.stepId, (step) => (step.status === 'waiting' ? {...step, status: 'running'} : step));
      return {...state, nodes, steps, pending: state.pending?.kind === event.kind ? null : state.pending};
    }
    case 'retry-wait': {
      const until = Date.parse(event.until);
      const retryWait: RetryWait = {retry: event.attempt, of: event.of, ms: event.ms, until: Number.isNaN(until) ? (time ?? 0) + event.ms : until};
      return {...state, nodes: updateNode(state, event.nodeId, event.stepId, (node) => ({...node, retryWait}))};
    }
    case 'note': {
      const stepId = (event.nodeId === undefined ? undefined : state.nodes.get(event.nodeId)?.stepId) ?? state.currentStepId ?? undefined;
      const note: NoteEntry = {
        text: event.text, by: event.by, at: time,
        ...(event.nodeId === undefined ? {} : {nodeId: event.nodeId}),
        ...(stepId === undefined ? {} : {stepId}),
      };
      return {...state, notes: [...state.notes, note]};
    }
    case 'interrupt':
      if (event.scope === 'run') return {...state, quitting: true};
      if (event.nodeId === undefined) return state;
      return {...state, nodes: updateNode(state, event.nodeId, null, (node) => ({...node, interruptRequested: true}))};
    case 'run-end':
      return {
        ...settle(state, event.outcome === 'failed' ? 'failed' : 'pending'),
        runningNodeId: null,
        pending: null,
        end: {
          outcome: event.outcome, durationMs: event.durationMs, counts: event.counts, at: time,
          ...(event.reason === undefined ? {} : {reason: event.reason}),
          ...(event.total === undefined || event.total.attempts < 2 ? {} : {total: event.total}),
        },
      };
    default:
      return assertNever(event);
  }
}

// Folds many events at once; consecutive output of one node is appended in
// one go, so a burst of chunks costs one node update. `times[i]` is when
// `events[i]` happened, when known.
export function reduceRunEvents(state: RunState, events: readonly RunEvent[], times: readonly (number | null)[] = []): RunState {
  let next = state;
  let index = 0;
  while (index < events.length) {
    const event = events[index] as RunEvent;
    const node = event.type === 'output' ? next.nodes.get(event.nodeId) : undefined;
    if (event.type !== 'output' || node === undefined) {
      next = reduceRunEvent(next, event, times[index] ?? undefined);
      index += 1;
      continue;
    }
    let output = node.output;
    while (index < events.length) {
      const chunk = events[index] as RunEvent;
      if (chunk.type !== 'output' || chunk.nodeId !== event.nodeId) break;
      output = appendOutput(output, chunk.stream, chunk.text);
      index += 1;
    }
    const nodes = new Map(next.nodes);
    nodes.set(event.nodeId, {...node, output});
    next = {...next, nodes};
  }
  return next;
}

function startRun(state: RunState, event: RunStartEvent, time: number | null): RunState {
  // An earlier attempt's events came first: what was running then is unknown
  // now, and unfinished steps wait to be played again.
  const resumed = event.resumed ? settle(state, 'pending', 'unknown') : state;
  const settled = event.resumed && state.readOnly && !event.readOnly ? rehearsalUndone(resumed) : resumed;
  return {
    ...settled,
    title: event.title, runbookPath: event.runbookPath, runId: event.runId, attempt: event.attempt,
    resumed: event.resumed, readOnly: event.readOnly, startedAt: time,
    runningNodeId: null, pending: null, quitting: false, end: null,
  };
}

// Closes what an attempt left open when it ended: waiting nodes go back to
// what they were, running nodes take `running`, and open steps become done
// when their own nodes are, failed when one failed, else `open`.
function settle(state: RunState, open: 'pending' | 'failed', running: NodeStatus = 'interrupted'): RunState {
  let nodes: Map<string, NodeState> | undefined;
  for (const node of state.nodes.values()) {
    if (node.retryWait !== null && node.status !== 'running' && node.status !== 'waiting') {
      nodes ??= new Map(state.nodes);
      nodes.set(node.id, {...node, retryWait: null});
      continue;
    }
    if (node.status !== 'running' && node.status !== 'waiting') continue;
    nodes ??= new Map(state.nodes);
    nodes.set(node.id, {...node, status: node.status === 'running' ? running : statusBeforeDecision(node), waitingFor: null, interruptRequested: false, retryWait: null, output: closeTail(node.output)});
  }
  const allNodes = nodes ?? state.nodes;
  let steps: Map<string, StepState> | undefined;
  for (const step of state.steps.values()) {
    if (step.status !== 'running' && step.status !== 'waiting') continue;
    steps ??= new Map(state.steps);
    const own = step.nodeIds.map((id) => allNodes.get(id)?.status ?? 'pending');
    const status: StepStatus = own.some(isFailure) ? 'failed' : own.length > 0 && own.every(isDone) ? (hasRehearsedNode(state, step) ? 'rehearsed' : 'done') : open;
    steps.set(step.id, {...step, status});
  }
  return {...state, nodes: allNodes, steps: steps ?? state.steps};
}

// A step is rehearsed, not done, when one of its nodes was skipped because it
// mutates, or one of its sub-steps (which end before it) is rehearsed.
function hasRehearsedNode(state: RunState, step: StepState): boolean {
  if (step.nodeIds.some((id) => state.nodes.get(id)?.result?.rehearsed === true)) return true;
  for (const child of state.steps.values()) if (child.parentId === step.id && child.status === 'rehearsed') return true;
  return false;
}

// What a live attempt after a rehearsal plays again: every node from the
// first one the rehearsal skipped because it mutates on (in run order, which
// is the order of `nodes`) that has a result, checks and checklists
// included, since they looked at a world without the change; and the steps
// that hold them — their own nodes, or, for a step with no nodes of its own,
// its sub-steps'. A node still `unknown` (or running when the attempt
// ended) is asked about, as on any resume.
export function rehearsalRerun(state: RunState): {readonly nodeIds: readonly string[]; readonly stepIds: readonly string[]} {
  const nodeIds: string[] = [];
  let reached = false;
  for (const node of state.nodes.values()) {
    reached ||= node.result?.rehearsed === true;
    const unknown = node.status === 'unknown' || node.status === 'running' || node.waitingFor === 'unknown';
    if (reached && node.result !== null && !unknown) nodeIds.push(node.id);
  }
  const undone = new Set(nodeIds);
  const steps = new Set<string>();
  for (const step of state.steps.values()) {
    if (!step.nodeIds.some((id) => undone.has(id))) continue;
    steps.add(step.id);
    for (let parent = step.parentId; parent !== null;) {
      const above = state.steps.get(parent);
      if (above === undefined) break;
      if (above.nodeIds.length === 0) steps.add(above.id);
      parent = above.parentId;
    }
  }
  return {nodeIds, stepIds: state.stepOrder.filter((id) => steps.has(id))};
}

// A live attempt after a rehearsal plays again what `rehearsalRerun` says:
// those nodes and steps are pending again, their rehearsal results gone.
function rehearsalUndone(state: RunState): RunState {
  const {nodeIds, stepIds} = rehearsalRerun(state);
  const nodes = new Map(state.nodes);
  for (const id of nodeIds) {
    const node = state.nodes.get(id);
    if (node !== undefined) nodes.set(id, {...node, status: 'pending', result: null, checklist: [], decision: null});
  }
  const steps = new Map(state.steps);
  for (const id of stepIds) {
    const step = state.steps.get(id);
    if (step !== undefined) steps.set(id, {...withoutReason(step), status: 'pending', startedAt: null, durationMs: null});
  }
  return {...state, nodes, steps};
}

function statusBeforeDecision(node: NodeState): NodeStatus {
  if (node.result !== null) return node.result.outcome;
  return node.waitingFor === 'unknown' ? 'unknown' : 'pending';
}

export function isDone(status: NodeStatus): boolean {
  return status === 'passed' || status === 'allowed-failure' || status === 'skipped' || status === 'marked-done';
}

export function isFailure(status: NodeStatus): boolean {
  return status === 'failed' || status === 'timed-out' || status === 'interrupted';
}

function sumDurations(state: RunState, step: StepState): number {
  let total = 0;
  for (const id of step.nodeIds) total += state.nodes.get(id)?.result?.durationMs ?? 0;
  return total;
}

function withoutReason(step: StepState): StepState {
  if (step.reason === undefined) return step;
  const {reason: _reason, ...rest} = step;
  return rest;
}

function updateStep(state: RunState, stepId: string, change: (step: StepState) => StepState): ReadonlyMap<string, StepState> {
  const step = state.steps.get(stepId);
  if (step === undefined) return state.steps;
  const steps = new Map(state.steps);
  steps.set(stepId, change(step));
  return steps;
}

// Events may name nodes the runbook does not have (a transcript of an
// edited runbook): they get an entry of their own instead of being lost.
function updateNode(state: RunState, nodeId: string, stepId: string | null, change: (node: NodeState) => NodeState): ReadonlyMap<string, NodeState> {
  const node = state.nodes.get(nodeId) ?? newNode(nodeId, stepId ?? '', state.outputLimit);
  const nodes = new Map(state.nodes);
  nodes.set(nodeId, change(node));
  return nodes;
}

// --- output tails ---------------------------------------------------------

export function emptyTail(limit: number = defaultOutputLimit): OutputTail {
  return {limit: Math.max(1, limit), total: 0, buffer: [], start: 0, end: 0, partial: {stdout: '', stderr: ''}};
}

// Appends a chunk of one stream: complete lines are kept (the last `limit`),
// the rest waits for its newline. A carriage return keeps what was written
// after it, as a terminal would show a progress line.
export function appendOutput(tail: OutputTail, stream: OutputStream, text: string): OutputTail {
  if (text === '') return tail;
  const parts = (tail.partial[stream] + text).split('\n');
  let rest = overwrittenPrefixRemoved(parts.pop() ?? '');
  const complete: OutputLine[] = parts.map((raw) => ({text: cleanLine(raw), stream}));
  while (rest.length > maxLineLength * 2) {
    complete.push({text: cleanLine(rest.slice(0, maxLineLength)), stream});
    rest = rest.slice(maxLineLength);
  }
  const next = complete.length === 0 ? tail : pushLines(tail, complete);
  return withPartial(next, stream, rest);
}

// Commits text still waiting for a newline, as when the node ends.
export function closeTail(tail: OutputTail): OutputTail {
  let next = tail;
  for (const stream of ['stdout', 'stderr'] as const) {
    const rest = tail.partial[stream];
    if (rest === '') continue;
    next = withPartial(pushLines(next, [{text: cleanLine(rest), stream}]), stream, '');
  }
  return next;
}

function markAttempt(tail: OutputTail, attempt: number): OutputTail {
  return pushLines(closeTail(tail), [{text: `attempt ${attempt}`, stream: 'attempt'}]);
}

function hasPartial(tail: OutputTail): boolean {
  return tail.partial.stdout !== '' || tail.partial.stderr !== '';
}

function pushLines(tail: OutputTail, lines: readonly OutputLine[]): OutputTail {
  let {buffer, start, end} = tail;
  if (end !== buffer.length) {
    // an older version is being extended: copy, so newer versions stay as they were
    buffer = buffer.slice(start, end);
    end -= start;
    start = 0;
  }
  const {limit} = tail;
  for (const line of lines.length > limit ? lines.slice(lines.length - limit) : lines) buffer.push(line);
  end += Math.min(lines.length, limit);
  if (end - start > limit) start = end - limit;
  if (start >= limit) {
    buffer = buffer.slice(start, end);
    end -= start;
    start = 0;
  }
  return {limit, total: tail.total + lines.length, buffer, start, end, partial: tail.partial};
}

// Built field by field: spreads with computed keys make slow dictionary objects.
function withPartial(tail: OutputTail, stream: OutputStream, text: string): OutputTail {
  const partial = stream === 'stdout' ? {stdout: text, stderr: tail.partial.stderr} : {stdout: tail.partial.stdout, stderr: text};
  return {limit: tail.limit, total: tail.total, buffer: tail.buffer, start: tail.start, end: tail.end, partial};
}

// Lines kept, then text still waiting for its newline.
export function tailLength(tail: OutputTail): number {
  return tail.end - tail.start + (tail.partial.stdout === '' ? 0 : 1) + (tail.partial.stderr === '' ? 0 : 1);
}

export function tailLine(tail: OutputTail, index: number): OutputLine | undefined {
  const kept = tail.end - tail.start;
  if (index < 0) return undefined;
  if (index < kept) return tail.buffer[tail.start + index];
  const partials: OutputLine[] = [];
  if (tail.partial.stdout !== '') partials.push({text: cleanLine(tail.partial.stdout), stream: 'stdout'});
  if (tail.partial.stderr !== '') partials.push({text: cleanLine(tail.partial.stderr), stream: 'stderr'});
  return partials[index - kept];
}

// The last `count` lines (fewer when there are fewer).
export function lastLines(tail: OutputTail, count: number): OutputLine[] {
  const length = tailLength(tail);
  const out: OutputLine[] = [];
  for (let index = Math.max(0, length - count); index < length; index += 1) {
    const line = tailLine(tail, index);
    if (line !== undefined) out.push(line);
  }
  return out;
}

// Complete lines no longer kept in memory (the transcript has them).
export function droppedLines(tail: OutputTail): number {
  return tail.total - (tail.end - tail.start);
}

function overwrittenPrefixRemoved(text: string): string {
  if (text.length < 2) return text;
  const carriage = text.lastIndexOf('\r', text.length - 2);
  return carriage === -1 ? text : text.slice(carriage + 1);
}

// A line as a terminal leaves it: a carriage return keeps what was written
// after it (a progress bar's last state). Escape sequences and other
// controls stay as they came: each view decides how to show them
// (src/text/terminal-text.ts), as the engine knows nothing of terminals.
export function cleanLine(raw: string): string {
  const line = raw.includes('\r') ? overwrittenPrefixRemoved(raw.endsWith('\r') ? raw.slice(0, -1) : raw).replace(/\r/g, '') : raw;
  return line.length > maxLineLength ? `${line.slice(0, maxLineLength - 1)}…` : line;
}
