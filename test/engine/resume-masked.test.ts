import {describe, expect, it} from 'vitest';
import {masked, type RunEvent} from '../../src/engine/events.js';
import {planResume} from '../../src/engine/resume-plan.js';

// The transcript holds what was shown, masked; a value it holds masked, even
// in part, is not the value, so a resumed run never reuses it as one.
const counts = {passed: 1, 'allowed-failure': 0, failed: 0, 'timed-out': 0, interrupted: 0, skipped: 0, 'marked-done': 0};
const events: RunEvent[] = [
  {type: 'run-start', runId: 'r', runbookPath: 'r.md', title: 'R', sha256: 'x', attempt: 1, resumed: false, readOnly: false},
  {type: 'input', name: 'DATABASE_URL', value: `postgres://app:${masked}@db:5432/app`, secret: false, source: 'set'},
  {type: 'input', name: 'REGION', value: 'eu-west-1', secret: false, source: 'set'},
  {type: 'step-start', stepId: 's'},
  {type: 'node-start', nodeId: 'conn', stepId: 's', attempt: 1, command: 'echo', mutates: false, interactive: false},
  {type: 'node-end', nodeId: 'conn', stepId: 's', outcome: 'passed', attempt: 1, exitCode: 0, signal: null, durationMs: 1, outputCaptured: true,
    captures: {CONN: `host=db password=${masked}`, HOST: 'db'}},
  {type: 'run-end', outcome: 'interrupted', durationMs: 2, counts},
];

describe('resuming a run whose transcript holds masked values', () => {
  it('does not reuse an input that was recorded masked in part; it must be given again', () => {
    const resumed = planResume(events, 1, ['conn']);
    expect(resumed.inputs).toEqual({REGION: 'eu-west-1'});
  });

  it('treats a capture recorded masked in part as lost, not as its value', () => {
    const resumed = planResume(events, 1, ['conn']);
    expect(resumed.plan.captures).toEqual({HOST: 'db'});
    expect(resumed.lostSecretCaptures).toEqual(['CONN']);
  });
});
