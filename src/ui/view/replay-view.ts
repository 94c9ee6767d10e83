import {structuredPatch} from 'diff';
import type {RunState} from '../../engine/run-state.js';
import type {TranscriptRecord} from '../../transcript/format.js';
import type {TranscriptEntry} from '../../transcript/read.js';
import type {ReplayState} from '../replay-store.js';
import {footerLine, type KeyHint} from './footer.js';
import {formatMs} from './format.js';
import {plain, seg, spread, truncate, type Line} from './lines.js';

// `runbook replay`'s own rows: where in the record the screen is, and the
// diff of the recorded runbook against its file now.

// `event 123 of 456 · attempt 2 · 14:03:12 UTC`, then what that event is.
export function replayStatusLine(records: readonly TranscriptEntry[], state: ReplayState, width: number, run?: RunState): Line {
  const entry = records[state.position];
  const where = entry === undefined
    ? `before the first of ${records.length} events`
    : `event ${state.position + 1} of ${records.length} · attempt ${entry.attempt} · ${utcClock(entry.time)}`;
  const pace = state.playing ? `▶ ${state.speed === 'instant' ? 'instant' : `${state.speed}×`}` : '⏸ paused';
  const left = [seg(where, {bold: true}), ...(entry === undefined ? [] : [seg(` · ${recordWords(entry.event, (id) => run?.steps.get(id)?.title ?? id)}`)])];
  return truncate(spread(left, [seg(pace, {color: state.playing ? 'green' : 'yellow'})], width), width);
}

// The question the run waited on at this event (the player drew it from the
// operator's request; a replay has only the recorded prompt), with how long
// it had waited by then.
export function replayPendingLine(run: RunState, now: number, width: number): Line | null {
  const {pending} = run;
  if (pending === null || run.end !== null) return null;
  const waited = pending.at === null ? '' : `waiting ${formatMs(Math.max(0, now - pending.at))}`;
  return truncate(spread([seg('◆ ', {color: 'yellow'}), seg(pending.prompt, {bold: true})], [seg(waited, {dim: true})], width), width);
}

function utcClock(time: string): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? time : `${date.toISOString().slice(11, 19)} UTC`;
}

// One event, in a few words; `stepName` gives a step's title for its id.
export function recordWords(record: TranscriptRecord, stepName: (id: string) => string = (id) => id): string {
  switch (record.type) {
    case 'run-start':
      return `attempt ${record.attempt} starts${record.resumed ? ' (resumed)' : ''}${record.readOnly ? ' · read-only rehearsal' : ''}${record.operator === undefined ? '' : ` · operator ${record.operator}`}`;
    case 'input':
      return `input ${record.name} from ${record.source}`;
    case 'step-start':
      return `step ${stepName(record.stepId)} starts`;
    case 'step-end':
      return `step ${stepName(record.stepId)} ${record.status}${record.reason === undefined ? '' : `: ${record.reason}`}`;
    case 'node-start':
      return `${record.nodeId} starts${record.attempt > 1 ? ` (try ${record.attempt})` : ''}`;
    case 'retry-wait':
      return `${record.nodeId} waits ${formatMs(record.ms)} to retry (${record.attempt} of ${record.of})`;
    case 'output':
      return `${record.nodeId} prints (${record.stream})`;
    case 'node-end':
      return `${record.nodeId} ${record.outcome}${record.exitCode === null ? '' : ` (exit ${record.exitCode})`} in ${formatMs(record.durationMs)}${record.reason === undefined ? '' : `: ${record.reason}`}`;
    case 'decision-asked':
      return `asked: ${record.prompt}`;
    case 'decision-taken':
      return `${record.by === 'auto' ? 'auto-approved' : 'the operator chose'} ${record.decision}${record.nodeId === undefined ? '' : ` at ${record.nodeId}`}${record.note === undefined ? '' : ` — ${record.note}`}`;
    case 'note':
      return `note by ${record.by}: ${record.text}`;
    case 'interrupt':
      return `interrupt (${record.scope})${record.nodeId === undefined ? '' : ` of ${record.nodeId}`}`;
    case 'run-end':
      return `run ${record.outcome} in ${formatMs(record.durationMs)}${record.reason === undefined ? '' : `: ${record.reason}`}`;
    case 'output-ref':
      return `${record.bytes} bytes of ${record.nodeId}'s output in ${record.file}`;
    case 'recovered':
      return `a torn last line recovered (${record.discardedBytes} bytes cut away)`;
    case 'seal':
      return `attempt sealed at sha256:${record.head.slice(0, 32)}`;
  }
}

// The recorded runbook against the file at its path now, as unified-diff rows.
export function runbookDiffLines(path: string, recorded: string, current: string): Line[] {
  const patch = structuredPatch(path, path, recorded, current, 'as recorded', 'the file now', {context: 3});
  const lines: Line[] = [];
  for (const hunk of patch.hunks) {
    lines.push(plain(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, {color: 'cyan'}));
    for (const text of hunk.lines) {
      const mark = text[0];
      lines.push(plain(text, mark === '+' ? {color: 'green'} : mark === '-' ? {color: 'red'} : mark === '\\' ? {dim: true} : undefined));
    }
  }
  return lines;
}

// The diff overlay: a title, the rows from `top`, the keys.
export function diffViewLines(path: string, diff: readonly Line[], top: number, width: number, height: number, hints: readonly KeyHint[]): Line[] {
  const page = Math.max(1, height - 2);
  const first = Math.min(top, Math.max(0, diff.length - page));
  const range = diff.length === 0 ? 'no difference' : `rows ${first + 1}–${Math.min(diff.length, first + page)} of ${diff.length}`;
  // the path goes last, the first thing cut on a narrow screen
  const lines: Line[] = [spread([seg('Changed since the run', {bold: true}), seg(' (- as recorded, + the file now) ', {dim: true}), seg(path)], [seg(range, {dim: true})], width)];
  lines.push(...diff.slice(first, first + page).map((line) => truncate(line, width)));
  while (lines.length < height - 1) lines.push([]);
  lines.push(footerLine(hints, width));
  return lines.slice(-height);
}

// How far the diff can scroll on a screen `height` rows high.
export function diffScrollMax(diff: readonly Line[], height: number): number {
  return Math.max(0, diff.length - Math.max(1, height - 2));
}
