import type {RunState} from '../../engine/run-state.js';
import {exceptionMarks, exceptionText, outcomeWords, runExceptions} from '../../engine/status-marks.js';
import type {PlayerSnapshot, TextPurpose} from '../player-store.js';
import type {TextEntry} from '../text-entry.js';
import {formatMs} from './format.js';
import {plain, seg, textWidth, truncate, wrap, type Line, type Segment} from './lines.js';

// What the player asks or says now, just above the footer: a decision, a
// field being typed, a confirmation, the run's end.
export function panelLines(snapshot: PlayerSnapshot, width: number, transcriptPath: string, rows = Number.MAX_SAFE_INTEGER): Line[] {
  const lines = mainLines(snapshot, width, transcriptPath, rows);
  if (snapshot.message !== null && snapshot.run.end === null) lines.push(truncate([seg('· ', {dim: true}), seg(snapshot.message, {color: 'yellow'})], width));
  return lines;
}

function mainLines(snapshot: PlayerSnapshot, width: number, transcriptPath: string, rows: number): Line[] {
  const {overlay, ask, run} = snapshot;
  if (run.end !== null) return endLines(run, width, transcriptPath, rows);
  if (snapshot.quitRequested) return [plain('Stopping safely… the run can be resumed.', {bold: true, color: 'yellow'})];
  switch (overlay.kind) {
    case 'text':
      return [
        ...wrap([seg(textPrompt(overlay.purpose), {bold: true})], width),
        fieldLine(overlay.entry, false, width),
        ...(overlay.problem === null ? [] : [truncate([seg('✗ ', {color: 'red'}), seg(overlay.problem, {color: 'red'})], width)]),
      ];
    case 'confirm-quit':
      return wrap([seg('Quit now? ', {bold: true}), seg('The run stops safely and can be resumed later.')], width);
    case 'confirm-live':
      return wrap([seg('Go live? ', {bold: true, color: 'magenta'}), seg(overlay.prompt)], width);
    case 'confirm-abort':
      return wrap([seg('Abort the run? ', {bold: true, color: 'red'}), seg('It ends here for good and cannot be resumed.')], width);
    case 'help':
    case 'output':
    case 'none':
      break;
  }
  if (ask === null) return runAheadLines(snapshot, width);
  switch (ask.kind) {
    case 'confirm':
      return [
        ...wrap([seg('◆ ', {color: 'yellow'}), seg(ask.request.prompt, {bold: true})], width, {rest: [seg('  ')]}).slice(0, 3),
        ...(ask.request.mutates ? wrap([seg('MUTATES', {bold: true, color: 'magenta'}), seg(' — it changes something outside this machine; '), seg('y', {bold: true, color: 'cyan'}), seg(' runs it')], width, {first: [seg('  ')], rest: [seg('  ')]}) : []),
        ...(ask.request.mutates ? actsOnLines(ask.request.resolved ?? ask.request.command, width) : []),
      ];
    case 'failure':
      return wrap([seg('✗ ', {color: 'red'}), seg(run.pending?.prompt ?? `${ask.request.node?.id ?? ask.request.step.id} failed`, {bold: true}), seg(` (attempt ${ask.request.attempt})`, {dim: true})], width, {rest: [seg('  ')]}).slice(0, 3);
    case 'unknown':
      return [
        ...wrap([seg('? ', {color: 'yellow'}), seg(run.pending?.prompt ?? `${ask.request.node.id} never finished`, {bold: true})], width, {rest: [seg('  ')]}).slice(0, 3),
        ...wrap([seg(ask.request.idempotent ? 'It is marked idempotent: rerunning it is safe.' : 'It is not marked idempotent: check what it did before you rerun it.', {dim: true})], width, {first: [seg('  ')]}),
      ];
    case 'checklist': {
      const marks = snapshot.checklist?.marks ?? [];
      const done = marks.filter((mark) => mark !== null).length;
      return wrap([seg('◆ ', {color: 'yellow'}), seg('Tick each item (space) or mark it not applicable (x); enter continues', {bold: true}), seg(` · ${done} of ${marks.length} done`, {dim: true})], width, {rest: [seg('  ')]});
    }
    case 'input': {
      const {input, problem} = ask.request;
      const lines = wrap([seg(input.name, {bold: true}), seg(input.description === undefined ? '' : ` — ${input.description}`)], width).slice(0, 2);
      const facts: string[] = [];
      if (input.default !== undefined) facts.push(`enter alone takes the default: ${input.secret ? '••••••' : input.default}`);
      if (input.choices !== undefined) facts.push(`one of: ${input.choices.join(', ')}`);
      if (input.secret) facts.push('secret: not shown, not recorded');
      if (facts.length > 0) lines.push(...wrap([seg(facts.join(' · '), {dim: true})], width, {first: [seg('  ')]}).slice(0, 2));
      if (problem !== undefined) lines.push(...wrap([seg('✗ ', {color: 'red'}), seg(problem, {color: 'red'})], width).slice(0, 2));
      lines.push(fieldLine(snapshot.input, input.secret, width));
      return lines;
    }
  }
}

// What a node that mutates acts on, values filled in (secrets masked): the
// first rows of its command, so the operator reads what they approve.
function actsOnLines(command: string, width: number): Line[] {
  const rows = command.replace(/\n+$/, '').split('\n').filter((line) => line.trim() !== '' && !/^\s*#/.test(line));
  const limit = 3;
  const shown = rows.slice(0, rows.length > limit ? limit - 1 : limit).map((row, index) => truncate([seg(index === 0 ? '  acts on: ' : '           ', {dim: true}), seg(row)], width));
  if (rows.length > limit) shown.push(plain(`           … ${rows.length - limit + 1} more lines`, {dim: true}));
  return shown;
}

// While read-only nodes run without being asked, the panel says so.
function runAheadLines(snapshot: PlayerSnapshot, width: number): Line[] {
  if (snapshot.runAhead === 'off' || snapshot.run.runningNodeId === null) return [];
  const until = snapshot.runAhead === 'to-gate' ? 'up to the next gate' : 'for the rest of the run';
  return wrap([seg('▶ ', {color: 'cyan'}), seg(`Running read-only nodes without asking, ${until}`, {bold: true}), seg(' · nodes that mutate, confirms, checklists and failures still ask', {dim: true})], width, {rest: [seg('  ')]}).slice(0, 2);
}

function textPrompt(purpose: TextPurpose): string {
  switch (purpose.kind) {
    case 'note':
      return 'Note for the transcript:';
    case 'skip':
      return 'Why skip it? (optional; enter skips)';
    case 'mark-done':
      return 'How was it done? (a note is required)';
    case 'not-applicable':
      return 'Why is this item not applicable?';
  }
}

// `> text` with a block cursor; a secret shows one dot per character.
function fieldLine(entry: TextEntry, secret: boolean, width: number): Line {
  const chars = [...entry.text].map((char) => (secret ? '•' : char));
  const room = Math.max(4, width - 3);
  let start = 0;
  if (textWidth(chars.join('')) >= room) start = Math.max(0, entry.cursor - room + 1);
  const visible = chars.slice(start);
  const cursor = entry.cursor - start;
  const segments: Segment[] = [seg('> ', {color: 'cyan'}), seg(visible.slice(0, cursor).join(''))];
  segments.push(seg(visible[cursor] ?? ' ', {inverse: true}));
  if (cursor + 1 < visible.length) segments.push(seg(visible.slice(cursor + 1).join('')));
  return truncate(segments, width);
}

function countsText(counts: Readonly<Record<string, number>>, before: string): string {
  const text = Object.entries(counts).filter(([, count]) => count > 0).map(([outcome, count]) => `${count} ${outcome}`).join(', ');
  return text === '' ? '' : `${before}${text}`;
}

// The outcome (`Run passed with 2 exceptions`), then each thing that did
// not simply pass with its reason, as many as `rows` leaves room for.
function endLines(run: RunState, width: number, transcriptPath: string, rows: number): Line[] {
  const end = run.end;
  if (end === null) return [];
  const exceptions = runExceptions(run);
  const color = end.outcome === 'passed' ? (exceptions.length > 0 ? 'yellow' : 'green') : end.outcome === 'interrupted' ? 'yellow' : 'red';
  // a resumed run: the whole run first, then this attempt
  const figures = end.total === undefined
    ? ` in ${formatMs(end.durationMs)}${countsText(end.counts, ' — ')}`
    : ` in ${formatMs(end.total.durationMs)} over ${end.total.attempts} attempts${countsText(end.total.counts, ' — ')}; attempt ${run.attempt}: ${formatMs(end.durationMs)}${countsText(end.counts, ' — ')}`;
  const head = [
    ...wrap([seg(`Run ${outcomeWords(end.outcome, exceptions.length)}`, {bold: true, color}), seg(figures)], width),
    ...(end.reason === undefined ? [] : wrap([seg(end.reason, {dim: true})], width).slice(0, 2)),
  ];
  const transcript = truncate([seg(`transcript ${transcriptPath}`, {dim: true})], width);
  const room = Math.max(0, rows - head.length - 1);
  const listed = exceptions.length <= room ? exceptions : exceptions.slice(0, Math.max(0, room - 1));
  const list = listed.map((exception) => {
    const mark = exceptionMarks[exception.kind];
    return truncate([seg('  '), seg(mark.glyph, mark.color === undefined ? undefined : {color: mark.color}), seg(` ${exceptionText(exception)}`)], width);
  });
  if (listed.length < exceptions.length && room > 0) list.push(plain(`  … and ${exceptions.length - listed.length} more`, {dim: true}));
  return [...head, ...list, transcript];
}
