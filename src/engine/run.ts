import {shellFactsOf} from '../runbook/node-script.js';
import {setTimeout as sleep} from 'node:timers/promises';
import {executorFor} from '../executors/registry.js';
import {captureLimit, type ExecutionResult, type Executor, type HttpResult} from '../executors/types.js';
import {evaluateCondition, isConditionName} from '../runbook/condition.js';
import {frontmatterTypes} from '../runbook/condition-types.js';
import {validateInputValue} from '../runbook/frontmatter.js';
import type {ChecklistNode, ExecNode, ExecutorKind, InputSpec, Runbook, Step} from '../runbook/model.js';
import {celValue, typeNouns, type VariableType} from '../runbook/value-types.js';
import {dollarVariablePattern} from '../runbook/templates.js';
import {allNodes, stepNodes} from '../runbook/walk.js';
import {carriesExports} from '../runbook/carried-names.js';
import {carriedUpdate} from './carried-variables.js';
import {masked, type HttpSummary, type NodeOutcome, type RunEvent, type RunOutcome} from './events.js';
import {endRunProcesses} from './left-running.js';
import {nodeSettings} from './node-settings.js';
import {workingDirectory} from './working-directory.js';
import type {Operator, Stop, StopFailed} from './operator.js';
import {HeldOutput, heldOutputLimit} from './held-output.js';
import type {Redactor} from './redaction.js';
import {resultView, type NodeResultView} from './results.js';
import type {EarlierAttempts} from './resume-plan.js';
import {countOutcomes, runTotal} from './run-total.js';
import type {RunControls, RunHandle, RunResult} from './session.js';
import type {EventSink} from './sink.js';
import {resolvedCommand} from './resolved-command.js';
import {runText} from '../runbook/node-text.js';
import {resolveTemplateExpression} from './template-values.js';
import {resolvedAction} from './resolved-action.js';
import type {ResolvedVariable} from './variables.js';

// What an earlier attempt of this run already did, rebuilt from its transcript.
export interface ResumePlan {
  readonly attempt: number;
  // nodes whose work is done: passed, allowed to fail, skipped, marked done
  readonly completed: ReadonlyMap<string, NodeResultView>;
  // nodes that started and never ended: the operator decides
  readonly unknown: ReadonlySet<string>;
  readonly captures: Readonly<Record<string, string>>;
  // variables shell blocks carried (null: unset), secrets left out
  readonly carried?: Readonly<Record<string, string | null>>;
  // the earlier events, shown again by sinks that implement `onReplay`
  readonly history: readonly RunEvent[];
  // what resuming found worth telling (a stale lock, a torn line, …)
  readonly notes?: readonly string[];
  // what earlier attempts add to the run's totals
  readonly earlier?: EarlierAttempts;
}

// Who plays this attempt, where and how; recorded in `run-start`.
export interface Invocation {
  readonly operator: string;
  readonly user: string;
  readonly host: string;
  // secret values already masked
  readonly argv: readonly string[];
}

export interface RunOptions {
  readonly runbook: Runbook;
  readonly runId: string;
  readonly sha256: string;
  readonly transcriptPath: string;
  readonly operator: Operator;
  readonly sinks: readonly EventSink[];
  readonly variables: readonly ResolvedVariable[];
  // inputs with no value yet, asked from the operator before the first step
  readonly missingInputs?: readonly InputSpec[];
  readonly extraEnv: Readonly<Record<string, string>>;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly redactor: Redactor;
  readonly cwd: string;
  readonly readOnly: boolean;
  // ask the operator before every exec node, not only at `confirm` gates
  readonly stepwise?: boolean;
  readonly resume?: ResumePlan;
  readonly executors?: (kind: ExecutorKind) => Executor;
  readonly invocation?: Invocation;
}

export const exitCodeFor: Record<RunOutcome, number> = {passed: 0, failed: 1, aborted: 1, interrupted: 130};

type Guard = {readonly verdict: 'run' | 'mark-done' | 'stop'} | {readonly verdict: 'skip'; readonly reason: string};

class StopRun {
  constructor(readonly outcome: RunOutcome, readonly reason: string) {}
}

// Starts a run; events reach every sink, in order, before the engine goes on.
export function startRun(options: RunOptions): RunHandle {
  const run = new Run(options);
  return {controls: run.controls, done: run.execute()};
}

class Run {
  readonly #options: RunOptions;
  readonly #variables = new Map<string, string>();
  // the declared type of variables and captures that have one: conditions
  // see their values as CEL ints, doubles, bools and durations
  readonly #types = new Map<string, VariableType>();
  readonly #secretNames = new Set<string>();
  // variables of the environment a shell block unset: later nodes go without
  readonly #unset = new Set<string>();
  // what the runbook declares and the run was given (`env`, `inputs`, `--set`…):
  // a shell block's export does not change them
  readonly #given = new Set<string>();
  // occurrences of secrets masked in the output of the node attempt that ran last
  #maskedInOutput = 0;
  readonly #results = new Map<string, NodeResultView>();
  // each node's latest outcome in this attempt, for the run-end summary
  readonly #outcomes = new Map<string, NodeOutcome>();
  readonly #started = performance.now();
  readonly #startedAt = new Date();
  // when each step of this attempt started, for its recorded duration
  readonly #stepStarts = new Map<string, number>();
  // a sink that failed while a node ran; raised at the next event
  #sinkFailure: unknown;
  #nodeAbort: AbortController | undefined;
  // set while a failed node waits for its retry: Ctrl-C stops the wait
  #retryWait: {readonly nodeId: string; readonly stop: () => void} | undefined;
  #runningNodeId: string | undefined;
  #quitting = false;
  // set when the run stops at a decision without throwing: `aborted` is final
  #stopped: {readonly outcome: 'failed' | 'aborted'; readonly reason?: string} | undefined;
  #quitWaiters = new Set<() => void>();
  // placeholder inputs with no value yet (`<node-name>`): asked before the
  // first node that uses them, not before the first step
  readonly #placeholderInputs = new Map<string, InputSpec>();

  readonly controls: RunControls = {
    note: (text, nodeId) => this.#emit({type: 'note', text: this.#options.redactor.redact(text), by: 'operator', ...(nodeId === undefined ? {} : {nodeId})}),
    interruptNode: () => {
      const waiting = this.#retryWait;
      if (waiting !== undefined) {
        this.#emit({type: 'interrupt', scope: 'node', nodeId: waiting.nodeId});
        waiting.stop();
        return;
      }
      if (this.#nodeAbort === undefined) return;
      this.#emit({type: 'interrupt', scope: 'node', ...(this.#runningNodeId === undefined ? {} : {nodeId: this.#runningNodeId})});
      this.#nodeAbort.abort();
    },
    quit: () => {
      if (this.#quitting) return;
      this.#quitting = true;
      this.#emit({type: 'interrupt', scope: 'run', ...(this.#runningNodeId === undefined ? {} : {nodeId: this.#runningNodeId})});
      this.#nodeAbort?.abort();
      for (const wake of this.#quitWaiters) wake();
    },
  };

  constructor(options: RunOptions) {
    this.#options = options;
    for (const [name, type] of frontmatterTypes(options.runbook.frontmatter)) this.#types.set(name, type);
    for (const variable of options.variables) this.#setVariable(variable.name, variable.value, variable.secret);
    for (const name of [...Object.keys(options.runbook.frontmatter.env), ...Object.keys(options.runbook.frontmatter.inputs), ...options.variables.map((variable) => variable.name)]) this.#given.add(name);
    for (const [name, value] of Object.entries(options.resume?.carried ?? {})) this.#carry(name, value, false);
    for (const [name, value] of Object.entries(options.resume?.captures ?? {})) this.#variables.set(name, value);
    for (const node of allNodes(options.runbook)) {
      const {capture, captureType} = node.attributes;
      const value = capture === undefined ? undefined : options.resume?.captures[capture];
      if (capture !== undefined && captureType !== undefined && value !== undefined && celValue(captureType, value) !== undefined) this.#types.set(capture, captureType);
    }
    for (const [id, view] of options.resume?.completed ?? []) this.#results.set(id, view);
  }

  async execute(): Promise<RunResult> {
    const {runbook, runId, sha256, resume} = this.#options;
    for (const event of resume?.history ?? []) {
      for (const sink of this.#options.sinks) sink.onReplay?.(event);
    }
    this.#emit({
      type: 'run-start', runId, runbookPath: runbook.path, title: runbook.title, sha256,
      attempt: resume?.attempt ?? 1, resumed: resume !== undefined, readOnly: this.#options.readOnly,
      startedAt: this.#startedAt.toISOString(),
      ...(this.#options.invocation === undefined ? {} : {...this.#options.invocation, argv: this.#options.redactor.redactValue(this.#options.invocation.argv)}),
    });
    for (const text of resume?.notes ?? []) this.#emit({type: 'note', by: 'engine', text});
    if (resume !== undefined) await this.#endLeftRunning('still running from an earlier attempt, ended before anything reruns', resume.completed);
    let outcome: RunOutcome = 'passed';
    let reason: string | undefined;
    try {
      for (const variable of this.#options.variables) {
        this.#emit({type: 'input', name: variable.name, value: variable.secret ? masked : this.#options.redactor.redact(variable.value), secret: variable.secret, source: variable.source});
      }
      await this.#askMissingInputs();
      const failed = await this.#runSteps(runbook.steps);
      if (failed) {
        outcome = this.#stopped?.outcome ?? 'failed';
        reason = this.#stopped?.reason;
      }
    } catch (error) {
      if (!(error instanceof StopRun)) throw error;
      outcome = error.outcome;
      reason = error.reason;
    }
    if (this.#quitting && outcome !== 'failed' && outcome !== 'aborted') {
      outcome = 'interrupted';
      reason ??= 'stopped by the operator';
    }
    await this.#endLeftRunning('left running until the end of the run, ended');
    const durationMs = Math.round(performance.now() - this.#started);
    const total = runTotal({attempt: resume?.attempt ?? 1, durationMs, startedAt: this.#startedAt, outcomes: this.#outcomes, ...(resume?.earlier === undefined ? {} : {earlier: resume.earlier})});
    this.#emit({type: 'run-end', outcome, durationMs, ...(reason === undefined ? {} : {reason}), counts: countOutcomes(this.#outcomes.values()), total});
    return {outcome, runId, transcriptPath: this.#options.transcriptPath, exitCode: exitCodeFor[outcome]};
  }

  #emit(event: RunEvent): void {
    if (this.#sinkFailure !== undefined) throw this.#sinkFailure;
    if (event.type === 'step-start') this.#stepStarts.set(event.stepId, performance.now());
    if (event.type === 'step-end' && event.durationMs === undefined) {
      const started = this.#stepStarts.get(event.stepId);
      if (started !== undefined) event = {...event, durationMs: Math.round(performance.now() - started)};
    }
    for (const sink of this.#options.sinks) sink.onEvent(event);
  }

  async #endLeftRunning(what: string, keep?: ReadonlyMap<string, unknown>): Promise<void> {
    for (const found of await endRunProcesses(this.#options.runId, keep)) {
      this.#emit({type: 'note', by: 'engine', ...(found.nodeId === undefined ? {} : {nodeId: found.nodeId}), text: `process ${found.pid} (\`${this.#options.redactor.redact(found.command)}\`) of \`${found.nodeId ?? '?'}\`: ${what}`});
    }
  }

  // Output arrives in the executor's callbacks, where a throw would crash
  // the process: a sink that fails there (the transcript cannot be written)
  // stops the node instead, and fails again at the node's next event.
  #emitOutput(event: RunEvent, controller: AbortController): void {
    try {
      this.#emit(event);
    } catch (error) {
      this.#sinkFailure ??= error;
      controller.abort();
    }
  }

  #setVariable(name: string, value: string, secret: boolean): void {
    this.#variables.set(name, value);
    this.#unset.delete(name);
    if (secret) {
      this.#secretNames.add(name);
      this.#options.redactor.add(value);
    }
  }

  // A variable a shell block exported (a string) or unset (null).
  #carry(name: string, value: string | null, secret: boolean): void {
    this.#types.delete(name);
    if (value !== null) {
      this.#setVariable(name, value, secret);
      return;
    }
    this.#variables.delete(name);
    this.#unset.add(name);
  }

  async #askMissingInputs(): Promise<void> {
    const placeholders = new Set(allNodes(this.#options.runbook).flatMap((node) => (node.kind === 'exec' ? shellFactsOf(node)?.placeholders ?? [] : []).map((placeholder) => placeholder.name)));
    for (const input of this.#options.missingInputs ?? []) {
      if (placeholders.has(input.name) && !(input.name in this.#options.runbook.frontmatter.inputs)) {
        this.#placeholderInputs.set(input.name, input);
        continue;
      }
      await this.#askInput(input);
    }
  }

  // The values of the placeholders `node` uses that nobody gave yet, each
  // asked once: a later node with the same placeholder reuses the value.
  async #askPlaceholders(node: ExecNode): Promise<void> {
    for (const placeholder of shellFactsOf(node)?.placeholders ?? []) {
      const input = this.#placeholderInputs.get(placeholder.name);
      if (input === undefined) continue;
      this.#placeholderInputs.delete(placeholder.name);
      await this.#askInput(input);
    }
  }

  async #askInput(input: InputSpec): Promise<void> {
    let problem: string | undefined;
    for (;;) {
      this.#emit({type: 'decision-asked', kind: 'input', prompt: input.description ?? input.name});
      const answer = await this.#ask(() => this.#options.operator.input({input, ...(problem === undefined ? {} : {problem})}));
      if (answer.decision !== 'value') {
        this.#recordStop('input', answer, {});
        throw new StopRun(answer.decision === 'quit' ? 'interrupted' : 'aborted', `no value for input ${input.name}`);
      }
      const value = answer.value === '' && input.default !== undefined ? input.default : answer.value;
      problem = validateInputValue(input, value);
      if (problem !== undefined) continue;
      this.#setVariable(input.name, value, input.secret);
      this.#emit({type: 'input', name: input.name, value: input.secret ? masked : this.#options.redactor.redact(value), secret: input.secret, source: 'prompt'});
      break;
    }
  }

  // Waits for an operator answer, or for quit, whichever comes first.
  async #ask<T>(question: () => Promise<T>): Promise<T | Stop> {
    if (this.#quitting) return {decision: 'quit'};
    let wake: (() => void) | undefined;
    const quit = new Promise<Stop>((resolve) => {
      wake = () => resolve({decision: 'quit'});
      this.#quitWaiters.add(wake);
    });
    try {
      return await Promise.race([question(), quit]);
    } finally {
      if (wake !== undefined) this.#quitWaiters.delete(wake);
    }
  }

  #recordStop(kind: 'input' | 'confirm' | 'checklist' | 'failure' | 'unknown', answer: Stop | StopFailed, ids: {nodeId?: string; stepId?: string}): void {
    this.#emit({type: 'decision-taken', kind, ...ids, decision: answer.decision, by: this.#options.operator.kind});
  }

  // Runs steps in order; resolves true when a node failed and the run stopped there.
  async #runSteps(steps: readonly Step[]): Promise<boolean> {
    for (const step of steps) {
      if (await this.#runStep(step)) return true;
    }
    return false;
  }

  async #runStep(step: Step): Promise<boolean> {
    if (this.#quitting) throw new StopRun('interrupted', 'stopped by the operator');
    const nodes = stepNodes(step);
    const completed = this.#options.resume?.completed;
    const alreadyDone = completed !== undefined && nodes.every((node) => node.kind === 'display' || completed.has(node.id));
    if (alreadyDone && nodes.some((node) => node.kind !== 'display')) return this.#runSteps(step.steps);

    this.#emit({type: 'step-start', stepId: step.id});
    const condition = step.attributes.if;
    if (condition !== undefined) {
      const guard = await this.#guard(condition, step);
      if (guard.verdict === 'stop') {
        this.#emit({type: 'step-end', stepId: step.id, status: 'failed'});
        return true;
      }
      if (guard.verdict === 'skip') {
        for (const node of nodes) if (node.kind !== 'display') this.#skipNode(node, step, guard.reason);
        this.#skipSubsteps(step.steps, guard.reason);
        this.#emit({type: 'step-end', stepId: step.id, status: 'skipped', reason: guard.reason});
        return false;
      }
      if (guard.verdict === 'mark-done') {
        this.#markStepDone(step, true);
        return false;
      }
    }
    let stepFailed = false;
    for (const node of nodes) {
      if (node.kind === 'display' || completed?.has(node.id) === true) continue;
      const outcome = node.kind === 'checklist' ? await this.#runChecklist(node, step) : await this.#runExec(node, step);
      if (outcome === 'stop-failed') {
        this.#emit({type: 'step-end', stepId: step.id, status: 'failed'});
        return true;
      }
      if (outcome === 'allowed-failure') stepFailed = true;
    }
    const childFailed = await this.#runSteps(step.steps);
    this.#emit({type: 'step-end', stepId: step.id, status: childFailed ? 'failed' : 'done', ...(stepFailed ? {reason: 'a node failed and was allowed to'} : {})});
    return childFailed;
  }

  #skipSubsteps(steps: readonly Step[], why: string): void {
    for (const step of steps) {
      this.#emit({type: 'step-start', stepId: step.id});
      for (const node of stepNodes(step)) if (node.kind !== 'display') this.#skipNode(node, step, why);
      this.#skipSubsteps(step.steps, why);
      this.#emit({type: 'step-end', stepId: step.id, status: 'skipped', reason: why});
    }
  }

  // A step the operator marked done when its `if=` could not be evaluated:
  // every node in it and its sub-steps is marked done, nothing runs.
  #markStepDone(step: Step, started: boolean): void {
    if (!started) this.#emit({type: 'step-start', stepId: step.id});
    for (const node of stepNodes(step)) if (node.kind !== 'display' && this.#options.resume?.completed.has(node.id) !== true) this.#markDone(node, step, 1);
    for (const child of step.steps) this.#markStepDone(child, false);
    this.#emit({type: 'step-end', stepId: step.id, status: 'done'});
  }

  #skipNode(node: ExecNode | ChecklistNode, step: Step, reason: string, rehearsed = false): void {
    this.#count(node.id, 'skipped');
    this.#results.set(node.id, resultView('skipped', {exitCode: null, durationMs: 0, stdout: ''}));
    this.#emit({type: 'node-end', nodeId: node.id, stepId: step.id, outcome: 'skipped', attempt: 1, exitCode: null, signal: null, durationMs: 0, reason, captures: {}, outputCaptured: false, ...(rehearsed ? {rehearsed} : {})});
  }

  #count(nodeId: string, outcome: NodeOutcome): void {
    this.#outcomes.set(nodeId, outcome);
  }

  #evaluate(expression: string): {ok: true; value: boolean} | {ok: false; message: string} {
    const context: Record<string, unknown> = {};
    for (const [name, value] of this.#variables) {
      const type = this.#types.get(name);
      if (isConditionName(name)) context[name] = type === undefined ? value : celValue(type, value) ?? value;
    }
    for (const [id, view] of this.#results) if (isConditionName(id)) context[id] = view;
    return evaluateCondition(expression, context);
  }

  // An `if=` that cannot be evaluated fails closed, the same for a node, a
  // checklist and a step: the failure decision, where retry evaluates it
  // again, skip and mark done settle what it guards without running it.
  async #guard(condition: string, step: Step, node?: ExecNode | ChecklistNode): Promise<Guard> {
    const what = node === undefined ? `step \`${step.id}\`` : `\`${node.id}\``;
    const ids = {...(node === undefined ? {} : {nodeId: node.id}), stepId: step.id};
    for (let attempt = 1; ; attempt += 1) {
      const verdict = this.#evaluate(condition);
      if (verdict.ok) return verdict.value ? {verdict: 'run'} : {verdict: 'skip', reason: `if="${condition}" is false`};
      const reason = `if="${condition}" could not be evaluated: ${verdict.message}`;
      this.#emit({type: 'note', by: 'engine', ...(node === undefined ? {} : {nodeId: node.id}), text: `${node === undefined ? `step ${step.id}: ` : ''}${reason}`});
      this.#emit({type: 'decision-asked', kind: 'failure', ...ids, prompt: `${what}: ${reason}`});
      const result: ExecutionResult = {status: 'failed', exitCode: null, signal: null, durationMs: 0, stdout: '', stdoutTruncated: false, reason};
      const answer = await this.#ask(() => this.#options.operator.failure({...(node === undefined ? {} : {node}), step, result, attempt}));
      if (answer.decision === 'abort' || answer.decision === 'quit' || answer.decision === 'stop') {
        this.#recordStop('failure', answer, ids);
        if (answer.decision === 'quit') throw new StopRun('interrupted', `stopped by the operator at ${what}`);
        this.#stopped = {outcome: answer.decision === 'abort' ? 'aborted' : 'failed', reason: `${answer.decision === 'abort' ? 'aborted by the operator at ' : ''}${what}: ${reason}`};
        return {verdict: 'stop'};
      }
      this.#emit({type: 'decision-taken', kind: 'failure', ...ids, decision: answer.decision, by: this.#options.operator.kind,
        ...(answer.decision === 'mark-done' ? {note: this.#options.redactor.redact(answer.note)} : answer.decision === 'skip' && answer.reason !== undefined ? {note: answer.reason} : {})});
      if (answer.decision === 'skip') return {verdict: 'skip', reason: answer.reason ?? `skipped by the operator: ${reason}`};
      if (answer.decision === 'mark-done') return {verdict: 'mark-done'};
    }
  }

  // A node's own `if=`: 'run' when it holds; otherwise what became of the
  // node — skipped, marked done, or the run stops there.
  async #nodeCondition(node: ExecNode | ChecklistNode, step: Step): Promise<'run' | 'ok' | 'stop-failed'> {
    const condition = node.attributes.if;
    if (condition === undefined) return 'run';
    const guard = await this.#guard(condition, step, node);
    if (guard.verdict === 'stop') return 'stop-failed';
    if (guard.verdict === 'skip') this.#skipNode(node, step, guard.reason);
    else if (guard.verdict === 'mark-done') this.#markDone(node, step, 1);
    else return 'run';
    return 'ok';
  }

  async #runChecklist(node: ChecklistNode, step: Step): Promise<'ok' | 'stop-failed'> {
    const guarded = await this.#nodeCondition(node, step);
    if (guarded !== 'run') return guarded;
    this.#emit({type: 'decision-asked', kind: 'checklist', nodeId: node.id, stepId: step.id, prompt: node.items.map((item) => item.text).join('\n')});
    const answer = await this.#ask(() => this.#options.operator.checklist({node, step}));
    const ids = {nodeId: node.id, stepId: step.id};
    if (answer.decision === 'abort' || answer.decision === 'quit') {
      this.#recordStop('checklist', answer, ids);
      throw new StopRun(answer.decision === 'quit' ? 'interrupted' : 'aborted', `${answer.decision === 'quit' ? 'stopped' : 'aborted'} by the operator at checklist \`${node.id}\``);
    }
    if (answer.decision === 'skip') {
      this.#emit({type: 'decision-taken', kind: 'checklist', ...ids, decision: 'skip', by: this.#options.operator.kind, ...(answer.reason === undefined ? {} : {note: answer.reason})});
      this.#skipNode(node, step, answer.reason ?? 'skipped by the operator');
      return 'ok';
    }
    const items = answer.items.map((item) => ({
      index: item.index,
      text: node.items[item.index]?.text ?? '',
      state: item.state,
      ...(item.reason === undefined ? {} : {reason: this.#options.redactor.redact(item.reason)}),
    }));
    this.#emit({type: 'decision-taken', kind: 'checklist', ...ids, decision: 'done', by: this.#options.operator.kind, items});
    this.#count(node.id, 'passed');
    this.#results.set(node.id, resultView('passed', {exitCode: null, durationMs: 0, stdout: ''}));
    this.#emit({type: 'node-end', nodeId: node.id, stepId: step.id, outcome: 'passed', attempt: 1, exitCode: null, signal: null, durationMs: 0, captures: {}, outputCaptured: false});
    return 'ok';
  }

  async #runExec(node: ExecNode, step: Step): Promise<'ok' | 'allowed-failure' | 'stop-failed'> {
    const settings = nodeSettings(this.#options.runbook, step, node);
    const ids = {nodeId: node.id, stepId: step.id};
    const operatorKind = this.#options.operator.kind;

    if (this.#options.resume?.unknown.has(node.id) === true) {
      this.#emit({type: 'decision-asked', kind: 'unknown', ...ids, prompt: `\`${node.id}\` started in an earlier attempt and never finished; it may or may not have done its work.`});
      const answer = await this.#ask(() => this.#options.operator.unknown({node, step, idempotent: settings.idempotent}));
      if (answer.decision === 'abort' || answer.decision === 'quit' || answer.decision === 'stop') {
        this.#recordStop('unknown', answer, ids);
        if (answer.decision === 'abort') throw new StopRun('aborted', `aborted by the operator at \`${node.id}\`, which started in an earlier attempt and never finished`);
        throw new StopRun(answer.decision === 'quit' ? 'interrupted' : 'failed',
          `\`${node.id}\` started before the interruption and never finished; it is not marked idempotent, so it was not rerun — check what it did, then resume in the player and choose rerun, skip or mark done`);
      }
      this.#emit({type: 'decision-taken', kind: 'unknown', ...ids, decision: answer.decision, by: operatorKind, ...('note' in answer ? {note: this.#options.redactor.redact(answer.note)} : 'reason' in answer && answer.reason !== undefined ? {note: answer.reason} : {})});
      if (answer.decision === 'skip') {
        this.#skipNode(node, step, answer.reason ?? 'skipped by the operator after an interruption');
        return 'ok';
      }
      if (answer.decision === 'mark-done') {
        this.#markDone(node, step, 1);
        return 'ok';
      }
    }

    const guarded = await this.#nodeCondition(node, step);
    if (guarded !== 'run') return guarded;
    if (this.#options.readOnly && settings.mutates) {
      this.#skipNode(node, step, 'read-only rehearsal: the node mutates', true);
      return 'ok';
    }
    await this.#askPlaceholders(node);
    const gate = settings.confirmPrompt ?? (this.#options.stepwise === true ? `Run \`${node.id}\`?` : undefined);
    if (gate !== undefined) {
      const prompt = this.#options.redactor.redact(expandPrompt(gate, this.#variables, this.#secretNames));
      const resolved = this.#resolved(node);
      this.#emit({type: 'decision-asked', kind: 'confirm', ...ids, prompt, ...(resolved === undefined ? {} : {resolved})});
      const command = resolvedCommand(node, {variables: this.#variables, results: this.#results, secrets: this.#secretNames, redact: (text) => this.#options.redactor.redact(text)});
      const answer = await this.#ask(() => this.#options.operator.confirm({node, step, prompt, command: node.code, resolved: command, mutates: settings.mutates, explicit: settings.confirmPrompt !== undefined}));
      if (answer.decision === 'abort' || answer.decision === 'quit') {
        this.#recordStop('confirm', answer, ids);
        throw new StopRun(answer.decision === 'quit' ? 'interrupted' : 'aborted', `the operator stopped at \`${node.id}\``);
      }
      const note = answer.decision === 'skip' ? answer.reason : answer.note;
      this.#emit({type: 'decision-taken', kind: 'confirm', ...ids, decision: answer.decision, by: operatorKind, ...(note === undefined ? {} : {note: this.#options.redactor.redact(note)})});
      if (answer.decision === 'skip') {
        this.#skipNode(node, step, answer.reason ?? 'skipped by the operator');
        return 'ok';
      }
    }

    for (let attempt = 1; ; attempt += 1) {
      const result = await this.#execute(node, step, settings, attempt);
      if (result.status === 'passed') {
        this.#finishNode(node, step, attempt, 'passed', result);
        return 'ok';
      }
      const retriesLeft = attempt <= settings.retries && result.status !== 'interrupted' && !this.#quitting;
      if (retriesLeft) {
        this.#finishNode(node, step, attempt, outcomeOf(result), result, false);
        const until = new Date(Date.now() + settings.intervalMs).toISOString();
        this.#emit({type: 'retry-wait', ...ids, attempt, of: settings.retries, ms: settings.intervalMs, until});
        const waited = await this.#wait(settings.intervalMs, node.id);
        if (!this.#quitting && waited) continue;
        // Ctrl-C during the wait: the failure decision, even for `allow-failure`
        if (!waited && !this.#quitting) return this.#handleFailure(node, step, attempt, result, false, true);
      }
      return this.#handleFailure(node, step, attempt, result, settings.allowFailure, retriesLeft);
    }
  }

  async #handleFailure(node: ExecNode, step: Step, attempt: number, result: ExecutionResult, allowFailure: boolean, alreadyRecorded = false): Promise<'ok' | 'allowed-failure' | 'stop-failed'> {
    // an interruption is the operator's act, not the command's failure: always a decision
    if (allowFailure && !this.#quitting && result.status !== 'interrupted') {
      if (!alreadyRecorded) this.#finishNode(node, step, attempt, 'allowed-failure', result);
      return 'allowed-failure';
    }
    if (alreadyRecorded) this.#count(node.id, outcomeOf(result));
    else this.#finishNode(node, step, attempt, outcomeOf(result), result);
    if (this.#quitting) throw new StopRun('interrupted', `stopped by the operator at \`${node.id}\``);
    const ids = {nodeId: node.id, stepId: step.id};
    this.#emit({type: 'decision-asked', kind: 'failure', ...ids, prompt: `\`${node.id}\` ${result.reason ?? 'failed'}`});
    const answer = await this.#ask(() => this.#options.operator.failure({node, step, result, attempt}));
    if (answer.decision === 'abort' || answer.decision === 'quit' || answer.decision === 'stop') {
      this.#recordStop('failure', answer, ids);
      if (answer.decision === 'quit') throw new StopRun('interrupted', `stopped by the operator at \`${node.id}\``);
      if (answer.decision === 'abort') this.#stopped = {outcome: 'aborted', reason: `aborted by the operator at \`${node.id}\``};
      return 'stop-failed';
    }
    this.#emit({type: 'decision-taken', kind: 'failure', ...ids, decision: answer.decision, by: this.#options.operator.kind,
      ...(answer.decision === 'mark-done' ? {note: this.#options.redactor.redact(answer.note)} : answer.decision === 'skip' && answer.reason !== undefined ? {note: answer.reason} : {})});
    if (answer.decision === 'retry') {
      const settings = nodeSettings(this.#options.runbook, step, node);
      const retried = await this.#execute(node, step, settings, attempt + 1);
      if (retried.status === 'passed') {
        this.#finishNode(node, step, attempt + 1, 'passed', retried);
        return 'ok';
      }
      return this.#handleFailure(node, step, attempt + 1, retried, settings.allowFailure);
    }
    if (answer.decision === 'mark-done') {
      this.#markDone(node, step, attempt);
      return 'ok';
    }
    this.#skipNode(node, step, answer.reason ?? 'skipped by the operator after it failed');
    return 'ok';
  }

  #markDone(node: ExecNode | ChecklistNode, step: Step, attempt: number): void {
    this.#count(node.id, 'marked-done');
    this.#results.set(node.id, resultView('marked-done', {exitCode: null, durationMs: 0, stdout: ''}));
    this.#emit({type: 'node-end', nodeId: node.id, stepId: step.id, outcome: 'marked-done', attempt, exitCode: null, signal: null, durationMs: 0, reason: 'marked done by the operator', captures: {}, outputCaptured: false});
  }

  // Waits before a retry; false when the wait was stopped (quit, or Ctrl-C
  // on the node that waits).
  async #wait(ms: number, nodeId: string): Promise<boolean> {
    const controller = new AbortController();
    const wake = (): void => controller.abort();
    this.#quitWaiters.add(wake);
    this.#retryWait = {nodeId, stop: wake};
    try {
      await sleep(ms, undefined, {signal: controller.signal});
      return true;
    } catch {
      return false;
    } finally {
      this.#quitWaiters.delete(wake);
      this.#retryWait = undefined;
    }
  }

  #resolved(node: ExecNode): ReturnType<typeof resolvedAction> {
    return resolvedAction(node, {
      resolve: (expression) => resolveTemplateExpression(expression, this.#variables, this.#results),
      variables: this.#variables, secretNames: this.#secretNames, redactor: this.#options.redactor,
    });
  }

  async #execute(node: ExecNode, step: Step, settings: ReturnType<typeof nodeSettings>, attempt: number): Promise<ExecutionResult> {
    const {redactor, operator} = this.#options;
    const executor = (this.#options.executors ?? executorFor)(node.executor);
    const controller = new AbortController();
    this.#nodeAbort = controller;
    this.#runningNodeId = node.id;
    const streams = {stdout: redactor.createStream(), stderr: redactor.createStream()};
    const secretCapture = node.attributes.capture !== undefined && node.attributes.secret === true;
    // the secret is known only when the node ends: until then its stderr,
    // which may well show it, is held back
    const held = secretCapture ? new HeldOutput(heldOutputLimit) : undefined;
    let result: ExecutionResult | undefined;
    const resolved = this.#resolved(node);
    const session = shellFactsOf(node)?.session;
    if (session !== undefined && session.lines.length > 0) {
      const count = session.lines.length === 1 ? 'the line' : `the ${session.lines.length} lines`;
      this.#emit({type: 'note', by: 'engine', nodeId: node.id, text: redactor.redact(`\`${session.command}\` opens a session: ${count} after it in the block ${session.lines.length === 1 ? 'is' : 'are'} to type in the session, not run here (${session.lines.join('; ')})`)});
    }
    this.#emit({type: 'node-start', ...{nodeId: node.id, stepId: step.id}, attempt, command: runText(node), mutates: settings.mutates, interactive: settings.interactive, ...(resolved === undefined ? {} : {resolved})});
    if (settings.interactive) await operator.suspend?.();
    try {
      result = typedCapture(node, await executor.execute({
        node,
        env: this.#childEnv(node, step),
        resolve: (expression) => resolveTemplateExpression(expression, this.#variables, this.#results),
        cwd: workingDirectory(this.#options.runbook, step, node, this.#options.cwd, (text) => expandVariables(text, this.#variables)),
        shell: this.#options.runbook.frontmatter.shell ?? 'bash',
        ...(carriesExports(this.#options.runbook, node) ? {carry: true} : {}),
        ...(settings.timeoutMs === undefined ? {} : {timeoutMs: settings.timeoutMs}),
        signal: controller.signal,
        onOutput: (chunk) => {
          // a secret capture's stdout is the secret itself: never shown
          if (chunk.stream === 'stdout' && secretCapture) return;
          if (held !== undefined) {
            held.add(chunk.text);
            return;
          }
          const text = streams[chunk.stream].push(chunk.text);
          if (text !== '') this.#emitOutput({type: 'output', nodeId: node.id, stream: chunk.stream, text}, controller);
        },
      }));
      return result;
    } finally {
      if (settings.interactive) operator.resume?.();
      if (held !== undefined) {
        // masked even if the node failed: what it printed may still be the secret
        // without a result the secret stays unknown, so what was held cannot be masked: it is not shown
        const released = held.release();
        if (result !== undefined) redactor.add(result.stdout.trim());
        const text = streams.stderr.push(result !== undefined ? released : released === '' ? '' : `[runbook: ${released.length} characters of stderr not shown: the secret capture ended without a value to mask them with]\n`);
        if (text !== '') this.#emit({type: 'output', nodeId: node.id, stream: 'stderr', text});
      }
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = streams[stream].flush();
        if (rest !== '') this.#emit({type: 'output', nodeId: node.id, stream, text: rest});
      }
      this.#maskedInOutput = streams.stdout.masked + streams.stderr.masked;
      this.#nodeAbort = undefined;
      this.#runningNodeId = undefined;
    }
  }

  // `final` is false for an attempt that will be retried: it is recorded,
  // but only a node's last outcome counts in the summary.
  #finishNode(node: ExecNode, step: Step, attempt: number, outcome: NodeOutcome, result: ExecutionResult, final = true): void {
    const {redactor} = this.#options;
    const captures: Record<string, string> = {};
    const succeeded = outcome === 'passed' || outcome === 'allowed-failure';
    const update = succeeded && result.exports !== undefined ? carriedUpdate(result.exports, this.#given, this.#secretNames, redactor) : undefined;
    for (const variable of update?.carried ?? []) this.#carry(variable.name, variable.value, variable.secret);
    const captureName = node.attributes.capture;
    const captureType = node.attributes.captureType ?? 'string';
    if (captureName !== undefined && succeeded && !result.stdoutTruncated && celValue(captureType, result.stdout.trim()) !== undefined) {
      const value = result.stdout.trim();
      const secret = node.attributes.secret === true;
      this.#setVariable(captureName, value, secret);
      if (captureType === 'string') this.#types.delete(captureName);
      else this.#types.set(captureName, captureType);
      captures[captureName] = secret ? masked : redactor.redact(value);
    }
    if (final) this.#count(node.id, outcome);
    this.#results.set(node.id, resultView(outcome, {exitCode: result.exitCode, durationMs: result.durationMs, stdout: result.stdout, http: result.http}));
    this.#emit({
      type: 'node-end', nodeId: node.id, stepId: step.id, outcome, attempt,
      exitCode: result.exitCode, signal: result.signal, durationMs: result.durationMs,
      ...(result.reason === undefined || outcome === 'passed' ? {} : {reason: redactor.redact(result.reason)}),
      captures,
      ...(update === undefined || Object.keys(update.recorded).length === 0 ? {} : {exports: redactor.redactValue(update.recorded)}),
      ...(result.http === undefined ? {} : {http: redactor.redactValue(httpSummary(result.http))}),
      outputCaptured: !nodeSettings(this.#options.runbook, step, node).interactive,
      ...(this.#maskedInOutput === 0 ? {} : {masked: this.#maskedInOutput}),
      ...(result.survivors === undefined ? {} : {survivors: result.survivors.map((survivor) => ({pid: survivor.pid, command: redactor.redact(survivor.command)}))}),
    });
    if (update !== undefined && update.refused.length > 0) {
      const names = update.refused.map((name) => `\`${name}\``).join(', ');
      this.#emit({type: 'note', by: 'engine', nodeId: node.id, text: `${names} exported by \`${node.id}\` ${update.refused.length === 1 ? 'does' : 'do'} not carry over: the run was given ${update.refused.length === 1 ? 'it' : 'them'} (\`env\`, \`inputs\`, \`--set\`…), and later blocks keep that value`});
    }
    if (succeeded && result.exportsUnknown === true) {
      this.#emit({type: 'note', by: 'engine', nodeId: node.id, text: `what \`${node.id}\` exported does not carry over: it ended without reporting its environment (it set its own EXIT trap or \`exec\`ed another program)`});
    }
  }

  #childEnv(node: ExecNode, step: Step): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.#options.processEnv)) if (value !== undefined) env[name] = value;
    Object.assign(env, this.#options.extraEnv);
    for (const [name, value] of this.#variables) env[name] = value;
    for (const name of this.#unset) delete env[name];
    env['RUNBOOK_RUN_ID'] = this.#options.runId;
    env['RUNBOOK_STEP_ID'] = step.id;
    env['RUNBOOK_NODE_ID'] = node.id;
    return env;
  }
}

// The response as recorded: the parsed JSON stays in memory for conditions.
function httpSummary({json: _json, ...summary}: HttpResult): HttpSummary {
  return summary;
}

// A passed node whose typed capture is not a value of its type failed.
function typedCapture(node: ExecNode, result: ExecutionResult): ExecutionResult {
  const {capture, captureType} = node.attributes;
  if (result.status !== 'passed' || capture === undefined) return result;
  // the first MiB of a longer output is not what the block printed
  if (result.stdoutTruncated) {
    return {...result, status: 'failed', reason: `capture \`${capture}\` expected at most ${captureLimit / 1024 / 1024} MiB of output, got more; capture a part of it (such as \`| head -c 1000\` or \`| jq .field\`)`};
  }
  if (captureType === undefined) return result;
  const value = result.stdout.trim();
  if (celValue(captureType, value) !== undefined) return result;
  const oneLine = value.replace(/\s+/g, ' ');
  const shown = node.attributes.secret === true ? 'its output (not shown: the capture is secret)' : value === '' ? 'empty output' : `\`${oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine}\``;
  return {...result, status: 'failed', reason: `capture \`${capture}\` expected ${typeNouns[captureType]}, got ${shown}`};
}

function outcomeOf(result: ExecutionResult): NodeOutcome {
  switch (result.status) {
    case 'passed':
      return 'passed';
    case 'failed':
      return 'failed';
    case 'timed-out':
      return 'timed-out';
    case 'interrupted':
      return 'interrupted';
  }
}

// `$NAME` and `${NAME}` in a confirm prompt show the value; secrets stay masked.
function expandPrompt(prompt: string, variables: ReadonlyMap<string, string>, secrets: ReadonlySet<string>): string {
  return expandVariables(prompt, variables, (name, value) => (secrets.has(name) ? masked : value));
}

// `$NAME` / `${NAME}` in prompts and `cwd=`; unknown names stay as written.
function expandVariables(text: string, variables: ReadonlyMap<string, string>, show: (name: string, value: string) => string = (_name, value) => value): string {
  return text.replace(dollarVariablePattern, (match, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = variables.get(name);
    return value === undefined ? match : show(name, value);
  });
}

