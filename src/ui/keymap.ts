import type {Key} from 'ink';
import {tailLength} from '../engine/run-state.js';
import {movedFocus, outputNodeId} from './focus.js';
import {isReadOnlyStep, type Ask, type ItemMark, type Overlay, type PlayerSnapshot, type PlayerStore, type TextPurpose} from './player-store.js';
import {editEntry, emptyEntry, insertText, type EntryEdit, type TextEntry} from './text-entry.js';
import type {ScrollRoom} from './view/frame.js';

// Every key the player understands, by situation. The footer shows the
// bindings that apply now and `?` lists them, from this one table, so what
// is shown is what works.

export interface KeyContext {
  readonly store: PlayerStore;
  readonly snapshot: PlayerSnapshot;
  // rows of output the full-output view shows at once
  readonly page: number;
  // how far the step body can scroll, from the frame last drawn
  readonly scroll?: ScrollRoom;
}

export interface Binding {
  // as shown: `enter`, `s`, `Ctrl-C`, `j/k`; '' for another key doing what
  // the binding before it does in the other direction (`k` after `j`)
  readonly key: string;
  readonly action: string;
  readonly matches: (input: string, key: Key) => boolean;
  readonly run: (context: KeyContext) => void;
  // what `?` says it does, when more than `action`
  readonly help?: string;
  // listed by `?`, left out of the footer
  readonly hidden?: true;
}

const char = (wanted: string) => (input: string, key: Key): boolean => input === wanted && !key.ctrl && !key.meta;
const enter = (_input: string, key: Key): boolean => key.return;
const escape = (_input: string, key: Key): boolean => key.escape;
const ctrlC = (input: string, key: Key): boolean => key.ctrl && input === 'c';
const either = (...tests: ((input: string, key: Key) => boolean)[]) => (input: string, key: Key): boolean => tests.some((test) => test(input, key));

function openText(purpose: TextPurpose): (context: KeyContext) => void {
  return ({store}) => store.update({overlay: {kind: 'text', purpose, entry: emptyEntry, problem: null}, message: null});
}

const close = ({store}: KeyContext): void => store.update({overlay: {kind: 'none'}});

function interruptBinding(snapshot: PlayerSnapshot, store: PlayerStore): Binding {
  const running = store.runningNodeId;
  const interrupts = running !== null && snapshot.interruptedNodeId !== running && !snapshot.quitRequested;
  return {key: 'Ctrl-C', action: interrupts ? 'interrupt' : 'quit', help: 'interrupt the running node only; again, or when nothing runs, quit safely', matches: ctrlC, run: ({store: target}) => target.interruptOrQuit()};
}

function common(snapshot: PlayerSnapshot, store: PlayerStore, withOutput = true): Binding[] {
  const output = outputNodeId(snapshot);
  return [
    {key: 'n', action: 'note', help: 'add a note to the transcript (on the running node, if any); the step lists it', matches: char('n'), run: openText({kind: 'note'})},
    ...(withOutput && output !== null
      ? [{key: 'o', action: 'output', help: 'the full output of the node in focus: j/k line, PgUp/PgDn page, g/G top/bottom, q back', matches: char('o'), run: ({store: target}: KeyContext) => target.update({overlay: {kind: 'output', nodeId: output, top: null}, message: null})}]
      : []),
    {key: 'q', action: 'quit', help: 'quit safely: the run stops and can be resumed (asks first)', matches: char('q'), run: ({store: target}) => target.update({overlay: {kind: 'confirm-quit'}, message: null})},
    {key: '?', action: 'help', help: 'this help (q or esc closes it)', matches: char('?'), run: ({store: target}) => target.update({overlay: {kind: 'help'}, message: null})},
    interruptBinding(snapshot, store),
    variablesBinding,
  ];
}

// `v`: the variables view, with every value and where it came from.
const variablesBinding: Binding = {key: 'v', action: 'variables', help: 'the variables: each value and where it came from (secrets masked)', matches: char('v'), run: ({store}) => store.update({overlay: {kind: 'variables'}, message: null})};

const abort: Binding = {key: 'a', action: 'abort', help: 'abort the run: it ends for good (asks first)', matches: char('a'), run: ({store}) => store.update({overlay: {kind: 'confirm-abort'}, message: null})};
const skip: Binding = {key: 's', action: 'skip', help: 'skip the node (you may say why)', matches: char('s'), run: openText({kind: 'skip'})};
const markDone: Binding = {key: 'm', action: 'mark done', help: 'mark a failed or unknown node done by hand (a note is required)', matches: char('m'), run: openText({kind: 'mark-done'})};

function decisionBindings(ask: Ask, snapshot: PlayerSnapshot): Binding[] {
  switch (ask.kind) {
    case 'confirm':
      return [...confirmBindings(ask), skip, abort];
    case 'failure':
      return [{key: 'r', action: 'retry', help: 'retry a failed node', matches: char('r'), run: () => ask.answer({decision: 'retry'})}, skip, markDone, abort];
    case 'unknown':
      return [{key: 'r', action: 'rerun', help: 'rerun a node an earlier attempt left unknown', matches: char('r'), run: () => ask.answer({decision: 'rerun'})}, skip, markDone, abort];
    case 'checklist': {
      const draft = snapshot.checklist;
      const marks = draft?.marks ?? [];
      const complete = marks.every((mark) => mark !== null);
      const move = (delta: number) => ({store, snapshot: current}: KeyContext): void => {
        const checklist = current.checklist;
        if (checklist === null) return;
        const selected = Math.min(checklist.marks.length - 1, Math.max(0, checklist.selected + delta));
        store.update({checklist: {...checklist, selected}});
      };
      return [
        {key: 'space', action: 'tick', help: 'tick the selected checklist item', matches: char(' '), run: ({store, snapshot: current}) => {
          const checklist = current.checklist;
          if (checklist === null) return;
          const mark = checklist.marks[checklist.selected];
          store.update({checklist: withMark(checklist, checklist.selected, mark?.state === 'ticked' ? null : {state: 'ticked'})});
        }},
        {key: '↑/↓', action: 'move', help: 'select a checklist item (j/k too)', matches: either((_input, key) => key.downArrow, char('j')), run: move(1)},
        {key: '', action: '', matches: either((_input, key) => key.upArrow, char('k')), run: move(-1)},
        {key: 'x', action: 'n/a', help: 'mark the selected item not applicable (a reason is required)', matches: char('x'), run: (context) => {
          const checklist = context.snapshot.checklist;
          if (checklist === null) return;
          if (checklist.marks[checklist.selected]?.state === 'not-applicable') context.store.update({checklist: withMark(checklist, checklist.selected, null)});
          else openText({kind: 'not-applicable', index: checklist.selected})(context);
        }},
        {key: 'enter', action: 'done', help: 'continue a checklist once every item is ticked or not applicable', matches: enter, run: ({store}) => {
          if (!complete) {
            store.update({message: 'tick every item (space) or mark it not applicable (x) first'});
            return;
          }
          ask.answer({decision: 'done', items: marks.map((mark, index) => ({index, ...itemAnswer(mark as ItemMark)}))});
        }},
        skip,
        abort,
      ];
    }
    case 'input':
      return [];
  }
}

export const mutatingGateHint = 'this node changes things: press y to run it';

// At a node that mutates, `y` runs it and `enter` only says so: the key that
// approves everything else never approves a change. At a read-only node
// (no `confirm`, no `mutates`) `g` also runs the read-only nodes after it,
// up to the next gate, and `G` for the rest of the run.
function confirmBindings(ask: Extract<Ask, {kind: 'confirm'}>): Binding[] {
  if (ask.request.mutates) {
    return [
      {key: 'y', action: 'run it', help: 'run a node that mutates: enter does not', matches: char('y'), run: () => ask.answer({decision: 'run'})},
      {key: '', action: '', matches: enter, run: ({store}) => store.update({message: mutatingGateHint})},
    ];
  }
  const readOnly = isReadOnlyStep(ask.request);
  return [
    {key: 'enter', action: 'run', matches: enter, run: () => ask.answer({decision: 'run'})},
    ...(readOnly
      ? [
        {key: 'g/G', action: 'run ahead', help: 'run this and the read-only nodes after it without asking: g up to the next gate, G for the rest of the run (recorded)', matches: char('g'), run: ({store}: KeyContext) => store.runAhead('to-gate')},
        {key: '', action: '', matches: char('G'), run: ({store}: KeyContext) => store.runAhead('rest')},
      ]
      : []),
  ];
}

function withMark(checklist: NonNullable<PlayerSnapshot['checklist']>, index: number, mark: ItemMark | null): NonNullable<PlayerSnapshot['checklist']> {
  const marks = [...checklist.marks];
  marks[index] = mark;
  return {...checklist, marks};
}

function itemAnswer(mark: ItemMark): {state: 'ticked'} | {state: 'not-applicable'; reason: string} {
  return mark.state === 'ticked' ? {state: 'ticked'} : {state: 'not-applicable', reason: mark.reason};
}

function outputBindings(overlay: Extract<Overlay, {kind: 'output'}>, snapshot: PlayerSnapshot, store: PlayerStore): Binding[] {
  const node = snapshot.run.nodes.get(overlay.nodeId);
  const length = node === undefined ? 0 : tailLength(node.output);
  const scroll = (delta: (page: number) => number) => ({store: target, page}: KeyContext): void => {
    const last = Math.max(0, length - page);
    const top = (overlay.top ?? last) + delta(page);
    target.update({overlay: {...overlay, top: top >= last ? null : Math.max(0, top)}});
  };
  return [
    {key: 'j/k', action: 'scroll', matches: either(char('j'), (_input, key) => key.downArrow), run: scroll(() => 1)},
    {key: '', action: '', matches: either(char('k'), (_input, key) => key.upArrow), run: scroll(() => -1)},
    {key: 'PgUp/PgDn', action: 'page', matches: either((_input, key) => key.pageDown, char(' ')), run: scroll((page) => page)},
    {key: '', action: '', matches: either((_input, key) => key.pageUp, char('b')), run: scroll((page) => -page)},
    {key: 'g/G', action: 'top/bottom', matches: char('g'), run: ({store: target}) => target.update({overlay: {...overlay, top: 0}})},
    {key: '', action: '', matches: char('G'), run: ({store: target}) => target.update({overlay: {...overlay, top: null}})},
    {key: 'q', action: 'back', matches: either(char('q'), escape), run: close},
    interruptBinding(snapshot, store),
  ];
}

// PgUp/PgDn: the step body a page up or down, within what the last frame could show.
function scrollStep({store, snapshot, scroll: room}: KeyContext, direction: number): void {
  const wanted = snapshot.scroll + direction * (room?.page ?? 10);
  store.update({scroll: room === undefined ? wanted : Math.min(room.max, Math.max(room.min, wanted))});
}

// Looking around while the run goes on or waits: the focus cursor over the
// nodes of the current and finished steps (a finished step's node shows
// that step again), PgUp/PgDn through the step, the notes. In a checklist
// ↑/↓ and j/k select items, so `[`/`]` move the focus there.
function browseBindings(snapshot: PlayerSnapshot, inChecklist: boolean): Binding[] {
  const focus = (delta: number) => ({store, snapshot: current}: KeyContext): void => {
    const next = movedFocus(current, delta);
    if (next !== null) store.update({focus: next, scroll: 0});
  };
  const scroll = (direction: number) => (context: KeyContext): void => scrollStep(context, direction);
  const up = (_input: string, key: Key): boolean => key.upArrow;
  const down = (_input: string, key: Key): boolean => key.downArrow;
  return [
    inChecklist
      ? {key: '[/]', action: 'focus', help: 'move the focus to the node before / after (in a checklist, where ↑/↓ select items)', matches: char('['), run: focus(-1)}
      : {key: '↑/↓', action: 'focus', help: 'move the focus to the node before / after (j/k too); a finished step\'s node shows that step again', matches: either(up, char('k')), run: focus(-1)},
    {key: '', action: '', matches: inChecklist ? char(']') : either(down, char('j')), run: focus(1)},
    ...(snapshot.focus === null ? [] : [{key: 'esc', action: 'back', help: 'focus back on what the run is at', matches: escape, run: ({store}: KeyContext) => store.update({focus: null, scroll: 0})}]),
    {key: 'PgUp/PgDn', action: 'scroll', help: 'scroll the step up / down a page', hidden: true, matches: (_input, key) => key.pageUp, run: scroll(-1)},
    {key: '', action: '', matches: (_input, key) => key.pageDown, run: scroll(1)},
    {key: 'N', action: 'notes', help: 'every note of the run, with its step and time', ...(snapshot.run.notes.length === 0 ? {hidden: true as const} : {}), matches: char('N'), run: ({store}) => store.update({overlay: {kind: 'notes'}, message: null})},
  ];
}

// The bindings that apply now, in the order the footer shows them.
export function bindingsFor(snapshot: PlayerSnapshot, store: PlayerStore): Binding[] {
  if (snapshot.result !== null || snapshot.run.end !== null || snapshot.suspendedNodeId !== null) return [];
  const {overlay, ask} = snapshot;
  switch (overlay.kind) {
    case 'help': {
      const scroll = (rows: (page: number) => number) => ({store: target, scroll: room}: KeyContext): void => {
        const top = (overlay.top ?? 0) + rows(room?.page ?? 10);
        target.update({overlay: {...overlay, top: Math.min(room?.max ?? top, Math.max(0, top))}});
      };
      return [
        {key: 'q', action: 'close', matches: either(char('q'), char('?'), escape), run: close},
        {key: 'j/k', action: 'scroll', help: 'scroll the help (PgUp/PgDn a page)', matches: either(char('j'), (_input, key) => key.downArrow), run: scroll(() => 1)},
        {key: '', action: '', matches: either(char('k'), (_input, key) => key.upArrow), run: scroll(() => -1)},
        {key: '', action: '', matches: (_input, key) => key.pageDown, run: scroll((page) => page)},
        {key: '', action: '', matches: (_input, key) => key.pageUp, run: scroll((page) => -page)},
        interruptBinding(snapshot, store),
      ];
    }
    case 'notes':
      return [{key: 'q', action: 'back', help: 'back to the run (esc too)', matches: either(char('q'), char('N'), escape), run: close}, interruptBinding(snapshot, store)];
    case 'output':
      return outputBindings(overlay, snapshot, store);
    case 'variables':
      return [{key: 'q', action: 'back', help: 'back to the run (esc too)', matches: either(char('q'), char('v'), escape), run: close}, interruptBinding(snapshot, store)];
    case 'confirm-quit':
      return [
        {key: 'y', action: 'quit', matches: either(char('y'), ctrlC), run: ({store: target}) => target.quit()},
        {key: 'n', action: 'stay', matches: either(char('n'), escape, char('q')), run: close},
      ];
    case 'confirm-live':
      return [
        {key: 'y', action: 'go live', matches: char('y'), run: ({store: target}) => target.answerGoLive(true)},
        {key: 'n', action: 'keep rehearsing', matches: either(char('n'), escape, ctrlC), run: ({store: target}) => target.answerGoLive(false)},
      ];
    case 'confirm-abort':
      return [
        {key: 'y', action: 'abort the run', matches: char('y'), run: ({store: target, snapshot: current}) => {
          target.update({overlay: {kind: 'none'}});
          current.ask?.answer({decision: 'abort'});
        }},
        {key: 'n', action: 'stay', matches: either(char('n'), escape), run: close},
        interruptBinding(snapshot, store),
      ];
    case 'text':
      return [
        {key: 'enter', action: textAction(overlay.purpose), matches: enter, run: submitText},
        {key: 'esc', action: 'cancel', matches: escape, run: close},
        interruptBinding(snapshot, store),
      ];
    case 'none':
      break;
  }
  if (snapshot.quitRequested) return [];
  if (ask === null) return [...common(snapshot, store), ...browseBindings(snapshot, false)];
  if (ask.kind === 'input') {
    return [
      {key: 'enter', action: 'submit', help: 'submit a value', matches: enter, run: ({snapshot: current}) => {
        if (current.ask?.kind === 'input') current.ask.answer({decision: 'value', value: current.input.text});
      }},
      interruptBinding(snapshot, store),
    ];
  }
  return [...decisionBindings(ask, snapshot), ...common(snapshot, store), ...browseBindings(snapshot, ask.kind === 'checklist')];
}

function textAction(purpose: TextPurpose): string {
  switch (purpose.kind) {
    case 'note':
      return 'save note';
    case 'skip':
      return 'skip';
    case 'mark-done':
      return 'mark done';
    case 'not-applicable':
      return 'mark not applicable';
  }
}

function submitText({store, snapshot}: KeyContext): void {
  const {overlay, ask} = snapshot;
  if (overlay.kind !== 'text') return;
  const text = overlay.entry.text.trim();
  const required = (problem: string): boolean => {
    if (text !== '') return false;
    store.update({overlay: {...overlay, problem}});
    return true;
  };
  const done = (): void => store.update({overlay: {kind: 'none'}});
  switch (overlay.purpose.kind) {
    case 'note':
      done();
      if (text !== '') store.note(text);
      return;
    case 'skip':
      done();
      if (ask !== null && ask.kind !== 'input') ask.answer(text === '' ? {decision: 'skip'} : {decision: 'skip', reason: text});
      return;
    case 'mark-done':
      if (required('a note is required: say how it was done')) return;
      done();
      if (ask?.kind === 'failure' || ask?.kind === 'unknown') ask.answer({decision: 'mark-done', note: text});
      return;
    case 'not-applicable': {
      if (required('a reason is required')) return;
      const checklist = snapshot.checklist;
      store.update({overlay: {kind: 'none'}, ...(checklist === null ? {} : {checklist: withMark(checklist, overlay.purpose.index, {state: 'not-applicable', reason: text})})});
      return;
    }
  }
}

// The field keys go to while one is open: a note or reason, or an input value.
function textField(snapshot: PlayerSnapshot): {entry: TextEntry; set: (entry: TextEntry) => Partial<PlayerSnapshot>} | null {
  if (snapshot.result !== null || snapshot.suspendedNodeId !== null) return null;
  const {overlay} = snapshot;
  if (overlay.kind === 'text') return {entry: overlay.entry, set: (entry) => ({overlay: {...overlay, entry, problem: null}})};
  if (overlay.kind === 'none' && snapshot.ask?.kind === 'input' && !snapshot.quitRequested) return {entry: snapshot.input, set: (entry) => ({input: entry})};
  return null;
}

function editFor(input: string, key: Key): EntryEdit | null {
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.home || (key.ctrl && input === 'a')) return 'home';
  if (key.end || (key.ctrl && input === 'e')) return 'end';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input === 'u') return 'clear';
  return null;
}

const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

// Ink hands over keys typed faster than it reads them (or pasted) as one
// string, `note\r` included: split it into runs of text and single keys.
export function splitInput(input: string, key: Key): [string, Key][] {
  if ([...input].length <= 1 || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.escape || key.meta) return [[input, key]];
  const pieces: [string, Key][] = [];
  // eslint-disable-next-line no-control-regex
  for (const part of input.match(/[^\u0000-\u001F\u007F]+|[\u0000-\u001F\u007F]/g) ?? []) {
    if (part === '\r' || part === '\n') pieces.push(['', {...noKey, return: true}]);
    else if (part === '\u007F' || part === '\b') pieces.push(['', {...noKey, backspace: part === '\b', delete: part === '\u007F'}]);
    else if (part === '\t') pieces.push(['', {...noKey, tab: true}]);
    else if (part.length === 1 && part < ' ') pieces.push([String.fromCharCode(part.charCodeAt(0) + 96), {...noKey, ctrl: true}]);
    else pieces.push([part, {...noKey, shift: key.shift}]);
  }
  return pieces;
}

// Runs every key in what Ink read, each against the state the one before left.
export function handleInput(store: PlayerStore, page: number, input: string, key: Key, scroll?: ScrollRoom): void {
  const room = scroll === undefined ? {} : {scroll};
  for (const [text, pieceKey] of splitInput(input, key)) {
    const snapshot = store.getSnapshot();
    if (text.length <= 1 || textField(snapshot) !== null) {
      handleKey({store, snapshot, page, ...room}, text, pieceKey);
      continue;
    }
    for (const char of text) handleKey({store, snapshot: store.getSnapshot(), page, ...room}, char, pieceKey);
  }
}

// Runs what a key press means now; false when it means nothing.
export function handleKey(context: KeyContext, input: string, key: Key): boolean {
  const field = textField(context.snapshot);
  if (field !== null && !key.return && !key.escape && !ctrlC(input, key)) {
    // a field has no use for PgUp/PgDn: the step (or the introduction, while inputs are asked) scrolls
    if (key.pageUp || key.pageDown) {
      scrollStep(context, key.pageUp ? -1 : 1);
      return true;
    }
    const edit = editFor(input, key);
    if (edit !== null) context.store.update(field.set(editEntry(field.entry, edit)));
    else if (!key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.pageUp && !key.pageDown && input !== '') {
      context.store.update(field.set(insertText(field.entry, input)));
    }
    return true;
  }
  for (const binding of bindingsFor(context.snapshot, context.store)) {
    if (binding.matches(input, key)) {
      if (context.snapshot.message !== null && binding.key !== 'Ctrl-C') context.store.update({message: null});
      binding.run(context);
      return true;
    }
  }
  return false;
}

// --- `runbook replay`: a recorded run, nothing runs ---

// What the replay keys act on (see replay-store.ts).
export interface ReplayKeys {
  readonly playing: boolean;
  // the diff of the recorded runbook against its file now is open
  readonly diffOpen: boolean;
  // the runbook file differs from the recorded source: `d` shows how
  readonly canDiff: boolean;
  togglePlay(): void;
  setSpeed(speed: 1 | 10 | 'instant'): void;
  step(delta: number): void;
  stepToStep(direction: 1 | -1): void;
  toStart(): void;
  toEnd(): void;
  openDiff(): void;
  scrollDiff(rows: number): void;
  closeDiff(): void;
  quit(): void;
}

// The replay's keys: moving through the recorded events, and the live
// player's view keys (output, focus, scrolling, variables, notes, help).
// Nothing that decides, notes or interrupts: the run is over.
export function replayBindings(snapshot: PlayerSnapshot, store: PlayerStore, replay: ReplayKeys): Binding[] {
  const left = (_input: string, key: Key): boolean => key.leftArrow;
  const right = (_input: string, key: Key): boolean => key.rightArrow;
  if (replay.diffOpen) {
    return [
      {key: 'j/k', action: 'scroll', help: 'scroll the diff (PgUp/PgDn a page)', matches: either(char('j'), (_input, key) => key.downArrow), run: () => replay.scrollDiff(1)},
      {key: '', action: '', matches: either(char('k'), (_input, key) => key.upArrow), run: () => replay.scrollDiff(-1)},
      {key: '', action: '', matches: either((_input, key) => key.pageDown, char(' ')), run: ({page}) => replay.scrollDiff(page)},
      {key: '', action: '', matches: either((_input, key) => key.pageUp, char('b')), run: ({page}) => replay.scrollDiff(-page)},
      {key: 'q', action: 'back', help: 'back to the replay (esc too)', matches: either(char('q'), char('d'), escape), run: () => replay.closeDiff()},
    ];
  }
  if (snapshot.overlay.kind !== 'none') {
    // the live player's overlays, as they work there (they are not offered
    // once a run has ended); Ctrl-C quits the replay, there is nothing to interrupt
    return bindingsFor({...snapshot, run: {...snapshot.run, end: null}, result: null, quitRequested: false}, store)
      .map((binding) => (binding.key === 'Ctrl-C' ? {...binding, action: 'quit', help: 'quit the replay', run: () => replay.quit()} : binding));
  }
  const output = outputNodeId(snapshot);
  return [
    {key: 'space', action: replay.playing ? 'pause' : 'play', help: 'play / pause the recorded run, at its recorded pace', matches: char(' '), run: () => replay.togglePlay()},
    {key: '←/→', action: 'event', help: 'the previous / next recorded event', matches: left, run: () => replay.step(-1)},
    {key: '', action: '', matches: right, run: () => replay.step(1)},
    {key: '[/]', action: 'step', help: 'the previous / next step\'s start', matches: char('['), run: () => replay.stepToStep(-1)},
    {key: '', action: '', matches: char(']'), run: () => replay.stepToStep(1)},
    {key: 'g/G', action: 'start/end', help: 'the first / last recorded event', matches: char('g'), run: () => replay.toStart()},
    {key: '', action: '', matches: char('G'), run: () => replay.toEnd()},
    {key: '1/2/3', action: 'speed', help: 'play at the recorded pace, 10× faster, or at once (long waits are cut to 2 s)', matches: char('1'), run: () => replay.setSpeed(1)},
    {key: '', action: '', matches: char('2'), run: () => replay.setSpeed(10)},
    {key: '', action: '', matches: char('3'), run: () => replay.setSpeed('instant')},
    ...(replay.canDiff ? [{key: 'd', action: 'diff', help: 'how the runbook file now differs from the recorded runbook', matches: char('d'), run: () => replay.openDiff()}] : []),
    ...(output !== null
      ? [{key: 'o', action: 'output', help: 'the full output of the node in focus: j/k line, PgUp/PgDn page, g/G top/bottom, q back', matches: char('o'), run: ({store: target}: KeyContext) => target.update({overlay: {kind: 'output', nodeId: output, top: null}, message: null})}]
      : []),
    ...browseBindings(snapshot, false),
    variablesBinding,
    {key: 'q', action: 'quit', help: 'quit the replay (Ctrl-C too)', matches: either(char('q'), ctrlC), run: () => replay.quit()},
    {key: '?', action: 'help', help: 'this help (q or esc closes it)', matches: char('?'), run: ({store: target}) => target.update({overlay: {kind: 'help'}, message: null})},
  ];
}

// Runs every key in what Ink read against the replay's bindings.
export function handleReplayInput(store: PlayerStore, replay: () => ReplayKeys, page: number, input: string, key: Key, scroll?: ScrollRoom): void {
  for (const [text, pieceKey] of splitInput(input, key)) {
    for (const piece of text.length <= 1 ? [text] : [...text]) {
      const snapshot = store.getSnapshot();
      const context: KeyContext = {store, snapshot, page, ...(scroll === undefined ? {} : {scroll})};
      const binding = replayBindings(snapshot, store, replay()).find((candidate) => candidate.matches(piece, pieceKey));
      binding?.run(context);
    }
  }
}
