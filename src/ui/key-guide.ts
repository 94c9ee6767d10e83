import type {RunState} from '../engine/run-state.js';
import {bindingsFor, replayBindings, type Binding, type ReplayKeys} from './keymap.js';
import type {Ask, Overlay, PlayerSnapshot, PlayerStore} from './player-store.js';
import {emptyEntry} from './text-entry.js';

// What `?` lists: every binding of the keymap, gathered from each situation
// the player can be in, so the help is never a second key table.

export interface KeyGuideEntry {
  readonly key: string;
  readonly text: string;
}

interface Situation {
  // how the help names where a key does what it does, '' where it is the usual
  readonly where: string;
  readonly ask: Ask['kind'] | null;
  readonly overlay: Overlay;
  // a gate before a node that mutates
  readonly mutates?: true;
  // `runbook replay`, with the diff open when 'diff'
  readonly replay?: 'run' | 'diff';
}

const situations: readonly Situation[] = [
  {where: '', ask: 'confirm', overlay: {kind: 'none'}},
  {where: 'at a mutates gate', ask: 'confirm', overlay: {kind: 'none'}, mutates: true},
  {where: '', ask: 'failure', overlay: {kind: 'none'}},
  {where: '', ask: 'unknown', overlay: {kind: 'none'}},
  {where: '', ask: 'checklist', overlay: {kind: 'none'}},
  {where: '', ask: 'input', overlay: {kind: 'none'}},
  {where: '', ask: null, overlay: {kind: 'none'}},
  {where: 'in the output view', ask: null, overlay: {kind: 'output', nodeId: 'node', top: null}},
  {where: 'in the notes', ask: null, overlay: {kind: 'notes'}},
  {where: 'in this help', ask: null, overlay: {kind: 'help'}},
  {where: 'in a field', ask: null, overlay: {kind: 'text', purpose: {kind: 'note'}, entry: emptyEntry, problem: null}},
];

// What a replay's own help lists: its keys, and the views it shares with the player.
const replaySituations: readonly Situation[] = [
  {where: '', ask: null, overlay: {kind: 'none'}, replay: 'run'},
  {where: 'in the diff', ask: null, overlay: {kind: 'none'}, replay: 'diff'},
  {where: 'in the output view', ask: null, overlay: {kind: 'output', nodeId: 'node', top: null}, replay: 'run'},
  {where: 'in the notes', ask: null, overlay: {kind: 'notes'}, replay: 'run'},
  {where: 'in this help', ask: null, overlay: {kind: 'help'}, replay: 'run'},
];

const nothing = (): void => undefined;
function sampleReplay(situation: Situation): ReplayKeys {
  return {
    playing: false, diffOpen: situation.replay === 'diff', canDiff: true, togglePlay: nothing, setSpeed: nothing, step: nothing, stepToStep: nothing,
    toStart: nothing, toEnd: nothing, openDiff: nothing, scrollDiff: nothing, closeDiff: nothing, quit: nothing,
  };
}

// A run with one node that is running and has printed, a note and a focus
// moved, so every binding that can apply does.
function sample(situation: Situation): PlayerSnapshot {
  const node = {id: 'node', stepId: 'step', kind: 'exec', status: 'running', output: {limit: 1, total: 1, buffer: [{text: '', stream: 'stdout'}], start: 0, end: 1, partial: {stdout: '', stderr: ''}}};
  const run = {
    end: null, notes: [{text: '', by: 'operator', at: null}], nodes: new Map([['node', node]]), steps: new Map(), stepOrder: [],
    runningNodeId: 'node', currentNodeId: 'node', currentStepId: 'step',
  } as unknown as RunState;
  const request = {node: {id: 'node'}, mutates: situation.mutates === true, explicit: situation.mutates === true};
  const ask = situation.ask === null ? null : ({kind: situation.ask, request, answer: () => undefined} as unknown as Ask);
  return {
    run, ask, overlay: situation.overlay, checklist: situation.ask === 'checklist' ? {nodeId: 'node', selected: 0, marks: [null]} : null,
    input: emptyEntry, message: null, suspendedNodeId: null, interruptedNodeId: null, quitRequested: false, result: null, focus: 'node', scroll: 0, runAhead: 'off',
  };
}

// `replay`: the keys of `runbook replay` alone, as its own `?` shows them.
export function keyGuide(replay = false): KeyGuideEntry[] {
  const store = {runningNodeId: 'node'} as unknown as PlayerStore;
  // per key, what it does and where, each said once
  const texts = new Map<string, {text: string; where: string}[]>();
  for (const situation of replay ? replaySituations : situations) {
    const bindings = situation.replay === undefined ? bindingsFor(sample(situation), store) : replayBindings(sample(situation), store, sampleReplay(situation));
    for (const binding of bindings) {
      if (binding.key === '') continue;
      const known = texts.get(binding.key) ?? [];
      const text = describe(binding);
      if (!known.some((entry) => entry.text === text)) known.push({text, where: situation.where});
      texts.set(binding.key, known);
    }
  }
  return [...texts].map(([key, list]) => ({key, text: list.map(({text, where}) => (where === '' ? text : `${where}: ${text}`)).join('; ')}));
}

function describe(binding: Binding): string {
  return binding.help ?? binding.action;
}
