import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {displayLineWidth} from '../../src/reporters/display-lines.js';
import {createPlainReporter} from '../../src/reporters/plain.js';

const runbook = parseRunbook('# R\n## S\n```sh {#print}\nyes\n```\n', 'r.md').runbook;

function reporter(): {writes: string[]; send: (event: RunEvent) => void} {
  const writes: string[] = [];
  const sink = createPlainReporter(runbook, {write: (text) => writes.push(text), color: (_format, text) => text});
  return {writes, send: (event) => sink.onEvent(event)};
}

const output = (text: string, stream: 'stdout' | 'stderr' = 'stdout'): RunEvent => ({type: 'output', nodeId: 'print', stream, text});
const note: RunEvent = {type: 'note', by: 'engine', text: 'done'};

describe('plain reporter output', () => {
  it('prefixes each line of a stream, holding a line without its newline until more comes or the output ends', () => {
    const {writes, send} = reporter();
    send(output('one\ntw'));
    send(output('o\n', 'stderr'));
    send(output('o\nthree'));
    send(note);
    expect(writes).toEqual(['   │ one\n', '   ! o\n', '   │ two\n', '   │ three\n', '   note: done\n']);
  });

  it('shows 10 MB without a newline in bounded writes, every byte of it, long lines cut and marked as continued', () => {
    const {writes, send} = reporter();
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = 160;
    for (let index = 0; index < chunks; index += 1) send(output(chunk));
    send(note);
    const shown = writes.slice(0, -1);
    const bound = chunk.length + displayLineWidth + 1024;
    expect(shown.every((text) => text.length <= bound)).toBe(true);
    expect(shown.length).toBeGreaterThanOrEqual(chunks);
    const lines = shown.join('').split('\n').slice(0, -1);
    expect(lines.every((line, index) => line.startsWith(index === 0 ? '   │ ' : '   │…'))).toBe(true);
    expect(lines.every((line) => line.length <= displayLineWidth + 5)).toBe(true);
    expect(lines.map((line) => line.slice(5)).join('')).toBe(chunk.repeat(chunks));
  });
});
