import {useInput} from 'ink';
import {useEffect, useMemo, useRef, useSyncExternalStore} from 'react';
import {droppedLines} from '../../engine/run-state.js';
import type {Runbook} from '../../runbook/model.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {handleReplayInput, replayBindings, type ReplayKeys} from '../keymap.js';
import type {ReplayStore} from '../replay-store.js';
import {playerFrame, type ScrollRoom} from '../view/frame.js';
import type {RunInfo} from '../view/header.js';
import {outputPage} from '../view/output-view.js';
import {diffScrollMax, diffViewLines, replayPendingLine, replayStatusLine, runbookDiffLines} from '../view/replay-view.js';
import {Frame} from './Frame.js';

export interface ReplayAppProps {
  readonly replay: ReplayStore;
  readonly runbook: Runbook;
  // with `replay` facts: the header's REPLAY badge, intact or not, the runbook changed or not
  readonly info: RunInfo;
  // the recorded runbook source and the file at its path now (null: gone)
  readonly runbookPath: string;
  readonly recordedSource: string;
  readonly currentSource: string | null;
  readonly color: boolean;
  readonly onQuit: () => void;
}

// `runbook replay`: the player's screen over a recorded run, a status row
// above the keys saying where in the record it is. Nothing runs.
export function ReplayApp({replay, runbook, info, runbookPath: path, recordedSource, currentSource, color, onQuit}: ReplayAppProps) {
  const state = useSyncExternalStore(replay.subscribe, replay.getState);
  const snapshot = useSyncExternalStore(replay.view.subscribe, replay.view.getSnapshot);
  const {columns, rows} = useTerminalSize();
  useEffect(() => {
    if (state.quit) onQuit();
  }, [state.quit, onQuit]);

  const canDiff = currentSource !== null && info.replay?.runbookChanged === true;
  const diff = useMemo(() => (canDiff ? runbookDiffLines(path, recordedSource, currentSource ?? '') : []), [canDiff, path, recordedSource, currentSource]);
  const height = Math.max(2, rows - 1);
  const keys: ReplayKeys = {
    playing: state.playing, diffOpen: state.diffTop !== null, canDiff,
    togglePlay: () => replay.togglePlay(), setSpeed: (speed) => replay.setSpeed(speed), step: (delta) => replay.step(delta),
    stepToStep: (direction) => replay.stepToStep(direction), toStart: () => replay.toStart(), toEnd: () => replay.toEnd(),
    openDiff: () => replay.openDiff(), scrollDiff: (delta) => replay.scrollDiff(delta, diffScrollMax(diff, height)), closeDiff: () => replay.closeDiff(),
    quit: () => replay.quit(),
  };
  const keysRef = useRef(keys);
  keysRef.current = keys;

  const overlay = snapshot.overlay;
  const outputNode = overlay.kind === 'output' ? snapshot.run.nodes.get(overlay.nodeId) : undefined;
  const page = state.diffTop !== null ? Math.max(1, height - 3) : outputPage(Math.max(8, height - 1), outputNode !== undefined && droppedLines(outputNode.output) > 0);
  const scroll = useRef<ScrollRoom>({min: 0, max: 0, page: 1});
  useInput((input, key) => handleReplayInput(replay.view, () => keysRef.current, page, input, key, scroll.current), {isActive: !state.quit});

  const hints = replayBindings(snapshot, replay.view, keys).filter((binding) => binding.hidden !== true).map(({key, action}) => ({key, action}));
  const status = replayStatusLine(replay.records, state, columns, snapshot.run);
  if (state.diffTop !== null) {
    const lines = diffViewLines(path, diff, state.diffTop, columns, height, hints);
    return <Frame lines={[...lines.slice(0, -1), status, ...lines.slice(-1)]} color={color} />;
  }
  const entry = replay.records[state.position];
  const now = entry === undefined ? 0 : Date.parse(entry.time);
  const pending = overlay.kind === 'none' ? replayPendingLine(snapshot.run, now, columns) : null;
  const lines = playerFrame({snapshot, runbook, info, hints, width: columns, height: pending === null ? height : height - 1, now}, scroll.current);
  return <Frame lines={[...lines.slice(0, -1), ...(pending === null ? [] : [pending]), status, ...lines.slice(-1)]} color={color} />;
}
