import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../../src/engine/events.js';
import {initialRunState, reduceRunEvents} from '../../../src/engine/run-state.js';
import {parseRunbook} from '../../../src/runbook/parse.js';
import {variableRows} from '../../../src/ui/view/variables-view.js';

const path = 'test/ui/fixtures/deploy.md';
const runbook = parseRunbook(readFileSync(path, 'utf8'), path).runbook;

describe('the variables view', () => {
  it('lists what shell blocks exported and unset, after inputs and captures, secrets masked as recorded', () => {
    const events: RunEvent[] = [
      {type: 'input', name: 'REGION', value: 'eu', secret: false, source: 'set'},
      {type: 'node-end', nodeId: 'redeploy', stepId: 'roll-back', outcome: 'passed', attempt: 1, exitCode: 0, signal: null, durationMs: 5, outputCaptured: true,
        captures: {RELEASE: 'r-1'}, exports: {NAMESPACE: 'prod', API_TOKEN: '••••••', OLD: null}},
    ];
    expect(variableRows(reduceRunEvents(initialRunState(runbook), events))).toEqual([
      {name: 'REGION', value: 'eu', from: '--set', secret: false},
      {name: 'RELEASE', value: 'r-1', from: 'capture of redeploy', secret: false},
      {name: 'NAMESPACE', value: 'prod', from: 'exported by redeploy', secret: false},
      {name: 'API_TOKEN', value: '••••••', from: 'exported by redeploy', secret: true},
      {name: 'OLD', value: '(unset)', from: 'unset by redeploy', secret: false},
    ]);
  });
});
