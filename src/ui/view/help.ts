import {plain, seg, wrap, type Line} from './lines.js';

const keys: readonly (readonly [string, string])[] = [
  ['enter', 'run the read-only node waiting for you; continue a checklist; submit a value'],
  ['y', 'run a node that mutates (enter does not)'],
  ['g', 'at a read-only node: run it and the read-only nodes after it, up to the next gate'],
  ['G', 'at a read-only node: the same, for the rest of the run'],
  ['s', 'skip the node (you may say why)'],
  ['r', 'retry a failed node; rerun one an earlier attempt left unknown'],
  ['m', 'mark a failed or unknown node done by hand (a note is required)'],
  ['a', 'abort the run: it ends for good (asks first)'],
  ['space', 'tick the selected checklist item (↑/↓ or j/k select)'],
  ['x', 'mark the selected item not applicable (a reason is required)'],
  ['n', 'add a note to the transcript (on the running node, if any)'],
  ['o', 'full output of the node: j/k, PgUp/PgDn, g/G scroll, q back'],
  ['q', 'quit safely: the run stops and can be resumed (asks first)'],
  ['Ctrl-C', 'interrupt the running node only; again, or when idle, quit safely'],
  ['?', 'this help (q or esc closes it)'],
];

// Every key, whatever applies now (the footer shows what does).
export function helpLines(width: number): Line[] {
  const column = 8;
  const lines: Line[] = [plain('Keys', {bold: true})];
  for (const [key, text] of keys) {
    lines.push(...wrap([seg(text)], width, {first: [seg(`  ${key.padEnd(column)}`, {bold: true, color: 'cyan'})], rest: [seg(' '.repeat(column + 2))]}));
  }
  lines.push([], ...wrap([seg('Every decision, note and interruption is written to the transcript with its time.', {dim: true})], width));
  return lines;
}
