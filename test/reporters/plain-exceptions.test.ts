import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import {createPlainReporter} from '../../src/reporters/plain.js';
import {parseRunbook} from '../../src/runbook/parse.js';

// A run that passes, but not simply: a failure allowed, a node the operator
// skipped, a checklist item not applicable, a node marked done by hand, and
// a node skipped by its own `if=` (the runbook's path, not an exception).
const source = [
  '# R', '## Checks', '```sh {#probe allow-failure}', 'false', '```', '```sh {#optional}', 'echo', '```', '- [ ] Queue drained', '- [ ] Pager silenced',
  '## Fix', '```sh {#smoke}', 'x', '```', '```sh {#branch if="probe.ok"}', 'y', '```', '## Clean', '```sh {#tidy}', 'z', '```', '',
].join('\n');
const runbook = parseRunbook(source, 'r.md').runbook;
const [checks, fix, clean] = runbook.steps;
const checklistId = checks?.content.find((block) => block.kind === 'checklist')?.id ?? '';
const zero = {passed: 0, 'allowed-failure': 0, failed: 0, 'timed-out': 0, interrupted: 0, skipped: 0, 'marked-done': 0};
const end = (nodeId: string, stepId: string, outcome: Extract<RunEvent, {type: 'node-end'}>['outcome'], reason?: string): RunEvent => ({
  type: 'node-end', nodeId, stepId, outcome, attempt: 1, exitCode: outcome === 'skipped' || outcome === 'marked-done' ? null : outcome === 'passed' ? 0 : 1,
  signal: null, durationMs: outcome === 'passed' || outcome === 'allowed-failure' ? 12 : 0, captures: {}, outputCaptured: true, ...(reason === undefined ? {} : {reason}),
});

function exceptionalRun(): RunEvent[] {
  const s1 = checks?.id ?? '';
  const s2 = fix?.id ?? '';
  const s3 = clean?.id ?? '';
  return [
    {type: 'run-start', runId: 'run-1', runbookPath: 'r.md', title: 'R', sha256: 'abc', attempt: 1, resumed: false, readOnly: false},
    {type: 'step-start', stepId: s1},
    {type: 'node-start', nodeId: 'probe', stepId: s1, attempt: 1, command: 'false', mutates: false, interactive: false},
    end('probe', s1, 'allowed-failure', 'exit code 1'),
    {type: 'decision-asked', kind: 'confirm', nodeId: 'optional', stepId: s1, prompt: 'Run `optional`?'},
    {type: 'decision-taken', kind: 'confirm', nodeId: 'optional', stepId: s1, decision: 'skip', by: 'operator', note: 'not needed today'},
    end('optional', s1, 'skipped', 'not needed today'),
    {type: 'decision-asked', kind: 'checklist', nodeId: checklistId, stepId: s1, prompt: 'Queue drained\nPager silenced'},
    {type: 'decision-taken', kind: 'checklist', nodeId: checklistId, stepId: s1, decision: 'done', by: 'operator', items: [
      {index: 0, text: 'Queue drained', state: 'ticked'}, {index: 1, text: 'Pager silenced', state: 'not-applicable', reason: 'no pager in the sandbox'},
    ]},
    end(checklistId, s1, 'passed'),
    {type: 'step-end', stepId: s1, status: 'done', durationMs: 30},
    {type: 'step-start', stepId: s2},
    {type: 'node-start', nodeId: 'smoke', stepId: s2, attempt: 1, command: 'x', mutates: false, interactive: false},
    end('smoke', s2, 'failed', 'exit code 1'),
    {type: 'decision-asked', kind: 'failure', nodeId: 'smoke', stepId: s2, prompt: '`smoke` exit code 1'},
    {type: 'decision-taken', kind: 'failure', nodeId: 'smoke', stepId: s2, decision: 'mark-done', by: 'operator', note: 'checked by hand in the console'},
    end('smoke', s2, 'marked-done', 'marked done by the operator'),
    end('branch', s2, 'skipped', 'if="probe.ok" is false'),
    {type: 'step-end', stepId: s2, status: 'done', durationMs: 20},
    {type: 'step-start', stepId: s3},
    {type: 'node-start', nodeId: 'tidy', stepId: s3, attempt: 1, command: 'z', mutates: false, interactive: false},
    end('tidy', s3, 'passed'),
    {type: 'step-end', stepId: s3, status: 'done', durationMs: 12},
    {type: 'run-end', outcome: 'passed', durationMs: 62, counts: {...zero, passed: 2, 'allowed-failure': 1, skipped: 2, 'marked-done': 1}},
  ];
}

function play(events: readonly RunEvent[]): string {
  const writes: string[] = [];
  const sink = createPlainReporter(runbook, {write: (text) => writes.push(text), color: (_format, text) => text});
  for (const event of events) sink.onEvent(event);
  return writes.join('');
}

describe('the plain reporter\'s summary', () => {
  it('says `passed with N exceptions` and lists each with its reason; a skip by `if=` is not one', () => {
    const text = play(exceptionalRun());
    const summary = text.slice(text.indexOf('\nSummary'));
    expect(summary).toBe([
      '',
      'Summary: PASSED with 4 exceptions in 62ms — 2 passed, 1 allowed-failure, 2 skipped, 1 marked-done',
      '  ! probe failed, allowed: exit code 1',
      '  ↷ optional skipped: not needed today',
      `  – ${checklistId} not applicable: no pager in the sandbox — "Pager silenced"`,
      '  ✎ smoke marked done: checked by hand in the console',
      '',
    ].join('\n'));
  });

  it('marks each node and each step that did not simply pass as the player does', () => {
    const text = play(exceptionalRun());
    expect(text).toContain('   ! probe failed (allowed) (exit 1, 12ms) — exit code 1\n');
    expect(text).toContain('   ↷ optional skipped — not needed today\n');
    expect(text).toContain('   ✎ smoke marked done — marked done by the operator: checked by hand in the console\n');
    expect(text).toContain('   ↷ branch skipped — if="probe.ok" is false\n');
    // Checks: a failure allowed outranks the skip; Fix: marked done; Clean: simply done
    expect(text.match(/^ {3}\S step .*$/gm)).toEqual(['   ! step passed with failures allowed', '   ✎ step done, marked done by hand']);
  });

  it('says plain `PASSED` when everything simply passed', () => {
    const events = exceptionalRun();
    const simple = events.filter((event) => !('stepId' in event) || event.stepId === clean?.id);
    const text = play(simple);
    expect(text).toContain('Summary: PASSED in 62ms');
    expect(text).not.toContain('exception');
  });
});
