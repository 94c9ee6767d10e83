import {useInput} from 'ink';
import {useEffect, useRef, useSyncExternalStore} from 'react';
import type {Runbook} from '../../runbook/model.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {useTick} from '../hooks/use-tick.js';
import {bindingsFor, handleInput} from '../keymap.js';
import type {PlayerStore} from '../player-store.js';
import {playerFrame, type ScrollRoom} from '../view/frame.js';
import type {RunInfo} from '../view/header.js';
import {outputPage} from '../view/output-view.js';
import {droppedLines} from '../../engine/run-state.js';
import {Frame} from './Frame.js';

export interface PlayerAppProps {
  readonly store: PlayerStore;
  readonly runbook: Runbook;
  readonly info: RunInfo;
  readonly clock: () => number;
  readonly color: boolean;
  // called once the player listens to the store and keys: the run may start
  readonly onReady?: () => void;
}

// The live player: draws the store's state and turns keys into decisions.
export function PlayerApp({store, runbook, info, clock, color, onReady}: PlayerAppProps) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  useEffect(() => onReady?.(), [onReady]);
  const {columns, rows} = useTerminalSize();
  const live = snapshot.result === null && snapshot.suspendedNodeId === null;
  useTick(live && snapshot.run.startedAt !== null);

  const overlay = snapshot.overlay;
  const outputNode = overlay.kind === 'output' ? snapshot.run.nodes.get(overlay.nodeId) : undefined;
  const page = outputPage(Math.max(8, rows - 1), outputNode !== undefined && droppedLines(outputNode.output) > 0);
  // how far the step body can scroll, as the last frame drew it
  const scroll = useRef<ScrollRoom>({min: 0, max: 0, page: 1});
  useInput((input, key) => handleInput(store, page, input, key, scroll.current), {isActive: live});

  const hints = bindingsFor(snapshot, store).filter((binding) => binding.hidden !== true).map(({key, action}) => ({key, action}));
  const lines = playerFrame({snapshot, runbook, info, hints, width: columns, height: rows, now: clock()}, scroll.current);
  return <Frame lines={lines} color={color} />;
}
