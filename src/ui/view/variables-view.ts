import {masked, type InputEvent} from '../../engine/events.js';
import type {RunState} from '../../engine/run-state.js';
import {shownLine} from '../../text/terminal-text.js';
import {plain, seg, spread, textWidth, type Line} from './lines.js';

// The variables view (`v`): every variable of the run with its value and
// where it came from. Values are the ones the engine recorded in its events
// (`input`, and the captures and exports of `node-end`), so a secret is already masked
// there and never reaches this view.

export interface VariableRow {
  readonly name: string;
  readonly value: string;
  readonly from: string;
  readonly secret: boolean;
}

const sourceNames: Record<InputEvent['source'], string> = {
  default: 'default',
  environment: 'env',
  'env-file': 'env file',
  set: '--set',
  'set-file': '--set-file',
  stdin: '--set-stdin',
  prompt: 'input',
  transcript: 'earlier attempt',
};

export function variableRows(run: RunState): VariableRow[] {
  const rows: VariableRow[] = run.inputs.map((input) => ({name: input.name, value: input.value, from: sourceNames[input.source], secret: input.secret}));
  const named = new Set(rows.map((row) => row.name));
  for (const node of run.nodes.values()) {
    for (const [name, value] of Object.entries(node.result?.captures ?? {})) {
      if (named.has(name)) continue;
      named.add(name);
      rows.push({name, value, from: `capture of ${node.id}`, secret: value === masked});
    }
    for (const [name, value] of Object.entries(node.result?.exports ?? {})) {
      if (named.has(name)) continue;
      named.add(name);
      rows.push({name, value: value ?? '(unset)', from: `${value === null ? 'unset' : 'exported'} by ${node.id}`, secret: value === masked});
    }
  }
  return rows;
}

export function variablesLines(run: RunState, width: number): Line[] {
  const rows = variableRows(run);
  const lines: Line[] = [spread([seg('Variables', {bold: true})], plain('where each value came from; secrets masked', {dim: true}), width)];
  if (rows.length === 0) return [...lines, plain('  none yet', {dim: true})];
  const nameWidth = Math.min(24, Math.max(...rows.map((row) => textWidth(row.name))));
  for (const row of rows) {
    const from = `${row.from}${row.secret ? ' · secret' : ''}`;
    lines.push(spread(
      [seg(`  ${row.name.padEnd(nameWidth)}  `, {bold: true}), seg(shownLine(row.value))],
      plain(from, {dim: true}),
      width,
    ));
  }
  return lines;
}
