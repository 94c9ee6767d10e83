import {droppedLines, tailLength, tailLine, type RunState} from '../../engine/run-state.js';
import {footerLine, type KeyHint} from './footer.js';
import {hardWrap, plain, seg, spread, wrap, type Line} from './lines.js';
import {outputSegments} from './node-block.js';

// Rows of output the full-output view shows at once.
export function outputPage(height: number, dropped: boolean): number {
  return Math.max(1, height - 2 - (dropped ? 2 : 0));
}

// A node's output kept in memory, scrollable; long lines wrap. `top` is the
// first line shown, null to follow the end.
export function outputViewLines(run: RunState, nodeId: string, top: number | null, width: number, height: number, transcriptPath: string, hints: readonly KeyHint[]): Line[] {
  const node = run.nodes.get(nodeId);
  if (node === undefined) return [plain(`No output for ${nodeId}`), footerLine(hints, width)];
  const {output} = node;
  const length = tailLength(output);
  const dropped = droppedLines(output);
  const page = outputPage(height, dropped > 0);
  const rowsOf = (index: number): Line[] => {
    const line = tailLine(output, index);
    if (line === undefined) return [];
    const [segment] = outputSegments(line);
    return hardWrap(segment?.text ?? '', width, segment?.style);
  };

  let first: number;
  let rows: Line[] = [];
  if (top === null) {
    first = length;
    while (first > 0 && rows.length < page) {
      first -= 1;
      rows = [...rowsOf(first), ...rows];
    }
    rows = rows.slice(Math.max(0, rows.length - page));
  } else {
    first = Math.min(top, Math.max(0, length - 1));
    for (let index = first; index < length && rows.length < page; index += 1) rows.push(...rowsOf(index));
    rows = rows.slice(0, page);
  }
  const last = Math.min(length, first + Math.max(1, countLines(rows.length, first, length, rowsOf)));
  const title = `Output of ${nodeId}${node.attempt > 1 ? ` · attempt ${node.attempt}` : ''}${node.status === 'running' ? ' · running' : ''}`;
  const range = length === 0 ? 'no output' : `lines ${first + 1 + dropped}–${last + dropped} of ${length + dropped}`;
  const lines: Line[] = [spread([seg(title, {bold: true})], [seg(range, {dim: true})], width)];
  if (dropped > 0) {
    lines.push(...wrap([seg(`The first ${dropped} lines are no longer kept here; the transcript has all of it: ${transcriptPath}`, {color: 'yellow'})], width).slice(0, 2));
  }
  lines.push(...rows);
  while (lines.length < height - 1) lines.push([]);
  lines.push(footerLine(hints, width));
  return lines.slice(-height);
}

// How many logical lines from `first` fill `rows` rows.
function countLines(rows: number, first: number, length: number, rowsOf: (index: number) => Line[]): number {
  let used = 0;
  let count = 0;
  for (let index = first; index < length && used < rows; index += 1) {
    used += rowsOf(index).length;
    count += 1;
  }
  return count;
}
