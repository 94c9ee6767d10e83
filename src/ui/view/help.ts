import {keyGuide} from '../key-guide.js';
import {plain, seg, wrap, type Line} from './lines.js';

// Every key, whatever applies now (the footer shows what does), from the
// keymap; in a replay, the replay's keys.
export function helpLines(width: number, replay = false): Line[] {
  const entries = keyGuide(replay);
  const column = Math.max(...entries.map((entry) => entry.key.length));
  const lines: Line[] = [plain('Keys', {bold: true})];
  for (const {key, text} of entries) {
    lines.push(...wrap([seg(text)], width, {first: [seg(`  ${key.padEnd(column + 1)}`, {bold: true, color: 'cyan'})], rest: [seg(' '.repeat(column + 3))]}));
  }
  const closing = replay ? 'A replay reads the transcript: nothing runs, nothing is written.' : 'Every decision, note and interruption is written to the transcript with its time.';
  lines.push([], ...wrap([seg(closing, {dim: true})], width));
  return lines;
}
