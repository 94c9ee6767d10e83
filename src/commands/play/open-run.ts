import {resolve} from 'node:path';
import {UsageError} from '../../cli/errors.js';
import {masked} from '../../engine/events.js';
import {looksSecretName, type Redactor} from '../../engine/redaction.js';
import {planResume} from '../../engine/resume-plan.js';
import type {ResumePlan} from '../../engine/run.js';
import type {ResolvedVariable} from '../../engine/variables.js';
import type {InputSpec, Runbook} from '../../runbook/model.js';
import {allNodes} from '../../runbook/walk.js';
import {acquireRunLock, RunLockedError, type RunLock} from '../../transcript/lock.js';
import {isRunEventRecord} from '../../transcript/format.js';
import {readTranscript} from '../../transcript/read.js';
import {latestUnfinishedRun, listRuns, readRunSummary, type RunSummary} from '../../transcript/runs.js';
import {createTranscript, openTranscriptForAppend, TranscriptError, type SealResult, type SealSigner, type TranscriptWriter} from '../../transcript/write.js';

export interface RunVariables {
  readonly resolved: readonly ResolvedVariable[];
  readonly missing: readonly InputSpec[];
  readonly extraEnv: Readonly<Record<string, string>>;
}

export interface OpenRunParams {
  readonly runbook: Runbook;
  readonly source: string;
  readonly sha256: string;
  readonly transcriptDir: string;
  readonly resume: string | boolean | undefined;
  readonly allowChanged: boolean;
  readonly argv: readonly string[];
  // who plays, as the header records it (`operator@host`)
  readonly operator?: string;
  readonly incident?: string;
  // masks the header (source, inputs) and every record as a last line of defence
  readonly redactor: Redactor;
  // signs each attempt's seal (--sign-key)
  readonly signer?: SealSigner;
}

export interface OpenedRun {
  readonly runId: string;
  readonly transcriptPath: string;
  readonly transcript: TranscriptWriter;
  readonly variables: RunVariables;
  readonly resume?: ResumePlan;
  // when the last attempt was a read-only rehearsal: the plan for going live,
  // the nodes it skipped because they mutate, and the nodes that then run
  // again (from the first of those on, in run order); `since` is the first
  // attempt of the rehearsal
  readonly rehearsal?: {readonly livePlan: ResumePlan; readonly skipped: readonly string[]; readonly rerun: readonly string[]; readonly since: number};
  // given with --incident, or recorded when the run began
  readonly incident?: string;
  close(): SealResult | undefined;
}

// Starts a new run's transcript, or reopens an unfinished run for --resume:
// checks the runbook did not change, rebuilds what was done from the
// transcript (nothing is re-run), and continues the same hash chain.
// Variables are resolved in between, because a resumed run reuses the
// non-secret values it recorded.
export async function openRun(params: OpenRunParams, resolveVariables: (recorded: Readonly<Record<string, string>> | undefined) => Promise<RunVariables>): Promise<OpenedRun> {
  if (params.resume === undefined || params.resume === false) {
    const variables = await resolveVariables(undefined);
    const transcript = guard(() => createTranscript({
      transcriptDir: params.transcriptDir,
      redactor: params.redactor,
      ...(params.signer === undefined ? {} : {signer: params.signer}),
      header: {
        runbookPath: resolve(params.runbook.path),
        runbookSha256: params.sha256,
        source: params.source,
        argv: params.argv,
        ...(params.operator === undefined ? {} : {operator: params.operator}),
        inputs: maskedInputs(variables.resolved),
        ...(params.incident === undefined ? {} : {incident: params.incident}),
      },
    }));
    return {
      runId: transcript.runId, transcriptPath: transcript.path, transcript, variables,
      ...(params.incident === undefined ? {} : {incident: params.incident}),
      close: () => transcript.close(),
    };
  }

  const found = findRun(params);
  // The run is read only once this process holds its lock: another resume may
  // have played a whole attempt since the runs were listed, and a plan made
  // from the older record would run again what that attempt ended.
  const lock = guard(() => acquireRunLock(found.runDir));
  try {
    return await continueRun(params, found, lock, resolveVariables);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function continueRun(params: OpenRunParams, found: RunSummary, lock: RunLock, resolveVariables: (recorded: Readonly<Record<string, string>> | undefined) => Promise<RunVariables>): Promise<OpenedRun> {
  const run = readRunSummary(found.runDir) ?? found;
  refuseFinished(run, params.runbook.path);
  const recorded = await readTranscript(run.transcriptPath);
  if (recorded.header === undefined) throw new UsageError(`${run.transcriptPath}: not a runbook transcript; it cannot be resumed`);
  const changed = recorded.header.runbookSha256 !== params.sha256;
  if (changed && !params.allowChanged) {
    throw new UsageError(`${params.runbook.path} changed since run ${run.runId} began (sha256 ${recorded.header.runbookSha256.slice(0, 12)}… then, ${params.sha256.slice(0, 12)}… now); resume with --allow-changed to map finished nodes by id, or start a new run`);
  }
  const events = recorded.records.map((entry) => entry.event).filter(isRunEventRecord);
  const state = planResume(events, run.attempt, allNodes(params.runbook).map((node) => node.id));
  const variables = await resolveVariables(state.inputs);
  const transcript = guard(() => openTranscriptForAppend(run.transcriptPath, {attempt: state.plan.attempt, redactor: params.redactor, lock, ...(params.signer === undefined ? {} : {signer: params.signer})}));
  const incident = params.incident ?? recorded.header.incident;
  const lostNote = (name: string): string => `the capture ${name} held a secret, which is never written down, so it is empty after resuming; rerun the node that captures it if a later node needs it`;
  const common = [
    ...(params.incident !== undefined && recorded.header.incident !== undefined && params.incident !== recorded.header.incident
      ? [`--incident ${params.incident} given; the run began as incident ${recorded.header.incident}`] : []),
    ...(transcript.lock.staleFrom === undefined ? [] : [`took over the lock of process ${transcript.lock.staleFrom.pid}, which is gone`]),
    ...(transcript.recovered === undefined ? [] : [`the last line of the transcript was torn (${transcript.recovered.discardedBytes} bytes); it was cut away and recorded`]),
    ...(changed ? [`the runbook changed since this run began; finished nodes are matched by id`] : []),
  ];
  const lostExportNote = ({name, nodeId}: {name: string; nodeId: string}): string => `the variable ${name} that \`${nodeId}\` exported held a secret, which is never written down, so it is not set after resuming; rerun \`${nodeId}\` if a later node needs it`;
  const notes = [...common, ...state.lostSecretCaptures.map(lostNote), ...state.lostSecretExports.map(lostExportNote)];
  return {
    runId: run.runId,
    transcriptPath: transcript.path,
    transcript,
    variables,
    resume: {...state.plan, notes},
    ...(state.rehearsal ? {rehearsal: {
      livePlan: {...state.livePlan, notes: [...common, ...state.liveLostSecretCaptures.map(lostNote), ...state.liveLostSecretExports.map(lostExportNote)]},
      skipped: state.rehearsedNodes,
      rerun: state.rerunNodes,
      since: state.rehearsalSince,
    }} : {}),
    ...(incident === undefined ? {} : {incident}),
    close: () => transcript.close(),
  };
}

function findRun(params: OpenRunParams): RunSummary {
  const path = params.runbook.path;
  if (params.resume === true) {
    const last = listRuns(params.transcriptDir).reverse().find((summary) => resolve(summary.header.runbookPath) === resolve(path));
    if (last?.outcome === 'aborted') throw new UsageError(aborted(last, path));
    const latest = latestUnfinishedRun(params.transcriptDir, path);
    if (latest === undefined) throw new UsageError(`no unfinished run of ${path} in ${params.transcriptDir}; start one with \`runbook play ${path}\``);
    return latest;
  }
  const run = listRuns(params.transcriptDir).find((summary) => summary.runId === params.resume);
  if (run === undefined) throw new UsageError(`no run ${String(params.resume)} in ${params.transcriptDir}; \`--resume\` without an id picks the latest unfinished run of ${path}`);
  if (resolve(run.header.runbookPath) !== resolve(path)) throw new UsageError(`run ${run.runId} played ${run.header.runbookPath}, not ${resolve(path)}`);
  refuseFinished(run, path);
  return run;
}

function refuseFinished(run: RunSummary, path: string): void {
  if (run.outcome === 'aborted') throw new UsageError(aborted(run, path));
  if (run.finished) throw new UsageError(`run ${run.runId} is finished (${run.outcome ?? 'unknown'}); there is nothing to resume`);
}

function aborted(run: RunSummary, path: string): string {
  return `run ${run.runId} was aborted: an aborted run is finished for good and cannot be resumed; start a new run with \`runbook play ${path}\``;
}

function maskedInputs(variables: readonly ResolvedVariable[]): Record<string, string> {
  return Object.fromEntries(variables.map((variable) => [variable.name, variable.secret || looksSecretName(variable.name) ? masked : variable.value]));
}

function guard<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof RunLockedError || error instanceof TranscriptError) throw new UsageError(error.message);
    throw error;
  }
}
