import {dirname} from 'node:path';
import type {DecisionTakenEvent, NodeEndEvent, NodeOutcome, RunEvent, RunOutcome} from '../engine/events.js';
import {outcomeTraits} from '../engine/outcomes.js';
import type {ChecklistNode, Runbook} from '../runbook/model.js';
import {parseRunbook} from '../runbook/parse.js';
import {formatDuration} from '../runbook/duration.js';
import {allSteps, stepNodes} from '../runbook/walk.js';
import {shownHead, type TranscriptHeader} from '../transcript/format.js';
import type {TranscriptEntry, TranscriptItem} from '../transcript/read.js';
import type {VerifyResult} from '../transcript/verify.js';
import {
  incidentRecordFormat, type ActionItem, type AttemptSummary, type ExceptionEntry, type FailureEntry, type IncidentRecord,
  type MutatingNode, type TimelineEntry, type Verification,
} from './incident-schema.js';
import {OutputTail, sideFileTail} from './output-tail.js';

// transcript → incident record. Reads the transcript once, as a stream, and
// keeps only what the record shows: one row per timeline event, the last
// lines of the output of the node attempts that are running, and the tail of
// each failure's output. The runbook comes from the header's `source`
// (parsed for step titles, node kinds and `mutates`), never from its file.

export interface IncidentRecordLimits {
  // lines of output kept for each failure
  readonly excerptLines: number;
  readonly excerptLineLength: number;
  // failures shown with their output; later ones are listed without it
  readonly excerpts: number;
}

export const defaultLimits: IncidentRecordLimits = {excerptLines: 20, excerptLineLength: 400, excerpts: 100};

interface SourceNode {
  readonly kind: string;
  readonly stepId: string;
  readonly mutates: boolean;
}

interface Approval {
  readonly by: 'operator' | 'auto';
  // `operator alice`, `auto`
  readonly who: string;
  readonly decision: string;
  readonly time: string;
  readonly note: string | null;
}

export class NotATranscript extends Error {
  override readonly name = 'NotATranscript';
}

export async function buildIncidentRecord(
  transcriptPath: string, items: AsyncIterable<TranscriptItem>, verification: VerifyResult, limits: IncidentRecordLimits = defaultLimits,
): Promise<IncidentRecord> {
  const runDir = dirname(transcriptPath);
  let header: TranscriptHeader | undefined;
  let runbook: Runbook | undefined;
  const steps = new Map<string, string>();
  const nodes = new Map<string, SourceNode>();

  const attempts: AttemptSummary[] = [];
  const timeline: TimelineEntry[] = [];
  const mutating = new Map<string, MutatingNode>();
  const exceptionList: ExceptionEntry[] = [];
  const failures: FailureEntry[] = [];
  let failuresWithoutExcerpt = 0;
  const captures = new Map<string, IncidentRecord['captures'][number]>();
  const httpTargets: IncidentRecord['httpTargets'] = [];
  const latestOutcome = new Map<string, NodeOutcome>();
  const checklistAnswers = new Map<string, DecisionTakenEvent>();
  let title: string | null = null;
  let lastTime: string | undefined;
  let lastRunEnd: {outcome: RunOutcome; reason: string | null; totalMs: number | null} | undefined;

  // per attempt: what is running and what was decided
  let currentStep: string | undefined;
  const tails = new Map<string, OutputTail>();
  // a node's row is placed where it started, and filled in when it ends
  const started = new Map<string, {time: string; try: number; row: number}>();
  const sideFiles = new Map<string, string>();
  const approvals = new Map<string, Approval>();
  const asked = new Map<string, string>();
  let attemptNumber = 0;

  const stepLabel = (stepId: string | undefined): string | null => (stepId === undefined ? null : steps.get(stepId) ?? stepId);
  const operatorOf = (attempt: number): string | null => attempts.find((a) => a.attempt === attempt)?.operator ?? null;
  const whoOf = (by: 'operator' | 'auto' | 'engine', attempt: number): string => {
    if (by !== 'operator') return by;
    const name = operatorOf(attempt);
    return name === null ? 'operator' : `operator ${name}`;
  };
  const row = (entry: Omit<TimelineEntry, 'nodeId' | 'who' | 'result' | 'durationMs' | 'details'> & Partial<TimelineEntry>): void => {
    timeline.push({nodeId: null, who: null, result: null, durationMs: null, details: null, ...entry});
  };

  const takeRecord = (entry: TranscriptEntry): void => {
    const time = rfc3339(entry.time);
    lastTime = time;
    const attempt = entry.attempt;
    const event = entry.event;
    switch (event.type) {
      case 'output-ref':
        sideFiles.set(event.nodeId, event.file);
        return;
      case 'seal':
        return;
      case 'recovered':
        row({time, attempt, kind: 'recovered', step: null, event: 'torn last line recovered', details: `${event.discardedBytes} bytes of an incomplete line were cut away on resume`});
        return;
      default:
        break;
    }
    const run: RunEvent = event;
    switch (run.type) {
      case 'run-start': {
        attemptNumber = run.attempt;
        tails.clear();
        started.clear();
        sideFiles.clear();
        approvals.clear();
        asked.clear();
        currentStep = undefined;
        title ??= run.title;
        const mode = run.readOnly ? 'rehearsal' : 'live';
        attempts.push({
          attempt: run.attempt, operator: run.operator ?? null, user: run.user ?? null, host: run.host ?? null, mode, resumed: run.resumed,
          startedAt: rfc3339(run.startedAt ?? entry.time), endedAt: null, durationMs: null, outcome: 'unfinished', reason: null,
        });
        const where = run.user === undefined ? '' : ` (${run.user}${run.host === undefined ? '' : `@${run.host}`})`;
        row({
          time, attempt, kind: 'attempt-start', step: null, event: `attempt ${run.attempt} ${run.resumed ? 'resumed' : 'started'} (${mode})`,
          who: run.operator === undefined ? null : `operator ${run.operator}${where}`,
        });
        break;
      }
      case 'input':
        break;
      case 'step-start':
        currentStep = run.stepId;
        row({time, attempt, kind: 'step-start', step: stepLabel(run.stepId), event: 'step started'});
        break;
      case 'step-end':
        if (currentStep === run.stepId) currentStep = undefined;
        row({time, attempt, kind: 'step-end', step: stepLabel(run.stepId), event: 'step ended', result: run.status, durationMs: run.durationMs ?? null, details: run.reason ?? null});
        if (run.status === 'skipped') {
          exceptionList.push({time, attempt, kind: 'step-skipped', nodeId: null, what: `step ${stepLabel(run.stepId) ?? run.stepId}`, step: stepLabel(run.stepId), by: 'engine', reason: run.reason ?? null});
        }
        break;
      case 'node-start': {
        tails.set(run.nodeId, new OutputTail(limits.excerptLines, limits.excerptLineLength));
        started.set(run.nodeId, {time, try: run.attempt, row: timeline.length});
        // what shows when no node-end follows (a kill, a cut transcript)
        row({
          time, attempt, kind: 'node', step: stepLabel(run.stepId), nodeId: run.nodeId,
          event: `${nodes.get(run.nodeId)?.kind ?? 'node'} node${run.attempt > 1 ? `, try ${run.attempt}` : ''}`, result: 'no end recorded',
        });
        sideFiles.delete(run.nodeId);
        if (run.mutates && !mutating.has(run.nodeId)) mutating.set(run.nodeId, {nodeId: run.nodeId, step: stepLabel(run.stepId), runs: []});
        break;
      }
      case 'output':
        tails.get(run.nodeId)?.add(run.stream, run.text);
        break;
      case 'node-end': {
        const start = started.get(run.nodeId);
        started.delete(run.nodeId);
        const tail = tails.get(run.nodeId);
        tails.delete(run.nodeId);
        const sideFile = sideFiles.get(run.nodeId) ?? null;
        sideFiles.delete(run.nodeId);
        const approval = approvals.get(run.nodeId) ?? null;
        approvals.delete(run.nodeId);
        latestOutcome.set(run.nodeId, run.outcome);
        const kind = nodes.get(run.nodeId)?.kind ?? 'node';
        const step = stepLabel(run.stepId);
        const nodeRow: TimelineEntry = {
          time: start?.time ?? time, attempt, kind: 'node', step, nodeId: run.nodeId,
          event: `${kind} node${run.attempt > 1 ? `, try ${run.attempt}` : ''}`,
          who: approval === null ? null : approval.who,
          result: resultText(run), durationMs: start === undefined ? null : run.durationMs, details: run.reason ?? null,
        };
        if (start === undefined) timeline.push(nodeRow);
        else timeline[start.row] = nodeRow;
        const mutatingNode = mutating.get(run.nodeId);
        if (mutatingNode !== undefined) {
          mutatingNode.runs.push({
            attempt, try: run.attempt, time: start?.time ?? time, outcome: run.outcome, reason: run.reason ?? null,
            approval,
          });
        }
        if (run.outcome === 'skipped' || run.outcome === 'marked-done') {
          exceptionList.push({
            time, attempt, kind: run.outcome, nodeId: run.nodeId, what: `${kind} node`, step,
            by: approval === null ? (run.outcome === 'skipped' ? 'engine' : 'operator') : approval.who,
            // the operator's own words first (a mark-done's note), else the engine's
            reason: approval?.note ?? run.reason ?? null,
          });
        }
        if (outcomeTraits[run.outcome].failed) {
          if (failures.length < limits.excerpts) {
            let excerpt = tail?.lines() ?? {lines: [], before: 0};
            let linesBefore: number | null = excerpt.before;
            if (sideFile !== null) {
              const sideLines = sideFileTail(runDir, sideFile, limits.excerptLines, limits.excerptLineLength);
              if (sideLines !== undefined) {
                excerpt = {lines: sideLines, before: 0};
                linesBefore = null;
              }
            }
            failures.push({
              time: start?.time ?? time, attempt, nodeId: run.nodeId, try: run.attempt, step, outcome: run.outcome,
              exitCode: run.exitCode, signal: run.signal, reason: run.reason ?? null, excerpt: excerpt.lines, linesBefore, sideFile,
            });
          } else {
            failuresWithoutExcerpt += 1;
          }
        }
        for (const [name, value] of Object.entries(run.captures ?? {})) captures.set(`${run.nodeId}\u0000${name}`, {nodeId: run.nodeId, attempt, name, value});
        if (run.http !== undefined) {
          httpTargets.push({nodeId: run.nodeId, attempt, try: run.attempt, time: start?.time ?? time, method: run.http.method, url: run.http.url, status: run.http.status, outcome: run.outcome});
        }
        break;
      }
      case 'decision-asked':
        asked.set(decisionKey(run), time);
        break;
      case 'decision-taken': {
        const key = decisionKey(run);
        const askedAt = asked.get(key);
        asked.delete(key);
        const stepId = run.stepId ?? (run.nodeId === undefined ? currentStep : nodes.get(run.nodeId)?.stepId);
        const items = run.items ?? [];
        const ticked = items.filter((i) => i.state === 'ticked').length;
        const skippedItems = items.filter((i) => i.state === 'not-applicable');
        const result = run.kind === 'checklist' && items.length > 0
          ? `${ticked} ticked${skippedItems.length === 0 ? '' : `, ${skippedItems.length} not applicable`}`
          : null;
        row({
          time, attempt, kind: 'decision', step: stepLabel(stepId), nodeId: run.nodeId ?? null, event: `${run.kind}: ${run.decision}`,
          who: whoOf(run.by, attempt), result, durationMs: askedAt === undefined ? null : Math.max(0, Date.parse(time) - Date.parse(askedAt)),
          details: run.note ?? null,
        });
        if (run.nodeId !== undefined) {
          approvals.set(run.nodeId, {by: run.by, who: whoOf(run.by, attempt), decision: run.decision, time, note: run.note ?? null});
          if (run.kind === 'checklist') checklistAnswers.set(run.nodeId, run);
        }
        for (const item of skippedItems) {
          exceptionList.push({
            time, attempt, kind: 'not-applicable', nodeId: run.nodeId ?? null, what: `checklist item: ${item.text}`, step: stepLabel(stepId),
            by: whoOf(run.by, attempt), reason: item.reason ?? null,
          });
        }
        break;
      }
      case 'note': {
        const retry = run.by === 'engine' && /^retry \d+ of \d+/.test(run.text);
        const stepId = run.nodeId === undefined ? currentStep : nodes.get(run.nodeId)?.stepId ?? currentStep;
        row({time, attempt, kind: retry ? 'retry' : 'note', step: stepLabel(stepId), nodeId: run.nodeId ?? null, event: retry ? 'retry' : 'note', who: whoOf(run.by, attempt), details: run.text});
        break;
      }
      case 'retry-wait': {
        const stepId = nodes.get(run.nodeId)?.stepId ?? currentStep;
        row({time, attempt, kind: 'retry', step: stepLabel(stepId), nodeId: run.nodeId, event: 'retry', who: whoOf('engine', attempt), details: `retry ${run.attempt} of ${run.of} in ${formatDuration(run.ms)}`});
        break;
      }
      case 'interrupt':
        row({time, attempt, kind: 'interruption', step: stepLabel(currentStep), nodeId: run.nodeId ?? null, event: run.scope === 'run' ? 'interruption: the run stops' : 'interruption: the node stops'});
        break;
      case 'run-end': {
        const summary = attempts.find((a) => a.attempt === attemptNumber);
        if (summary !== undefined) {
          const index = attempts.indexOf(summary);
          attempts[index] = {...summary, endedAt: time, durationMs: run.durationMs, outcome: run.outcome, reason: run.reason ?? null};
        }
        lastRunEnd = {outcome: run.outcome, reason: run.reason ?? null, totalMs: run.total?.durationMs ?? null};
        row({time, attempt, kind: 'attempt-end', step: null, event: `attempt ${attemptNumber} ended`, result: run.outcome, durationMs: run.durationMs, details: run.reason ?? null});
        break;
      }
      default:
        break;
    }
  };

  for await (const item of items) {
    if (item.kind === 'header') {
      header = item.header;
      runbook = parseRunbook(header.source, header.runbookPath).runbook;
      title = runbook.title;
      for (const step of allSteps(runbook)) {
        steps.set(step.id, step.number === null ? step.title : `${step.number} ${step.title}`);
        for (const node of stepNodes(step)) {
          const kind = node.kind === 'exec' ? node.lang.toLowerCase() : node.kind;
          nodes.set(node.id, {kind, stepId: step.id, mutates: node.attributes.mutates === true});
          if (node.attributes.mutates === true) mutating.set(node.id, {nodeId: node.id, step: stepLabel(step.id), runs: []});
        }
      }
      continue;
    }
    if (item.kind === 'problem') continue;
    try {
      takeRecord(item.entry);
    } catch {
      // a record whose fields are not what the engine writes (hand-made or
      // damaged): shown as a row, and verify says more
      row({time: lastTime ?? rfc3339(item.entry.time), attempt: Number(item.entry.attempt) || 0, kind: 'unreadable', step: null, event: `line ${item.entry.line}: a record this report cannot read`});
    }
  }

  if (header === undefined || runbook === undefined) throw new NotATranscript('not a runbook transcript: its first line is not a transcript header');

  const notApplicable = [...checklistAnswers.values()].reduce((sum, answer) => sum + (answer.items ?? []).filter((i) => i.state === 'not-applicable').length, 0);
  const lastAttempt = attempts.at(-1);
  const finished = lastAttempt !== undefined && lastAttempt.outcome !== 'unfinished';
  const outcome = finished && lastRunEnd !== undefined ? lastRunEnd.outcome : 'unfinished';
  const exceptionCounts = countExceptions(latestOutcome, notApplicable);
  const exceptions = exceptionCounts.reduce((sum, [count]) => sum + count, 0);
  const startedAt = attempts[0]?.startedAt ?? rfc3339(header.startedAt);
  const endedAt = finished ? lastAttempt.endedAt : lastTime ?? null;
  const durationMs = finished && lastRunEnd?.totalMs !== null && lastRunEnd?.totalMs !== undefined
    ? lastRunEnd.totalMs
    : endedAt === null ? null : Math.max(0, Date.parse(endedAt) - Date.parse(startedAt));
  const modes = new Set(attempts.map((a) => a.mode));
  return {
    format: incidentRecordFormat,
    runId: header.runId,
    title,
    runbookPath: header.runbookPath,
    runbookSha256: header.runbookSha256,
    incident: header.incident ?? null,
    transcriptPath,
    startedAt,
    endedAt,
    durationMs,
    outcome,
    outcomeText: outcomeText(outcome, lastRunEnd?.reason ?? null, exceptionCounts, exceptions),
    exceptions,
    mode: modes.size > 1 ? 'rehearsal, then live' : modes.has('rehearsal') ? 'rehearsal' : 'live',
    attempts,
    verification: verificationOf(verification),
    timeline,
    mutating: [...mutating.values()],
    exceptionList,
    failures,
    failuresWithoutExcerpt,
    captures: [...captures.values()],
    httpTargets,
    actionItems: actionItems(runbook, checklistAnswers, latestOutcome, stepLabel),
  };
}

function decisionKey(event: {kind: string; nodeId?: string; stepId?: string}): string {
  return `${event.kind}\u0000${event.nodeId ?? ''}\u0000${event.stepId ?? ''}`;
}

function resultText(event: NodeEndEvent): string {
  if (event.outcome === 'skipped' && event.rehearsed === true) return 'skipped (rehearsal)';
  const exit = event.exitCode !== null && event.exitCode !== 0 ? `, exit ${event.exitCode}` : event.signal !== null ? `, ${event.signal}` : '';
  const status = event.http === undefined ? '' : `, HTTP ${event.http.status}`;
  return `${event.outcome}${exit}${status}`;
}

const exceptionNames: readonly [NodeOutcome | 'not-applicable', string, string][] = [
  ['allowed-failure', 'allowed failure', 'allowed failures'],
  ['skipped', 'skipped', 'skipped'],
  ['marked-done', 'marked done', 'marked done'],
  ['not-applicable', 'checklist item not applicable', 'checklist items not applicable'],
];

function countExceptions(latest: ReadonlyMap<string, NodeOutcome>, notApplicable: number): [number, string][] {
  const out: [number, string][] = [];
  for (const [kind, one, many] of exceptionNames) {
    const count = kind === 'not-applicable' ? notApplicable : [...latest.values()].filter((outcome) => outcome === kind).length;
    if (count > 0) out.push([count, count === 1 ? one : many]);
  }
  return out;
}

function outcomeText(outcome: IncidentRecord['outcome'], reason: string | null, counts: readonly [number, string][], exceptions: number): string {
  if (outcome === 'unfinished') return 'unfinished: the last attempt recorded no end (in progress, killed, or cut off)';
  const because = reason === null ? '' : `: ${reason}`;
  if (outcome !== 'passed' || exceptions === 0) return `${outcome}${because}`;
  return `passed with ${exceptions} exception${exceptions === 1 ? '' : 's'} (${counts.map(([count, name]) => `${count} ${name}`).join(', ')})`;
}

function verificationOf(result: VerifyResult): Verification {
  const verdict = !result.ok ? 'NOT intact' : result.status === 'in-progress' ? 'intact so far, in progress' : 'intact';
  return {
    verdict, ok: result.ok, sealed: result.sealed, status: result.status,
    head: result.head === undefined ? null : shownHead(result.head),
    problems: result.problems.map((p) => ({line: p.line ?? null, severity: p.severity, message: p.message})),
  };
}

function actionItems(
  runbook: Runbook, answers: ReadonlyMap<string, DecisionTakenEvent>, latest: ReadonlyMap<string, NodeOutcome>, stepLabel: (id: string) => string | null,
): ActionItem[] {
  const out: ActionItem[] = [];
  for (const step of allSteps(runbook)) {
    for (const node of stepNodes(step)) {
      if (node.kind !== 'checklist') continue;
      const answer = answers.get(node.id);
      const why = answer === undefined ? (latest.get(node.id) === 'skipped' ? 'the checklist was skipped' : 'the checklist was not reached')
        : answer.decision === 'done' ? 'not ticked'
        : answer.decision === 'skip' ? `the checklist was skipped${answer.note === undefined ? '' : `: ${answer.note}`}`
        : `the checklist was answered ${answer.decision}`;
      const states = new Map((answer?.decision === 'done' ? answer.items ?? [] : []).map((i) => [i.index, i.state]));
      (node as ChecklistNode).items.forEach((item, index) => {
        if (states.has(index) || (answer === undefined && item.checked)) return;
        out.push({checklistId: node.id, step: stepLabel(step.id), text: item.text, why});
      });
    }
  }
  return out;
}

// RFC 3339 in UTC, as recorded when the text is not a date.
export function rfc3339(text: string): string {
  const ms = Date.parse(String(text));
  // a transcript's time that is not one is shown in safe characters only
  return Number.isNaN(ms) ? `invalid time ${String(text).replace(/[^\w:.+-]/g, '?')}` : new Date(ms).toISOString();
}
