import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../../src/engine/events.js';
import {parseRunbook} from '../../../src/runbook/parse.js';
import {PlayerStore} from '../../../src/ui/player-store.js';
import {playerFrame} from '../../../src/ui/view/frame.js';
import {lineText, type Line} from '../../../src/ui/view/lines.js';
import {escapeClasses, everyEscape, hostileRunbook, terminalControl} from '../../fixtures/hostile-runbook.js';
import {execOf, runStart, stepOf} from '../helpers.js';

// Whatever a runbook, a command or a person hands the player is drawn
// inert: titles, prose, commands, prompts, captures, notes, reasons, output.

const runbook = parseRunbook(hostileRunbook(everyEscape), 'hostile.md').runbook;
const [step] = runbook.steps;
const info = {runId: 'run-1', transcriptPath: '.runbook/runs/run-1/transcript.jsonl', incident: 'INC-7'};

function frames(store: PlayerStore): Line[][] {
  const snapshot = store.getSnapshot();
  return [snapshot.overlay, {kind: 'help'} as const, {kind: 'output', nodeId: 'emit', top: null} as const, {kind: 'output', nodeId: 'emit', top: 0} as const]
    .map((overlay) => playerFrame({snapshot: {...snapshot, overlay}, runbook, info, hints: [], width: 200, height: 200, now: 0}));
}

function expectInert(lines: readonly Line[]): void {
  for (const line of lines) for (const segment of line) expect(segment.text).not.toMatch(terminalControl);
}

describe('the player draws hostile text inert', () => {
  const stepId = step?.id ?? '';
  const started: RunEvent[] = [
    runStart({title: everyEscape, runbookPath: 'hostile.md'}),
    {type: 'step-start', stepId},
  ];

  it('in the step, its prose and command, and a confirm prompt', () => {
    const store = new PlayerStore(runbook, {clock: () => 0, flushMs: 0});
    for (const event of started) store.onEvent(event);
    store.onEvent({type: 'decision-asked', kind: 'confirm', nodeId: 'emit', stepId, prompt: `Print it ${everyEscape} now?`});
    void store.confirm({node: execOf(runbook, 'emit'), step: stepOf(runbook, stepId), prompt: `Print it ${everyEscape} now?`, command: execOf(runbook, 'emit').code, mutates: false, explicit: true});
    store.flush();
    const drawn = frames(store);
    for (const frame of drawn) expectInert(frame);
    const text = drawn[0]!.map(lineText).join('\n');
    expect(text).toContain('Step \\x1b]0;pwned\\x07');
    expect(text).toContain('Print it \\x1b]0;pwned\\x07');
    expect(text).toContain('<U+202E>');
  });

  it('in output, captures, reasons and notes', () => {
    const store = new PlayerStore(runbook, {clock: () => 0, flushMs: 0});
    for (const event of started) store.onEvent(event);
    store.onEvent({type: 'node-start', nodeId: 'emit', stepId, attempt: 1, command: execOf(runbook, 'emit').code, mutates: false, interactive: false});
    for (const text of Object.values(escapeClasses)) {
      store.onEvent({type: 'output', nodeId: 'emit', stream: 'stdout', text: `out ${text}\n`});
      store.onEvent({type: 'output', nodeId: 'emit', stream: 'stderr', text: `err ${text}\n`});
    }
    store.onEvent({type: 'note', text: `note ${everyEscape}`, by: 'operator', nodeId: 'emit'});
    store.onEvent({type: 'node-end', nodeId: 'emit', stepId, outcome: 'failed', attempt: 1, exitCode: 1, signal: null, durationMs: 5, reason: `reason ${everyEscape}`, captures: {EMITTED: everyEscape}, outputCaptured: true});
    store.onEvent({type: 'decision-asked', kind: 'failure', nodeId: 'emit', stepId, prompt: `failed ${everyEscape}`});
    store.flush();
    const drawn = frames(store);
    for (const frame of drawn) expectInert(frame);
    const text = drawn.flat().map(lineText).join('\n');
    expect(text).toContain('out \\x1b]52;c;cm0gLXJmIC8=\\x07');
    expect(text).toContain('err \\x1b[?1049h');
    expect(text).toContain('captured EMITTED = \\x1b]0;pwned\\x07');
  });

  it('shows a command\'s colours as plain text, and its tabs as spaces', () => {
    const store = new PlayerStore(runbook, {clock: () => 0, flushMs: 0});
    for (const event of started) store.onEvent(event);
    store.onEvent({type: 'node-start', nodeId: 'emit', stepId, attempt: 1, command: 'x', mutates: false, interactive: false});
    store.onEvent({type: 'output', nodeId: 'emit', stream: 'stdout', text: '\u001B[32mgreen\u001B[39m\tplain\n'});
    store.flush();
    expect(frames(store)[2]!.map(lineText)).toContain('green   plain');
  });
});
