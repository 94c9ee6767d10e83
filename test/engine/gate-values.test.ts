import {describe, expect, it} from 'vitest';
import {autoOperator} from '../../src/engine/auto-operator.js';
import type {ConfirmRequest, Operator} from '../../src/engine/operator.js';
import {play} from './helpers.js';

// An operator that records what each gate showed and answers `run`, with a
// note on the read-only ones, as the player's run-ahead does.
function recording(): {operator: Operator; asked: ConfirmRequest[]} {
  const asked: ConfirmRequest[] = [];
  return {
    asked,
    operator: {
      ...autoOperator,
      kind: 'operator',
      confirm: (request) => {
        asked.push(request);
        return Promise.resolve(request.mutates ? {decision: 'run'} : {decision: 'run', note: 'run ahead: chosen by the operator'});
      },
    },
  };
}

describe('a gate shows the values its node acts on', () => {
  it('resolves a script\'s variables and an http request\'s templates, secrets masked, unknown names as written', async () => {
    const {operator, asked} = recording();
    await play([
      '---',
      'env: {SERVICE: api, ORIGIN: "http://127.0.0.1:9"}',
      'inputs: {TOKEN: {secret: true}}',
      '---',
      '## S',
      '```sh {#mint capture=SHA}',
      'echo 3f2a9c1',
      '```',
      '```sh {#redeploy mutates allow-failure}',
      ': railway redeploy --service "$SERVICE" --sha ${SHA} --token "$TOKEN" --dir "$HOME_DIR"',
      '```',
      '```http {#pause mutates timeout=1s allow-failure}',
      'POST {{ORIGIN}}/pause?sha={{SHA}}',
      'Authorization: Bearer {{TOKEN}}',
      '```',
    ].join('\n'), {operator, sources: {set: {TOKEN: 's3cr3t-value-123'}}});
    const byNode = new Map(asked.map((request) => [request.node.id, request]));
    expect(byNode.get('redeploy')?.resolved).toBe(': railway redeploy --service "api" --sha 3f2a9c1 --token "••••••" --dir "$HOME_DIR"');
    expect(byNode.get('pause')?.resolved).toBe('POST http://127.0.0.1:9/pause?sha=3f2a9c1\nAuthorization: ••••••');
    expect(byNode.get('redeploy')?.command).toContain('"$SERVICE"');
  });

  it('records the note a `run` answer carries, so the transcript shows the operator chose to run ahead', async () => {
    const {operator} = recording();
    const {events} = await play(['## S', '```sh {#look}', 'echo ok', '```', '```sh {#gated confirm="Go?"}', 'echo go', '```'].join('\n'), {operator});
    const taken = events.filter((event) => event.type === 'decision-taken');
    expect(taken).toEqual([
      {type: 'decision-taken', kind: 'confirm', nodeId: 'gated', stepId: 's', decision: 'run', by: 'operator', note: 'run ahead: chosen by the operator'},
    ]);
  });
});
