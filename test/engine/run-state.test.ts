import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {NodeEndEvent, NodeOutcome, RunEvent} from '../../src/engine/events.js';
import {
  appendOutput,
  closeTail,
  droppedLines,
  emptyTail,
  initialRunState,
  lastLines,
  maxLineLength,
  reduceRunEvent,
  reduceRunEvents,
  tailLength,
  type OutputTail,
  type RunState,
} from '../../src/engine/run-state.js';
import {parseRunbook} from '../../src/runbook/parse.js';

const path = 'test/ui/fixtures/deploy.md';
const runbook = parseRunbook(readFileSync(path, 'utf8'), path).runbook;

const counts: Record<NodeOutcome, number> = {passed: 0, 'allowed-failure': 0, failed: 0, 'timed-out': 0, interrupted: 0, skipped: 0, 'marked-done': 0};

function fold(events: readonly (RunEvent | [RunEvent, number])[], state: RunState = initialRunState(runbook)): RunState {
  return events.reduce<RunState>((current, item) => (Array.isArray(item) ? reduceRunEvent(current, item[0], item[1]) : reduceRunEvent(current, item)), state);
}

function nodeEnd(nodeId: string, stepId: string, outcome: NodeOutcome, extra: Partial<NodeEndEvent> = {}): NodeEndEvent {
  return {type: 'node-end', nodeId, stepId, outcome, attempt: 1, exitCode: 0, signal: null, durationMs: 120, captures: {}, outputCaptured: true, ...extra};
}

const runStart: RunEvent = {type: 'run-start', runId: 'r1', runbookPath: path, title: 'Deploy check', sha256: 'x', attempt: 1, resumed: false, readOnly: false};

function statuses(state: RunState): Record<string, string> {
  return Object.fromEntries([...state.steps.values()].map((step) => [step.id, step.status]).concat([...state.nodes.values()].map((node) => [node.id, node.status])));
}

function lines(tail: OutputTail): string[] {
  return lastLines(tail, Number.MAX_SAFE_INTEGER).map((line) => `${line.stream}:${line.text}`);
}

describe('initialRunState', () => {
  it('lists steps in play order and their executable nodes, all pending', () => {
    const state = initialRunState(runbook);
    expect(state.stepOrder).toEqual(['check-health', 'roll-back', 'watch-1', 'verify']);
    expect(state.steps.get('roll-back')).toEqual({
      id: 'roll-back', number: '2)', title: 'Roll back', depth: 2, parentId: null,
      nodeIds: ['redeploy', 'roll-back-2'], status: 'pending', startedAt: null, durationMs: null,
    });
    expect(state.steps.get('watch-1')?.parentId).toBe('roll-back');
    const redeploy = state.nodes.get('redeploy');
    expect(redeploy?.command).toBe('railway redeploy --service api');
    expect(redeploy?.mutates).toBe(true);
    expect(state.nodes.get('roll-back-2')?.kind).toBe('checklist');
    expect(new Set(Object.values(statuses(state)))).toEqual(new Set(['pending']));
  });
});

describe('reduceRunEvent', () => {
  it('follows a confirm gate from waiting through running to passed, with times', () => {
    const asked = fold([
      [runStart, 1000],
      [{type: 'step-start', stepId: 'roll-back'}, 1000],
      [{type: 'decision-asked', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', prompt: 'Redeploy api at v3?'}, 1100],
    ]);
    expect(asked.pending).toEqual({kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', prompt: 'Redeploy api at v3?', at: 1100});
    expect(asked.nodes.get('redeploy')?.status).toBe('waiting');
    expect(asked.steps.get('roll-back')?.status).toBe('waiting');

    const taken = fold([{type: 'decision-taken', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', decision: 'run', by: 'operator'}], asked);
    expect(taken.pending).toBeNull();
    expect(taken.nodes.get('redeploy')?.status).toBe('pending');
    expect(taken.steps.get('roll-back')?.status).toBe('running');

    const done = fold([
      [{type: 'node-start', nodeId: 'redeploy', stepId: 'roll-back', attempt: 1, command: 'railway redeploy --service api', mutates: true, interactive: false}, 1200],
      [{type: 'output', nodeId: 'redeploy', stream: 'stdout', text: 'deploying\ndone'}, 1300],
      [nodeEnd('redeploy', 'roll-back', 'passed', {durationMs: 300, captures: {DEPLOY: 'd-1'}}), 1500],
      [{type: 'step-end', stepId: 'roll-back', status: 'done'}, 1600],
    ], taken);
    const node = done.nodes.get('redeploy');
    expect(node?.status).toBe('passed');
    expect(node?.startedAt).toBe(1200);
    expect(node?.result).toEqual({outcome: 'passed', exitCode: 0, signal: null, httpStatus: null, durationMs: 300, captures: {DEPLOY: 'd-1'}, outputCaptured: true});
    expect(lines(node!.output)).toEqual(['stdout:deploying', 'stdout:done']);
    expect(done.steps.get('roll-back')).toMatchObject({status: 'done', durationMs: 600});
    expect(done.currentStepId).toBe('roll-back');
    expect(done.currentNodeId).toBe('redeploy');
    expect(done.runningNodeId).toBeNull();
  });

  it('a replayed step keeps the duration its step-end recorded, not the sum of its nodes', () => {
    // replayed events carry no times: before step-end recorded durationMs,
    // a resumed player showed 300ms here for a step measured at 4.2s
    const replayed = fold([
      runStart,
      {type: 'step-start', stepId: 'roll-back'},
      {type: 'node-start', nodeId: 'redeploy', stepId: 'roll-back', attempt: 1, command: 'railway redeploy --service api', mutates: true, interactive: false},
      nodeEnd('redeploy', 'roll-back', 'passed', {durationMs: 300}),
      {type: 'step-end', stepId: 'roll-back', status: 'done', durationMs: 4200},
      {type: 'run-end', outcome: 'interrupted', durationMs: 5000, counts: {...counts, passed: 1}},
    ]);
    const resumed = fold([[{...runStart, attempt: 2, resumed: true}, 9000]], replayed);
    expect(resumed.steps.get('roll-back')).toMatchObject({status: 'done', durationMs: 4200});
    expect(resumed.nodes.get('redeploy')?.result?.durationMs).toBe(300);
  });

  it('keeps the failed result while the failure decision waits, then marks the retry in the output', () => {
    const state = fold([
      runStart,
      {type: 'step-start', stepId: 'verify'},
      {type: 'node-start', nodeId: 'smoke', stepId: 'verify', attempt: 1, command: './smoke.sh', mutates: false, interactive: false},
      {type: 'output', nodeId: 'smoke', stream: 'stderr', text: 'auth check failed\n'},
      nodeEnd('smoke', 'verify', 'failed', {exitCode: 2, reason: 'exit code 2'}),
      {type: 'decision-asked', kind: 'failure', nodeId: 'smoke', stepId: 'verify', prompt: '`smoke` exit code 2'},
    ]);
    const waiting = state.nodes.get('smoke');
    expect(waiting?.status).toBe('waiting');
    expect(waiting?.waitingFor).toBe('failure');
    expect(waiting?.result).toMatchObject({outcome: 'failed', exitCode: 2, reason: 'exit code 2'});

    const retried = fold([
      {type: 'decision-taken', kind: 'failure', nodeId: 'smoke', stepId: 'verify', decision: 'retry', by: 'operator'},
      {type: 'node-start', nodeId: 'smoke', stepId: 'verify', attempt: 2, command: './smoke.sh', mutates: false, interactive: false},
      {type: 'output', nodeId: 'smoke', stream: 'stdout', text: 'ok\n'},
    ], state);
    const node = retried.nodes.get('smoke');
    expect(node?.status).toBe('running');
    expect(node?.attempt).toBe(2);
    expect(lines(node!.output)).toEqual(['stderr:auth check failed', 'attempt:attempt 2', 'stdout:ok']);
  });

  it('records checklist items, notes with their time, inputs and interruptions', () => {
    const state = fold([
      runStart,
      {type: 'input', name: 'TOKEN', value: '••••••', secret: true, source: 'prompt'},
      {type: 'step-start', stepId: 'roll-back'},
      {type: 'decision-asked', kind: 'checklist', nodeId: 'roll-back-2', stepId: 'roll-back', prompt: 'Dashboards checked\nIncident channel told'},
      [{type: 'note', text: 'paged the db team', by: 'operator'}, 5000],
      {type: 'decision-taken', kind: 'checklist', nodeId: 'roll-back-2', stepId: 'roll-back', decision: 'done', by: 'operator', items: [
        {index: 0, text: 'Dashboards checked', state: 'ticked'},
        {index: 1, text: 'Incident channel told', state: 'not-applicable', reason: 'no channel yet'},
      ]},
      nodeEnd('roll-back-2', 'roll-back', 'passed', {exitCode: null, durationMs: 0, outputCaptured: false}),
      {type: 'node-start', nodeId: 'watch', stepId: 'watch-1', attempt: 1, command: 'tail -n 20 deploy.log', mutates: false, interactive: false},
      {type: 'interrupt', scope: 'node', nodeId: 'watch'},
    ]);
    expect(state.inputs).toEqual([{name: 'TOKEN', value: '••••••', secret: true, source: 'prompt'}]);
    expect(state.notes).toEqual([{text: 'paged the db team', by: 'operator', at: 5000, stepId: 'roll-back'}]);
    expect(state.nodes.get('roll-back-2')?.checklist).toEqual([
      {index: 0, text: 'Dashboards checked', state: 'ticked'},
      {index: 1, text: 'Incident channel told', state: 'not-applicable', reason: 'no channel yet'},
    ]);
    expect(state.nodes.get('roll-back-2')?.status).toBe('passed');
    expect(state.nodes.get('watch')?.interruptRequested).toBe(true);
    expect(state.runningNodeId).toBe('watch');
    expect(fold([{type: 'interrupt', scope: 'run'}], state).quitting).toBe(true);
  });

  it('clears a pending input when its value arrives', () => {
    const state = fold([runStart, {type: 'decision-asked', kind: 'input', prompt: 'Ops API token'}]);
    expect(state.pending?.kind).toBe('input');
    expect(fold([{type: 'input', name: 'TOKEN', value: '••••••', secret: true, source: 'prompt'}], state).pending).toBeNull();
  });

  it('settles open steps and waiting nodes when a run stops', () => {
    const state = fold([
      runStart,
      {type: 'step-start', stepId: 'roll-back'},
      {type: 'decision-asked', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', prompt: 'Redeploy?'},
      {type: 'decision-taken', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', decision: 'quit', by: 'operator'},
      {type: 'run-end', outcome: 'interrupted', durationMs: 900, reason: 'stopped by the operator', counts},
    ]);
    expect(state.end).toEqual({outcome: 'interrupted', durationMs: 900, reason: 'stopped by the operator', counts, at: null});
    expect(state.steps.get('roll-back')?.status).toBe('pending');
    expect(state.nodes.get('redeploy')?.status).toBe('pending');
    expect(state.pending).toBeNull();
  });

  it('marks a node that an earlier attempt started and never ended as unknown when the run resumes', () => {
    const history: RunEvent[] = [
      runStart,
      {type: 'step-start', stepId: 'check-health'},
      {type: 'node-start', nodeId: 'health', stepId: 'check-health', attempt: 1, command: 'GET {{API}}/health', mutates: false, interactive: false},
      nodeEnd('health', 'check-health', 'passed', {exitCode: null, http: {method: 'GET', url: 'http://127.0.0.1:9/health', status: 200, headers: {}, body: 'ok', bodyTruncated: false, assertions: []}}),
      {type: 'step-end', stepId: 'check-health', status: 'done'},
      {type: 'step-start', stepId: 'roll-back'},
      {type: 'decision-asked', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', prompt: 'Redeploy?'},
      {type: 'decision-taken', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', decision: 'run', by: 'operator'},
      {type: 'node-start', nodeId: 'redeploy', stepId: 'roll-back', attempt: 1, command: 'railway redeploy --service api', mutates: true, interactive: false},
      {type: 'output', nodeId: 'redeploy', stream: 'stdout', text: 'half way'},
    ];
    const resumed = fold([...history, {...runStart, attempt: 2, resumed: true}]);
    expect(statuses(resumed)).toEqual({
      'check-health': 'done', 'roll-back': 'pending', 'watch-1': 'pending', verify: 'pending',
      health: 'passed', redeploy: 'unknown', 'roll-back-2': 'pending', watch: 'pending', smoke: 'pending',
    });
    expect(resumed.nodes.get('health')?.result?.httpStatus).toBe(200);
    expect(lines(resumed.nodes.get('redeploy')!.output)).toEqual(['stdout:half way']);
    expect(resumed.attempt).toBe(2);
    expect(resumed.resumed).toBe(true);
    expect(resumed.runningNodeId).toBeNull();

    const asked = fold([
      {type: 'step-start', stepId: 'roll-back'},
      {type: 'decision-asked', kind: 'unknown', nodeId: 'redeploy', stepId: 'roll-back', prompt: 'never finished'},
    ], resumed);
    expect(asked.nodes.get('redeploy')?.status).toBe('waiting');
    const skipped = fold([{type: 'decision-taken', kind: 'unknown', nodeId: 'redeploy', stepId: 'roll-back', decision: 'quit', by: 'operator'}], asked);
    expect(skipped.nodes.get('redeploy')?.status).toBe('unknown');
  });

  it('keeps events about nodes the runbook does not have', () => {
    const state = fold([runStart, {type: 'output', nodeId: 'gone', stream: 'stdout', text: 'x\n'}]);
    expect(lines(state.nodes.get('gone')!.output)).toEqual(['stdout:x']);
  });

  it('never changes an earlier state', () => {
    const before = fold([runStart, {type: 'node-start', nodeId: 'smoke', stepId: 'verify', attempt: 1, command: './smoke.sh', mutates: false, interactive: false}]);
    const snapshot = lines(before.nodes.get('smoke')!.output);
    const after = fold([{type: 'output', nodeId: 'smoke', stream: 'stdout', text: 'one\ntwo\n'}], before);
    const branch = fold([{type: 'output', nodeId: 'smoke', stream: 'stdout', text: 'other\n'}], before);
    expect(lines(before.nodes.get('smoke')!.output)).toEqual(snapshot);
    expect(lines(after.nodes.get('smoke')!.output)).toEqual(['stdout:one', 'stdout:two']);
    expect(lines(branch.nodes.get('smoke')!.output)).toEqual(['stdout:other']);
    expect(before.nodes.get('smoke')?.status).toBe('running');
  });
});

describe('output tails', () => {
  it('keeps the last lines, counts every line and holds text until its newline', () => {
    let tail = emptyTail(3);
    tail = appendOutput(tail, 'stdout', '1\n2\n3\n4');
    tail = appendOutput(tail, 'stdout', '5\n6\n');
    expect(lines(tail)).toEqual(['stdout:3', 'stdout:45', 'stdout:6']);
    expect(tail.total).toBe(5);
    expect(droppedLines(tail)).toBe(2);
    tail = appendOutput(tail, 'stderr', 'partial');
    expect(lines(tail)).toEqual(['stdout:3', 'stdout:45', 'stdout:6', 'stderr:partial']);
    expect(tailLength(tail)).toBe(4);
    expect(lines(closeTail(tail))).toEqual(['stdout:45', 'stdout:6', 'stderr:partial']);
  });

  it('keeps escape sequences as they came, even split across chunks, and the last rewrite of a progress line', () => {
    let tail = emptyTail(10);
    tail = appendOutput(tail, 'stdout', '\u001B[32mgreen\u001B[3');
    tail = appendOutput(tail, 'stdout', '9m plain\n');
    tail = appendOutput(tail, 'stdout', ' 10%\r 50%\r');
    tail = appendOutput(tail, 'stdout', '100%\r\n');
    tail = appendOutput(tail, 'stdout', 'a\tb\u0007\u001B]0;title\u0007 done\n');
    expect(lines(tail)).toEqual(['stdout:\u001B[32mgreen\u001B[39m plain', 'stdout:100%', 'stdout:a\tb\u0007\u001B]0;title\u0007 done']);
  });

  it('cuts very long lines and never lets a line without a newline grow without bound', () => {
    let tail = emptyTail(10);
    tail = appendOutput(tail, 'stdout', `${'x'.repeat(maxLineLength + 10)}\n`);
    expect(lines(tail)[0]).toBe(`stdout:${'x'.repeat(maxLineLength - 1)}…`);
    for (let index = 0; index < 100; index += 1) tail = appendOutput(tail, 'stdout', 'y'.repeat(1000));
    expect(tail.partial.stdout.length).toBeLessThanOrEqual(maxLineLength * 2);
    expect(tail.total).toBeGreaterThan(1);
  });

  it('holds memory flat however much is appended', () => {
    let tail = emptyTail(200);
    for (let index = 0; index < 100_000; index += 1) tail = appendOutput(tail, 'stdout', `line ${index}\n`);
    expect(tail.total).toBe(100_000);
    expect(tail.buffer.length).toBeLessThanOrEqual(400);
    expect(lastLines(tail, 2).map((line) => line.text)).toEqual(['line 99998', 'line 99999']);
  });
});

describe('reduceRunEvents', () => {
  it('folds a batch exactly as one event at a time', () => {
    const output = fc.record({
      type: fc.constant('output' as const),
      nodeId: fc.constantFrom('smoke', 'watch'),
      stream: fc.constantFrom('stdout' as const, 'stderr' as const),
      text: fc.string({unit: fc.constantFrom('a', 'b', '\n', '\r', '\u001B', '[', 'm'), maxLength: 12}),
    });
    const other = fc.constantFrom<RunEvent>(
      {type: 'node-start', nodeId: 'smoke', stepId: 'verify', attempt: 1, command: './smoke.sh', mutates: false, interactive: false},
      nodeEnd('smoke', 'verify', 'failed'),
      {type: 'note', text: 'n', by: 'operator'},
    );
    fc.assert(fc.property(fc.array(fc.oneof(output, output, other), {maxLength: 40}), (events) => {
      const start = reduceRunEvent(initialRunState(runbook, {outputLimit: 5}), runStart);
      const batched = reduceRunEvents(start, events);
      const single = events.reduce((state, event) => reduceRunEvent(state, event), start);
      for (const id of ['smoke', 'watch']) {
        expect(lines(batched.nodes.get(id)!.output)).toEqual(lines(single.nodes.get(id)!.output));
        expect(batched.nodes.get(id)!.output.total).toBe(single.nodes.get(id)!.output.total);
      }
      expect(statuses(batched)).toEqual(statuses(single));
    }));
  });
});

describe('a rehearsal in sub-steps', () => {
  const nested = parseRunbook([
    '# Nested', '', '## 1) Roll back', '', '### 1.1) Redeploy', '', '```sh {#redeploy mutates}', 'deploy', '```', '',
    '### 1.2) Look', '', '```sh {#look}', 'look', '```', '',
  ].join('\n'), 'nested.md').runbook;

  it('shows a step as rehearsed, not done, when one of its sub-steps is, though it has no nodes of its own', () => {
    const state = fold([
      {...runStart, readOnly: true},
      {type: 'step-start', stepId: 'roll-back'},
      {type: 'step-start', stepId: 'redeploy-1'},
      nodeEnd('redeploy', 'redeploy-1', 'skipped', {exitCode: null, durationMs: 0, reason: 'read-only rehearsal: the node mutates', rehearsed: true}),
      {type: 'step-end', stepId: 'redeploy-1', status: 'done'},
      {type: 'step-start', stepId: 'look-1'},
      nodeEnd('look', 'look-1', 'passed'),
      {type: 'step-end', stepId: 'look-1', status: 'done'},
      {type: 'step-end', stepId: 'roll-back', status: 'done'},
    ], initialRunState(nested));
    expect(statuses(state)).toEqual({'roll-back': 'rehearsed', 'redeploy-1': 'rehearsed', 'look-1': 'done', redeploy: 'skipped', look: 'passed'});
  });
});
