import type {Runbook} from '../../runbook/model.js';
import type {PlayerSnapshot} from '../player-store.js';
import {footerLine, type KeyHint} from './footer.js';
import {headerLines, type RunInfo} from './header.js';
import {helpLines} from './help.js';
import {plain, rule, seg, truncate, type Line} from './lines.js';
import {notesViewLines} from './notes-view.js';
import {outputViewLines} from './output-view.js';
import {panelLines} from './panel.js';
import {stepBody, type Anchor} from './step-body.js';
import {stepListLines} from './step-list.js';
import {targetText} from './target.js';
import {variablesLines} from './variables-view.js';

export interface FrameInput {
  readonly snapshot: PlayerSnapshot;
  readonly runbook: Runbook;
  readonly info: RunInfo;
  readonly hints: readonly KeyHint[];
  readonly width: number;
  // terminal rows; the frame uses one less, so Ink never has to clear the screen
  readonly height: number;
  readonly now: number;
}

// The whole screen as rows, never taller or wider than the terminal:
// header, steps, the current step (scrolled to what matters now), the
// question, the keys.
export function playerFrame(input: FrameInput, scroll?: ScrollRoom): Line[] {
  const width = Math.max(1, input.width);
  return layout(input, scroll).map((line) => truncate(line, width));
}

// How far the step body can scroll from where it stands, filled in by the
// frame just drawn, so PgUp/PgDn stop at its ends.
export interface ScrollRoom {
  min: number;
  max: number;
  page: number;
}

function layout(input: FrameInput, scroll?: ScrollRoom): Line[] {
  const width = Math.max(1, input.width);
  const height = Math.max(1, input.height - 1);
  const {snapshot, runbook, info, hints, now} = input;

  if (snapshot.suspendedNodeId !== null) {
    return [truncate([seg('▶ ', {color: 'cyan'}), seg(snapshot.suspendedNodeId, {bold: true}), seg(' has the terminal; the player comes back when it exits', {dim: true})], width)];
  }
  if (snapshot.overlay.kind === 'output') {
    return outputViewLines(snapshot.run, snapshot.overlay.nodeId, snapshot.overlay.top, width, height, info.transcriptPath, hints);
  }

  const target = targetText(runbook, snapshot.run);
  // a short terminal gives the run's facts one row when the target takes one
  const factRows = height >= 20 && (target === undefined || target === '' || height >= 30) ? 2 : 1;
  const header = headerLines(snapshot.run, {...info, target}, width, now, factRows, snapshot.overlay.kind === 'confirm-live');
  // after the run, the last frame stays on screen: no keys to show
  const footer = snapshot.run.end !== null && hints.length === 0 ? [] : [footerLine(hints, width)];
  if (snapshot.overlay.kind === 'help' || snapshot.overlay.kind === 'notes' || snapshot.overlay.kind === 'variables') {
    const rows = Math.max(1, height - header.length - 2);
    const shown = snapshot.overlay.kind === 'help' ? helpLines(width, info.replay !== undefined) : snapshot.overlay.kind === 'notes' ? notesViewLines(snapshot.run, width) : variablesLines(snapshot.run, width);
    // the newest notes matter most: a long list keeps its end in view
    const help = snapshot.overlay.kind === 'notes'
      ? viewport(shown, rows, {start: shown.length - 1, end: shown.length, prefer: 'end'})
      : snapshot.overlay.kind === 'variables' ? viewport(shown, rows, null) : stepViewport(shown, rows, null, snapshot.overlay.top ?? 0, [], scroll);
    while (help.length < rows) help.push([]);
    return [...header, rule(width), ...help, ...footer].slice(-height);
  }
  // once the run has ended, the summary and its exceptions get half the screen
  const panelRoom = Math.max(1, Math.floor(height / (snapshot.run.end === null ? 3 : 2)));
  const panel = panelLines(snapshot, width, info.transcriptPath, panelRoom).slice(0, panelRoom);
  const panelRows = panel.length === 0 ? 0 : panel.length + 1;
  const fixed = header.length + panelRows + footer.length;
  const stepCount = snapshot.run.stepOrder.length;
  // the step list gets a quarter of the screen (rule included), the current step the rest
  // (a sixth under 30 rows while the run goes on, where the step's evidence needs every row)
  let stepRows = Math.min(stepCount, Math.max(1, Math.floor(height / (height < 30 && snapshot.run.end === null ? 6 : 4)) - 1), 8);
  let bodyRows = height - fixed - (stepRows + 1) - 1;
  if (bodyRows < 3) {
    stepRows = Math.max(0, stepRows - (3 - bodyRows));
    bodyRows = height - fixed - (stepRows > 0 ? stepRows + 1 : 0) - 1;
  }
  if (footer.length === 0) bodyRows = Math.min(bodyRows, stepBody(runbook, snapshot, width, Math.max(1, bodyRows), now).lines.length);
  const steps = stepRows > 0 ? stepListLines(snapshot.run, width, stepRows, now) : [];

  const {lines, anchor, pins, pinsIfRoom} = stepBody(runbook, snapshot, width, Math.max(1, bodyRows), now);
  // the asked node's facts and resolved request stay in view too, as many
  // of those rows as leave the body half its rows
  const kept = [...pins, ...pinsIfRoom.slice(0, Math.max(0, Math.floor(bodyRows / 2) - pins.length))];
  const body = bodyRows > 0 ? stepViewport(lines, bodyRows, anchor, snapshot.scroll, kept, scroll) : [];
  while (body.length < bodyRows) body.push([]);

  const frame = [
    ...header,
    ...steps,
    ...(body.length > 0 ? [rule(width), ...body] : []),
    ...(panel.length === 0 ? [] : [rule(width), ...panel]),
    ...footer,
  ];
  // a tiny terminal keeps the bottom: the question and the keys
  return frame.length > height ? frame.slice(frame.length - height) : frame;
}

// The rows of `lines` that fit in `height`, keeping the anchor in view; an
// arrow row says how much is cut above or below.
export function viewport(lines: readonly Line[], height: number, anchor: Anchor | null): Line[] {
  if (lines.length <= height) return [...lines];
  let up = false;
  let down = false;
  let top = 0;
  let rows = height;
  for (let round = 0; round < 3; round += 1) {
    rows = Math.max(1, height - (up ? 1 : 0) - (down ? 1 : 0));
    top = 0;
    if (anchor !== null) {
      const size = anchor.end - anchor.start;
      top = size <= rows ? anchor.end - rows : anchor.prefer === 'start' ? anchor.start : anchor.end - rows;
    }
    top = Math.min(Math.max(0, top), lines.length - rows);
    const nextUp = top > 0;
    const nextDown = top + rows < lines.length;
    if (nextUp === up && nextDown === down) break;
    up = nextUp;
    down = nextDown;
  }
  const window = lines.slice(top, top + rows);
  const out = [
    ...(top > 0 ? [plain(`↑ ${top} more lines`, {dim: true})] : []),
    ...window,
    ...(top + rows < lines.length ? [plain(`↓ ${lines.length - top - rows} more lines`, {dim: true})] : []),
  ];
  return out.slice(0, height);
}

// The step body's rows that fit in `height`: where the anchor puts them,
// moved `offset` rows by PgUp/PgDn. Pinned rows (the step's title, the
// header of the node asked about) stay in view above or below the window.
export function stepViewport(lines: readonly Line[], height: number, anchor: Anchor | null, offset: number, pins: readonly number[], room?: ScrollRoom): Line[] {
  if (room !== undefined) Object.assign(room, {min: 0, max: 0, page: Math.max(1, height - 2)});
  if (lines.length <= height) return [...lines];
  let above: number[] = [];
  let below: number[] = [];
  let up = false;
  let down = false;
  let top = 0;
  let rows = height;
  let auto = 0;
  for (let round = 0; round < 4; round += 1) {
    rows = Math.max(1, height - (up ? 1 : 0) - (down ? 1 : 0) - above.length - below.length);
    auto = 0;
    if (anchor !== null) {
      const size = anchor.end - anchor.start;
      auto = size <= rows ? anchor.end - rows : anchor.prefer === 'start' ? anchor.start : anchor.end - rows;
    }
    const last = lines.length - rows;
    auto = Math.min(Math.max(0, auto), last);
    top = Math.min(Math.max(0, auto + offset), last);
    const nextAbove = pins.filter((pin) => pin < top);
    const nextBelow = pins.filter((pin) => pin >= top + rows);
    const nextUp = top > nextAbove.length;
    const nextDown = lines.length - top - rows > nextBelow.length;
    const settled = nextUp === up && nextDown === down && nextAbove.length === above.length && nextBelow.length === below.length;
    above = nextAbove;
    below = nextBelow;
    up = nextUp;
    down = nextDown;
    if (settled) break;
  }
  if (room !== undefined) Object.assign(room, {min: -auto, max: lines.length - rows - auto, page: Math.max(1, rows - 1)});
  const hiddenAbove = top - above.length;
  const hiddenBelow = lines.length - top - rows - below.length;
  const out = [
    ...above.map((pin) => lines[pin] ?? []),
    ...(hiddenAbove > 0 ? [plain(`↑ ${hiddenAbove} more lines · PgUp`, {dim: true})] : []),
    ...lines.slice(top, top + rows),
    ...below.map((pin) => lines[pin] ?? []),
    ...(hiddenBelow > 0 ? [plain(`↓ ${hiddenBelow} more lines · PgDn`, {dim: true})] : []),
  ];
  return out.slice(0, height);
}
