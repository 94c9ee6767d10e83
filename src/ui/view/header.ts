import type {RunState} from '../../engine/run-state.js';
import {outcomeWords, runExceptions} from '../../engine/status-marks.js';
import {formatClock, formatMs} from './format.js';
import {seg, spread, truncate, wrap, type Line, type Segment} from './lines.js';

// `<dir>/<run id>/transcript.jsonl` → `<dir>`
function transcriptDirOf(path: string): string {
  const parts = path.split('/');
  return parts.length >= 3 ? parts.slice(0, -2).join('/') || '/' : path;
}

export interface RunInfo {
  readonly runId: string;
  readonly transcriptPath: string;
  readonly incident?: string;
  // said before the run's first event: `resuming` rather than `starting`
  readonly resumed?: boolean;
  // where the run acts, one line (see target.ts); its own row when given
  readonly target?: string;
  // `runbook replay`: a recorded run, with what is known of its record
  readonly replay?: ReplayFacts;
}

export interface ReplayFacts {
  // null while the transcript is being verified
  readonly intact: boolean | null;
  // shown as `sha256:…` (see shownHead)
  readonly head: string | null;
  // the runbook file at the recorded path differs from the recorded source; null: it is gone
  readonly runbookChanged: boolean | null;
}

// Title and elapsed time, then the run id, incident and transcript path
// (on a second row when there is room). `askingGoLive`: the run is a
// rehearsal that has not started yet, and the operator is asked whether it
// goes live — it is a rehearsal until they say yes.
export function headerLines(run: RunState, info: RunInfo, width: number, now: number, rows: 1 | 2, askingGoLive = false): Line[] {
  const elapsed = run.end !== null
    ? `${outcomeWords(run.end.outcome, runExceptions(run).length)} in ${formatMs(run.end.total?.durationMs ?? run.end.durationMs)}`
    : run.startedAt === null ? (info.resumed === true ? 'resuming' : 'starting') : `elapsed ${formatClock(now - run.startedAt)}`;
  const badge = info.replay === undefined ? [] : [seg(' REPLAY ', {bold: true, inverse: true, color: 'magenta'}), seg(' ')];
  const title = spread([...badge, seg(run.title ?? run.runbookPath, {bold: true})], [seg(elapsed, {dim: run.end === null})], width);
  const facts: Segment[] = [seg(`run ${run.runId ?? info.runId}`)];
  if (run.attempt > 1) facts.push(seg(` · attempt ${run.attempt}${run.resumed ? ' (resumed)' : ''}`));
  if (info.incident !== undefined) facts.push(seg(' · incident '), seg(info.incident, {bold: true}));
  if (askingGoLive) facts.push(seg(' · read-only rehearsal — go live?', {color: 'yellow'}));
  else if (run.readOnly) facts.push(seg(' · read-only rehearsal', {color: 'yellow'}));
  const replay = info.replay === undefined ? [] : replayFacts(info.replay);
  const dimmed = (parts: Segment[]): Segment[] => parts.map((part) => ({...part, style: {...part.style, dim: part.style?.bold !== true}}));
  // a replay's facts come before the path, which is the first to be cut
  const withPath = (path: string): Line[] => wrap([...dimmed(facts), ...replay, ...dimmed([seg(` · transcript ${path}`)])], width);
  let details = withPath(info.transcriptPath);
  // on one row, the run's directory stands for the path: the run id names the rest
  if (rows === 1 && details.length > 1) details = withPath(`in ${transcriptDirOf(info.transcriptPath)}`);
  const target = info.target === undefined || info.target === '' ? [] : [truncate([seg('target ', {dim: true}), seg(info.target, {bold: true, color: 'cyan'})], width)];
  if (details.length <= rows) return [title, ...target, ...details];
  const rest = details.slice(rows - 1).flatMap((line, index) => (index === 0 ? line : [seg(' '), ...line]));
  return [title, ...target, ...details.slice(0, rows - 1), truncate(rest, width)];
}

// Whether the record holds, and whether the runbook file moved on since.
function replayFacts(facts: ReplayFacts): Segment[] {
  return [
    seg(' · '),
    facts.intact === null ? seg('verifying…', {dim: true}) : facts.intact ? seg('intact', {color: 'green'}) : seg('NOT intact', {bold: true, color: 'red'}),
    ...(facts.head === null ? [] : [seg(` ${facts.head}`, {dim: true})]),
    ...(facts.runbookChanged === null ? [seg(' · runbook file gone', {color: 'yellow'})] : facts.runbookChanged ? [seg(' · runbook file changed since (d: diff)', {color: 'yellow'})] : [seg(' · runbook file unchanged', {dim: true})]),
  ];
}
