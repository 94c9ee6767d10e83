import {shownLine, shownOutputLine, shownText} from '../text/terminal-text.js';
import type {FailureEntry, IncidentRecord, TimelineEntry} from './incident-schema.js';

// incident record → GitHub-flavoured Markdown, to paste into a postmortem
// unchanged. Every text from the transcript (output, notes, reasons, names)
// is made terminal-inert with shownText and escaped for where it goes: a
// table cell cannot end its cell or row, a list item cannot become a
// heading, and output sits in a fence longer than any backtick run in it.

export const headingsToFill = ['Impact', 'Root cause', 'Trigger', 'Resolution', 'Corrective actions', 'Regression tests to add', 'Lessons learned'] as const;

export const timelineColumns = ['Time (UTC)', 'Attempt', 'Step', 'Event', 'Who', 'Result', 'Duration', 'Details'] as const;

export function incidentMarkdown(record: IncidentRecord): string {
  const out: string[] = [];
  const title = record.title ?? record.runbookPath;
  out.push(`# Incident record: ${inline(title)}`, '');
  out.push(`Run ${code(record.runId, false)} of ${code(record.runbookPath, false)}, written by \`runbook report\` from the run's transcript. Times are UTC (RFC 3339).`, '');

  out.push('## Summary', '');
  const v = record.verification;
  const errors = v.problems.filter((p) => p.severity === 'error').length;
  const warnings = v.problems.length - errors;
  const verification = `${v.verdict}${v.sealed ? ', sealed' : ', not sealed'}${v.problems.length === 0 ? '' : ` (${plural(errors, 'error')}, ${plural(warnings, 'warning')}: see \`runbook verify\`)`}`;
  out.push(...table(['Field', 'Value'], [
    ['Incident', record.incident === null ? '—' : cell(record.incident)],
    ['Runbook', code(record.runbookPath)],
    ['Runbook sha256', code(record.runbookSha256)],
    ['Run', code(record.runId)],
    ['Mode', record.mode],
    ['Operators', cell(unique(record.attempts.map((a) => a.operator ?? a.user ?? 'unknown')).join(', ') || '—')],
    ['Start', record.startedAt],
    ['End', record.endedAt === null ? '—' : record.outcome === 'unfinished' ? `${record.endedAt} (the last record: no end was recorded)` : record.endedAt],
    ['Total duration', record.durationMs === null ? '—' : humanDuration(record.durationMs)],
    ['Outcome', cell(record.outcomeText)],
    ['Verification', cell(verification)],
    ['Transcript head', record.verification.head === null ? '—' : code(record.verification.head)],
  ]), '');
  if (v.problems.length > 0) {
    out.push('Verification problems:', '');
    for (const p of v.problems.slice(0, 10)) out.push(`- ${p.line === null ? '' : `line ${p.line}: `}${p.severity}: ${inline(p.message)}`);
    if (v.problems.length > 10) out.push(`- and ${v.problems.length - 10} more`);
    out.push('');
  }
  out.push('### Attempts', '');
  out.push(...table(['Attempt', 'Operator', 'User', 'Host', 'Mode', 'Started (UTC)', 'Ended (UTC)', 'Duration', 'Outcome'], record.attempts.map((a) => [
    `${a.attempt}${a.resumed ? ' (resumed)' : ''}`, cell(a.operator ?? '—'), cell(a.user ?? '—'), cell(a.host ?? '—'), a.mode, a.startedAt, a.endedAt ?? '—',
    a.durationMs === null ? '—' : humanDuration(a.durationMs), cell(a.reason === null ? a.outcome : `${a.outcome}: ${a.reason}`),
  ])), '');

  out.push('## Timeline', '');
  out.push(...table([...timelineColumns], record.timeline.map(timelineRow)), '');

  out.push('## What changed things', '');
  out.push('### Nodes that mutate', '');
  if (record.mutating.length === 0) {
    out.push('No node of the runbook is marked `mutates`.', '');
  } else {
    const rows: string[][] = [];
    for (const node of record.mutating) {
      if (node.runs.length === 0) rows.push([code(node.nodeId), cell(node.step ?? '—'), '—', '—', '—', 'not reached', '']);
      for (const run of node.runs) {
        const approval = run.approval;
        rows.push([
          code(node.nodeId), cell(node.step ?? '—'), `${run.attempt}${run.try > 1 ? `, try ${run.try}` : ''}`,
          approval === null ? 'no gate' : cell(`${approval.who} (${approval.decision})`), approval === null ? '—' : approval.time,
          cell(run.outcome), cell(run.reason ?? approval?.note ?? ''),
        ]);
      }
    }
    out.push(...table(['Node', 'Step', 'Attempt', 'Approved by', 'Approved at (UTC)', 'Result', 'Reason or note'], rows), '');
  }
  out.push('### Skipped, marked done, not applicable', '');
  if (record.exceptionList.length === 0) {
    out.push('Nothing was skipped, marked done or marked not applicable.', '');
  } else {
    out.push(...table(['Time (UTC)', 'Attempt', 'What', 'Step', 'Kind', 'By', 'Reason'], record.exceptionList.map((e) => [
      e.time, cell(String(e.attempt)), e.nodeId === null ? cell(e.what) : `${code(e.nodeId)} ${cell(e.what)}`, cell(e.step ?? '—'), e.kind, cell(e.by), cell(e.reason ?? '—'),
    ])), '');
  }

  out.push('## Failures', '');
  if (record.failures.length === 0) out.push('No node failed.', '');
  for (const failure of record.failures) out.push(...failureSection(failure));
  if (record.failuresWithoutExcerpt > 0) out.push(`${record.failuresWithoutExcerpt} more failures are in the timeline, without their output here.`, '');

  out.push('## Captured values', '');
  if (record.captures.length === 0) out.push('No value was captured.', '');
  else out.push(...table(['Node', 'Attempt', 'Name', 'Value'], record.captures.map((c) => [code(c.nodeId), cell(String(c.attempt)), code(c.name), code(c.value)])), '');

  out.push('## HTTP targets', '');
  if (record.httpTargets.length === 0) out.push('No http node ran.', '');
  else {
    out.push(...table(['Time (UTC)', 'Node', 'Attempt', 'Method', 'URL', 'Status', 'Result'], record.httpTargets.map((t) => [
      t.time, code(t.nodeId), cell(`${t.attempt}${t.try > 1 ? `, try ${t.try}` : ''}`), cell(t.method), code(t.url), cell(String(t.status)), cell(t.outcome),
    ])), '');
  }

  out.push('## Action items', '');
  if (record.actionItems.length === 0) out.push('Every checklist item was ticked or marked not applicable.', '');
  else {
    for (const item of record.actionItems) out.push(`- [ ] ${lineStart(item.text)} (checklist ${code(item.checklistId, false)}${item.step === null ? '' : `, step ${inline(item.step)}`}: ${inline(item.why)})`);
    out.push('');
  }

  for (const heading of headingsToFill) out.push(`## ${heading}`, '', '_To be written._', '');
  return `${out.join('\n').trimEnd()}\n`;
}

function timelineRow(entry: TimelineEntry): string[] {
  const event = entry.nodeId === null ? cell(entry.event) : `${code(entry.nodeId)} ${cell(entry.event)}`;
  return [
    entry.time, cell(String(entry.attempt)), cell(entry.step ?? ''), event, cell(entry.who ?? ''), cell(entry.result ?? ''),
    entry.durationMs === null ? '' : humanDuration(entry.durationMs), cell(entry.details ?? ''),
  ];
}

function failureSection(failure: FailureEntry): string[] {
  const out = [`### ${code(failure.nodeId, false)}: ${failure.outcome} (attempt ${failure.attempt}${failure.try > 1 ? `, try ${failure.try}` : ''})`, ''];
  const facts = [
    `- Started: ${failure.time}`,
    ...(failure.step === null ? [] : [`- Step: ${inline(failure.step)}`]),
    ...(failure.exitCode === null ? [] : [`- Exit code: ${inline(String(failure.exitCode))}`]),
    ...(failure.signal === null ? [] : [`- Signal: ${inline(failure.signal)}`]),
    ...(failure.reason === null ? [] : [`- Reason: ${inline(failure.reason)}`]),
  ];
  out.push(...facts, '');
  if (failure.excerpt.length === 0) {
    out.push('It printed nothing.', '');
    return out;
  }
  const leadIn = failure.sideFile !== null
    ? `The last ${plural(failure.excerpt.length, 'line')} of its output (all of it is in ${code(failure.sideFile, false)} beside the transcript):`
    : failure.linesBefore === null || failure.linesBefore === 0 ? 'Its output:' : `The last ${plural(failure.excerpt.length, 'line')} of its output (${plural(failure.linesBefore, 'line')} before them are in the transcript):`;
  const lines = failure.excerpt.map((line) => shownOutputLine(line, {colour: false}));
  const fence = '`'.repeat(Math.max(3, longestRun(lines.join('\n'), '`') + 1));
  out.push(leadIn, '', `${fence}text`, ...lines, fence, '');
  return out;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`.replace(/ {2,}\|/g, ' |');
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

// Text inside a table cell: inert, Markdown escaped, one line (a newline
// shows as <br>, which GitHub renders inside a cell).
export function cell(text: string): string {
  return escapeMarkdown(shownText(String(text))).replace(/\n/g, '<br>');
}

// Text inside a paragraph, heading or list item: as a cell, but a newline
// is a space.
export function inline(text: string): string {
  return escapeMarkdown(shownText(String(text))).replace(/\s*\n\s*/g, ' ');
}

// `inline`, for text that starts a line: it cannot open a list or a heading.
function lineStart(text: string): string {
  return inline(text).replace(/^(\d+)([.)])/, '$1\\$2').replace(/^[-+=]/, '\\$&');
}

// A name, path, URL or value as a code span: inert, on one line, in a
// delimiter longer than any backtick run in it. In a table, text with a pipe
// is escaped text instead (GFM splits cells before it reads code spans, and
// a backslash before an escaped pipe would escape the escape).
export function code(text: string, inTable = true): string {
  const shown = shownLine(String(text));
  if (shown === '') return '';
  if (inTable && shown.includes('|')) return cell(text);
  const fence = '`'.repeat(longestRun(shown, '`') + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || (shown.startsWith(' ') && shown.endsWith(' ') && shown.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&#!]/g, '\\$&');
}

function longestRun(text: string, character: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === character ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

// `40ms`, `1.2s`, `2m 05s`, `1h 02m`.
export function humanDuration(ms: number): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return cell(String(ms));
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
