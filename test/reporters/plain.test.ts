import {styleText} from 'node:util';
import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import {displayLineWidth} from '../../src/reporters/display-lines.js';
import {createPlainReporter} from '../../src/reporters/plain.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {everyEscape, hostileRunbook, terminalControl} from '../fixtures/hostile-runbook.js';

const outputRunbook = parseRunbook('# R\n## S\n```sh {#print}\nyes\n```\n', 'r.md').runbook;

function reporter(): {writes: string[]; send: (event: RunEvent) => void} {
  const writes: string[] = [];
  const sink = createPlainReporter(outputRunbook, {write: (text) => writes.push(text), color: (_format, text) => text});
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

  it('makes a line inert whose control arrived in an earlier chunk than its newline, and shows inert chunks as they are', () => {
    const {writes, send} = reporter();
    send(output('plain\nclear \u001B[2'));
    send(output('J screen\nplain again\n'));
    send(output('tab\tstays\n'));
    expect(writes).toEqual(['   │ plain\n', '   │ clear \\x1b[2J screen\n   │ plain again\n', '   │ tab\tstays\n']);
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

const runbook = parseRunbook(hostileRunbook(everyEscape), 'hostile.md').runbook;
const stepId = runbook.steps[0]?.id ?? '';
const counts = {passed: 1, 'allowed-failure': 0, failed: 1, 'timed-out': 0, interrupted: 0, skipped: 0, 'marked-done': 0};

// Every field the plain reporter prints, each carrying every escape class.
const hostileEvents: RunEvent[] = [
  {type: 'run-start', runId: `run-${everyEscape}`, runbookPath: 'hostile.md', title: everyEscape, sha256: 'abc', attempt: 1, resumed: false, readOnly: false},
  {type: 'input', name: 'PAYLOAD', value: everyEscape, secret: false, source: 'set'},
  {type: 'step-start', stepId},
  {type: 'decision-asked', kind: 'confirm', nodeId: 'emit', stepId, prompt: `Print it ${everyEscape} now?`},
  {type: 'decision-taken', kind: 'confirm', nodeId: 'emit', stepId, decision: 'run', by: 'operator', note: `note ${everyEscape}`},
  {type: 'node-start', nodeId: 'emit', stepId, attempt: 1, command: `printf ${everyEscape}`, mutates: false, interactive: false},
  {type: 'output', nodeId: 'emit', stream: 'stdout', text: `out ${everyEscape}\n\u001B[32mgreen\n`},
  {type: 'output', nodeId: 'emit', stream: 'stderr', text: `err ${everyEscape}`},
  {type: 'note', text: `engine ${everyEscape}`, by: 'engine'},
  {
    type: 'node-end', nodeId: 'emit', stepId, outcome: 'failed', attempt: 1, exitCode: 1, signal: null, durationMs: 5,
    reason: `reason ${everyEscape}`, captures: {EMITTED: everyEscape}, outputCaptured: true,
    http: {method: 'GET', url: 'https://api.example/health', status: 500, headers: {}, body: '', bodyTruncated: false, assertions: [{source: `status == ${everyEscape}`, passed: false, actual: everyEscape}]},
    survivors: [{pid: 42, command: `sleep ${everyEscape}`}],
  },
  {type: 'decision-asked', kind: 'checklist', nodeId: 'check', stepId, prompt: `one ${everyEscape}\ntwo ${everyEscape}`},
  {type: 'interrupt', nodeId: `node-${everyEscape}`, scope: 'node'},
  {type: 'step-end', stepId, status: 'skipped', reason: `skipped ${everyEscape}`},
  {type: 'run-end', outcome: 'failed', durationMs: 10, reason: `ended ${everyEscape}`, counts},
];

function printed(options: {colour: boolean}): string {
  let out = '';
  const reporter = createPlainReporter(runbook, {
    write: (text) => (out += text),
    color: options.colour ? (format, text) => styleText(format, text) : (_format, text) => text,
    outputColour: options.colour,
  });
  for (const event of hostileEvents) reporter.onEvent(event);
  return out;
}

// SGR, the only sequence that may be written
// eslint-disable-next-line no-control-regex
const colour = /\u001B\[[\d;]*m/g;

describe('the plain reporter', () => {
  it('prints every field inert, in a pipe', () => {
    const out = printed({colour: false});
    expect(out).not.toMatch(terminalControl);
    for (const shown of ['Playing \\x1b]0;pwned\\x07', 'PAYLOAD = \\x1b]0;pwned', '? Print it \\x1b]0;pwned', 'note \\x1b]0;pwned', '$ printf \\x1b]0;pwned',
      '│ out \\x1b]0;pwned', '│ green', '! err \\x1b]0;pwned', 'reason \\x1b]0;pwned', 'captured EMITTED = \\x1b]0;pwned', '(got \\x1b]0;pwned', 'sleep \\x1b]0;pwned',
      '[ ] two \\x1b]0;pwned', 'node node-\\x1b]0;pwned', 'step skipped: skipped \\x1b]0;pwned', 'ended \\x1b]0;pwned', '<U+202E>fr- mr<U+202C>']) {
      expect(out).toContain(shown);
    }
  });

  it('keeps each value on its line: a newline in an input, capture, note or prompt cannot fake a line of its own', () => {
    const fake = 'x\n   ✓ verify passed';
    let out = '';
    const reporter = createPlainReporter(runbook, {write: (text) => (out += text), color: (_format, text) => text});
    for (const event of [
      {type: 'input', name: 'PAYLOAD', value: fake, secret: false, source: 'set'},
      {type: 'note', text: fake, by: 'operator'},
      {type: 'decision-asked', kind: 'confirm', nodeId: 'emit', stepId, prompt: fake},
      {type: 'node-end', nodeId: 'emit', stepId, outcome: 'passed', attempt: 1, exitCode: 0, signal: null, durationMs: 5, captures: {EMITTED: fake}, outputCaptured: true},
    ] satisfies RunEvent[]) reporter.onEvent(event);
    expect(out.split('\n').filter((line) => line.startsWith('   ✓ verify passed'))).toEqual([]);
    expect(out).toContain('captured EMITTED = x\\n   ✓ verify passed');
  });

  it('on a terminal, keeps only colour sequences, the command\'s own closed at the end of its line', () => {
    const out = printed({colour: true});
    expect(out.replace(colour, '')).not.toMatch(terminalControl);
    expect(out).toContain('\u001B[32mgreen\u001B[0m\n');
  });
});
