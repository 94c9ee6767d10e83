import {shellFactsOf} from '../../runbook/node-script.js';
import {lastLines, type NodeState, type OutputLine} from '../../engine/run-state.js';
import {outcomeTraits} from '../../engine/outcomes.js';
import {expectedOutput, runText} from '../../runbook/node-text.js';
import type {ChecklistNode, DisplayNode, ExecNode} from '../../runbook/model.js';
import {shownOutputLine} from '../../text/terminal-text.js';
import type {ChecklistDraft} from '../player-store.js';
import {formatMs, nodeBadges} from './format.js';
import {behaviourSegments, nodeFactLines, retryWaitBadge, retryWaitStatus, timeLimit} from './node-facts.js';
import {codeWrap, hardWrap, lineWidth, plain, prefixed, seg, spread, truncate, wrap, type Color, type Line, type Segment, type Style} from './lines.js';

export interface BlockOptions {
  readonly width: number;
  readonly now: number;
  // rows of output shown for a running or failed node
  readonly outputRows: number;
  // rows of the command shown for a node that runs or ran; all of it before
  readonly commandRows: number;
  // the operator moved the focus cursor onto this node
  readonly cursor?: boolean;
  // rows of a finished node's output kept under its result; its default by outcome otherwise
  readonly finishedRows?: number;
}

// A finished node keeps the end of its output under its result: a little
// for a pass, more where something went wrong, so the evidence stays in view.
export function finishedTailRows(status: NodeState['status']): number {
  switch (status) {
    case 'passed':
      return 3;
    case 'allowed-failure':
    case 'marked-done':
    case 'interrupted':
    case 'failed':
    case 'timed-out':
      return 8;
    default:
      return 0;
  }
}

const cursorMark: Segment = seg('› ', {bold: true, color: 'cyan'});

const gutter: Line = [seg('  │ ', {dim: true})];
const indent: Line = [seg('    ')];

export function execBlock(node: ExecNode, state: NodeState | undefined, options: BlockOptions): Line[] {
  const status = state?.status ?? 'pending';
  // while a failed or unknown node waits for a decision, its glyph still says what it is
  const waitingOnFailure = status === 'waiting' && state?.waitingFor === 'failure' && state.result !== null;
  const unknown = status === 'unknown' || (status === 'waiting' && state?.waitingFor === 'unknown');
  const retry = retryWaitStatus(state, options.now);
  const badge = retry !== undefined ? retryWaitBadge : nodeBadges[waitingOnFailure ? state.result?.outcome ?? 'failed' : unknown ? 'unknown' : status];
  const attempt = state !== undefined && state.attempt > 1 ? state.attempt : 0;
  const mutates = state?.mutates ?? node.attributes.mutates === true;
  const interactive = state?.interactive ?? (node.attributes.interactive === true || shellFactsOf(node)?.session !== undefined);
  const left: Segment[] = [
    ...(options.cursor === true ? [cursorMark] : []),
    seg(badge.glyph, colorOf(badge.color)),
    seg(' '),
    seg(node.id, {bold: true}),
    seg(` · ${node.lang}`, {dim: true}),
    ...(mutates ? [seg(' · '), seg('MUTATES', {bold: true, color: 'magenta'})] : []),
    ...(interactive ? [seg(' · interactive', {dim: true})] : []),
    ...(attempt > 0 ? [seg(` · attempt ${attempt}`, {dim: true})] : []),
  ];
  const right = plain(retry ?? statusText(state, options.now), colorOf(badge.color));
  // its behaviour (timeout, retries, …) joins the header row when it fits there, else takes a row of its own
  const facts = behaviourSegments(state);
  const inline = facts.length > 0 && lineWidth(left) + 3 + lineWidth(facts) + 2 + lineWidth(right) <= options.width;
  const lines: Line[] = [
    spread(inline ? [...left, seg(' · ', {dim: true}), ...facts] : left, right, options.width),
    ...nodeFactLines(state, options.width, {behaviour: !inline}),
  ];

  const command = state?.command !== undefined && state.command !== '' ? state.command : runText(node);
  const before = status === 'pending' || status === 'unknown' || (status === 'waiting' && state?.waitingFor !== 'failure');
  const failedNow = status === 'failed' || status === 'timed-out' || status === 'interrupted' || (status === 'waiting' && state?.waitingFor === 'failure');
  if (before || status === 'running' || failedNow) {
    lines.push(...commandLines(command, options.width, before ? Number.MAX_SAFE_INTEGER : options.commandRows));
    // a block that opens a session (`oc debug node/x`): its later lines are typed there
    const typed = shellFactsOf(node)?.session?.lines.length ?? 0;
    if (typed > 0) lines.push(plain(`    ${typed === 1 ? 'the last line is' : `the last ${typed} lines are`} for the session it opens: type ${typed === 1 ? 'it' : 'them'} there (not run here)`, {color: 'yellow'}));
  }
  if (status === 'running') {
    if (interactive) lines.push(plain('    the command has the terminal', {dim: true}));
    else if (state !== undefined) lines.push(...outputTail(state, options.outputRows, options.width, true));
  } else if ((waitingOnFailureDecision(state) || unknown) && state !== undefined) {
    lines.push(...outputTail(state, options.outputRows, options.width, false));
  }
  if (state?.result !== null && state?.result !== undefined && status !== 'running') lines.push(...resultLines(state, options.width));
  if (state !== undefined && finishedTailRows(status) > 0) lines.push(...outputTail(state, options.finishedRows ?? finishedTailRows(status), options.width, false));
  lines.push(...expectedLines(expectedOutput(node), options.width, finishedTailRows(status) > 0 ? options.finishedRows ?? finishedTailRows(status) : options.outputRows));
  return lines;
}

// A transcript's sample output under the real one, marked as what the
// runbook expected: it is text, never run.
function expectedLines(expected: readonly string[], width: number, rows: number): Line[] {
  if (expected.length === 0 || rows <= 0) return [];
  const shown = expected.length <= rows ? expected : expected.slice(0, Math.max(1, rows - 1));
  const more = expected.length - shown.length;
  return [
    plain('    expected (as written, not run):', {dim: true}),
    ...shown.map((line) => truncate([seg('    ┆ ', {dim: true}), seg(outputText(line), {dim: true})], width)),
    ...(more > 0 ? [plain(`    ┆ … ${more} more lines`, {dim: true})] : []),
  ];
}

function waitingOnFailureDecision(state: NodeState | undefined): boolean {
  return state?.status === 'waiting' && state.waitingFor === 'failure';
}

function statusText(state: NodeState | undefined, now: number): string {
  if (state === undefined) return '';
  switch (state.status) {
    case 'running': {
      const elapsed = state.startedAt === null ? '' : ` ${formatMs(now - state.startedAt)}`;
      return `running${elapsed}${timeLimit(state)}${state.interruptRequested ? ' · stopping' : ''}`;
    }
    case 'waiting':
      switch (state.waitingFor) {
        case 'confirm':
          return 'waiting for you: run it?';
        case 'failure':
          return `${nodeBadges[state.result?.outcome ?? 'failed'].label}: decide`;
        case 'unknown':
          return 'unknown: decide';
        case 'checklist':
          return 'waiting for you: tick items';
        default:
          return 'waiting';
      }
    default:
      return nodeBadges[state.status].label;
  }
}

function commandLines(command: string, width: number, limit: number): Line[] {
  const rows = command.replace(/\n$/, '').split('\n').flatMap((line) => codeWrap(line, width - 4));
  if (rows.length <= limit) return prefixed(gutter, rows);
  const shown = Math.max(1, limit - 1);
  return [...prefixed(gutter, rows.slice(0, shown)), [...gutter, seg(`… ${rows.length - shown} more lines`, {dim: true})]];
}

function outputTail(state: NodeState, rows: number, width: number, running: boolean): Line[] {
  const lines = rows <= 0 ? [] : lastLines(state.output, rows);
  if (lines.length === 0) return running ? [plain('    no output yet', {dim: true})] : [];
  return lines.map((line) => truncate([...indent, ...outputSegments(line)], width));
}

// A line of output as a terminal would show it, less the command's colours
// (the player's own mark stderr); other sequences show as text.
export function outputSegments(line: OutputLine): Segment[] {
  switch (line.stream) {
    case 'stdout':
      return [seg(outputText(line.text))];
    case 'stderr':
      return [seg(outputText(line.text), {color: 'yellow'})];
    case 'attempt':
      return [seg(`── ${line.text} ──`, {dim: true})];
  }
}

function outputText(line: string): string {
  return expandTabs(shownOutputLine(line, {colour: false}));
}

function expandTabs(text: string): string {
  if (!text.includes('\t')) return text;
  let out = '';
  for (const char of text) out += char === '\t' ? ' '.repeat(8 - (out.length % 8)) : char;
  return out;
}

function resultLines(state: NodeState, width: number): Line[] {
  const result = state.result;
  if (result === null) return [];
  const facts: string[] = [];
  if (result.httpStatus !== null) facts.push(`HTTP ${result.httpStatus}`);
  else if (result.exitCode !== null) facts.push(`exit ${result.exitCode}`);
  if (result.signal !== null) facts.push(result.signal);
  if (outcomeTraits[result.outcome].ran) facts.push(formatMs(result.durationMs));
  const why = resultReason(state);
  const reason = why === undefined ? '' : `${facts.length === 0 ? '' : ' — '}${why}`;
  const lines: Line[] = [];
  if (facts.length > 0 || reason !== '') lines.push(...wrap([seg(facts.join(' · ')), seg(reason, {dim: true})], width, {first: [seg('  ')], rest: indent}));
  for (const assertion of result.http?.assertions ?? []) {
    if (!assertion.passed) lines.push(truncate([seg('  ✗ ', {color: 'red'}), seg(`?? ${assertion.source}`), seg(`  (got ${assertion.actual})`, {dim: true})], width));
  }
  for (const [name, value] of Object.entries(result.captures)) {
    lines.push(truncate([seg('  captured ', {dim: true}), seg(name, {bold: true}), seg(` = ${value}`)], width));
  }
  for (const [name, value] of Object.entries(result.exports ?? {})) {
    lines.push(truncate(value === null ? [seg('  unset ', {dim: true}), seg(name, {bold: true})] : [seg('  exported ', {dim: true}), seg(name, {bold: true}), seg(` = ${value}`)], width));
  }
  for (const survivor of result.survivors ?? []) {
    lines.push(truncate([seg('  ended process ', {color: 'yellow'}), seg(String(survivor.pid), {bold: true}), seg(' it left running: ', {color: 'yellow'}), seg(survivor.command, {dim: true})], width));
  }
  if (!result.outputCaptured && state.interactive) lines.push(plain('  its output went to the terminal and was not captured', {dim: true}));
  return lines;
}

// Why it ended as it did; for a node marked done, the operator's note too.
function resultReason(state: NodeState): string | undefined {
  const reason = state.result?.reason;
  const note = state.decision?.note;
  if (state.result?.outcome === 'marked-done' && state.decision?.decision === 'mark-done' && note !== undefined) return `${reason ?? 'marked done'}: ${note}`;
  return reason;
}

export function checklistBlock(node: ChecklistNode, state: NodeState | undefined, draft: ChecklistDraft | null, options: BlockOptions): Line[] {
  const status = state?.status ?? 'pending';
  const badge = nodeBadges[status];
  const active = draft !== null && draft.nodeId === node.id;
  const left: Line = [
    ...(options.cursor === true ? [cursorMark] : []),
    seg(badge.glyph, colorOf(badge.color)), seg(' '), ...checklistTitle(node, options.width),
  ];
  const lines: Line[] = [spread(left, plain(statusText(state, options.now), colorOf(badge.color)), options.width)];
  node.items.forEach((item, index) => {
    const mark = active ? draft.marks[index] ?? null : state?.checklist.find((entry) => entry.index === index) ?? null;
    const box = mark === null ? '[ ]' : mark.state === 'ticked' ? '[x]' : '[-]';
    const selected = active && draft.selected === index;
    const pointer = selected ? seg('› ', {bold: true, color: 'cyan'}) : seg('  ');
    const text: Segment[] = [seg(item.text, selected ? {bold: true} : undefined)];
    if (mark?.state === 'not-applicable') text.push(seg(` — not applicable: ${mark.reason ?? ''}`, {dim: true}));
    lines.push(...wrap(text, options.width, {first: [pointer, seg(`${box} `, mark === null ? undefined : {color: 'green'})], rest: [seg('      ')]}));
  });
  return lines;
}

// An explicit id names a checklist; a derived one (`trigger-conditions-5`)
// means nothing to the operator, so the first item does.
function checklistTitle(node: ChecklistNode, width: number): Segment[] {
  const kind = seg(' · checklist', {dim: true});
  if (node.explicitId) return [seg(node.id, {bold: true}), kind];
  const first = node.items[0]?.text ?? node.id;
  const more = node.items.length > 1 ? ` +${node.items.length - 1}` : '';
  // what the status on the right leaves (`waiting for you: tick items`)
  const room = Math.max(8, width - 48);
  return [...truncate([seg(first, {bold: true})], room), seg(more, {dim: true}), kind];
}

export function displayBlock(node: DisplayNode, width: number): Line[] {
  const limit = 12;
  const rows = node.code.replace(/\n$/, '').split('\n').flatMap((line) => hardWrap(line, width - 4, {dim: true}));
  const head: Line = [seg(`  ${node.lang ?? 'text'} (shown, not run)`, {dim: true})];
  const shown = rows.length <= limit ? rows : [...rows.slice(0, limit - 1), plain(`… ${rows.length - limit + 1} more lines`, {dim: true})];
  return [head, ...prefixed([seg('  ┆ ', {dim: true})], shown)];
}

function colorOf(color: Color | undefined): Style | undefined {
  return color === undefined ? undefined : {color};
}
