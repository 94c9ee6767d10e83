import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {autoOperator} from '../../src/engine/auto-operator.js';
import type {DecisionAskedEvent, NodeStartEvent, RetryWaitEvent} from '../../src/engine/events.js';
import type {Operator} from '../../src/engine/operator.js';
import {outline, play} from './helpers.js';

let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200);
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const flaky = (retries: number, interval: string, extra = ''): string => [
  '## Wait',
  `\`\`\`sh {#flaky retries=${retries} interval=${interval}${extra}}`,
  'exit 1',
  '```',
].join('\n');

describe('the wait between retries', () => {
  it('is an event of its own, with the retry, how many, how long and until when', async () => {
    const before = Date.now();
    const {events} = await play(flaky(2, '20ms'));
    const waits = events.filter((event): event is RetryWaitEvent => event.type === 'retry-wait');
    expect(waits.map(({attempt, of, ms, nodeId, stepId}) => ({attempt, of, ms, nodeId, stepId}))).toEqual([
      {attempt: 1, of: 2, ms: 20, nodeId: 'flaky', stepId: 'wait'},
      {attempt: 2, of: 2, ms: 20, nodeId: 'flaky', stepId: 'wait'},
    ]);
    for (const wait of waits) expect(Date.parse(wait.until)).toBeGreaterThanOrEqual(before + 20);
    expect(outline(events).filter((line) => /^(node-|retry)/.test(line))).toEqual([
      'node-start flaky#1', 'node-end flaky#1 failed', 'retry-wait',
      'node-start flaky#2', 'node-end flaky#2 failed', 'retry-wait',
      'node-start flaky#3', 'node-end flaky#3 failed',
    ]);
  });

  it('stops at Ctrl-C on the waiting node and goes to the failure decision, allow-failure or not', async () => {
    const asked: string[] = [];
    const operator: Operator = {...autoOperator, kind: 'operator', failure: async () => {
      asked.push('failure');
      return {decision: 'stop'};
    }};
    const started = Date.now();
    const {events, result} = await play(flaky(5, '30s', ' allow-failure'), {
      operator,
      onEvent: (event, controls) => {
        if (event.type === 'retry-wait') setTimeout(() => controls.interruptNode(), 20);
      },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(asked).toEqual(['failure']);
    expect(outline(events).filter((line) => !line.startsWith('output'))).toEqual([
      'run-start', 'step-start wait', 'node-start flaky#1', 'node-end flaky#1 failed', 'retry-wait', 'interrupt',
      'decision-asked failure flaky', 'decision-taken failure flaky stop by operator', 'step-end wait failed', 'run-end failed',
    ]);
    expect(events).toContainEqual({type: 'interrupt', scope: 'node', nodeId: 'flaky'});
    expect(result.outcome).toBe('failed');
  });

  it('headless, quitting during the wait ends the run interrupted (130) without the retry', async () => {
    const {events, result} = await play(flaky(5, '30s'), {
      onEvent: (event, controls) => {
        if (event.type === 'retry-wait') setTimeout(() => controls.quit(), 20);
      },
    });
    expect(result).toMatchObject({outcome: 'interrupted', exitCode: 130});
    expect(events.filter((event) => event.type === 'node-start')).toHaveLength(1);
  });
});

describe('what a node acts on, resolved', () => {
  it('an http node carries its request line with templates filled and secrets masked, at its gate and when it starts', async () => {
    const {events} = await play([
      '---',
      `env: {API_ORIGIN: "${origin}"}`,
      'inputs: {TOKEN: {secret: true, default: "s3cr3t-t0ken-value"}}',
      '---',
      '## Check',
      '```http {#health confirm="Check?"}',
      'GET {{API_ORIGIN}}/health?token={{TOKEN}}',
      '```',
    ].join('\n'));
    const request = `GET ${origin}/health?token=••••••`;
    const asked = events.find((event): event is DecisionAskedEvent => event.type === 'decision-asked');
    const start = events.find((event): event is NodeStartEvent => event.type === 'node-start');
    expect(asked?.resolved).toEqual({request});
    expect(start?.resolved).toEqual({request});
    expect(JSON.stringify(events)).not.toContain('s3cr3t-t0ken-value');
  });

  it('a shell node carries the runbook variables it reads, by value, secrets masked', async () => {
    const {events} = await play([
      '---',
      'env: {LKG_DIR: /tmp/lkg, UNUSED: x}',
      'inputs: {DB_PASSWORD: {secret: true, default: "hunter2-hunter2"}}',
      '---',
      '## Deploy',
      '```sh {#deploy}',
      'echo "$LKG_DIR" "${DB_PASSWORD}" "$LKG_DIR" "$HOME"',
      '```',
    ].join('\n'));
    const start = events.find((event): event is NodeStartEvent => event.type === 'node-start');
    expect(start?.resolved).toEqual({uses: [{name: 'LKG_DIR', value: '/tmp/lkg'}, {name: 'DB_PASSWORD', value: '••••••'}]});
  });
});
