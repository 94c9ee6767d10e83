import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {NodeEndEvent, RunEvent} from '../../src/engine/events.js';
import type {Operator} from '../../src/engine/operator.js';
import {autoOperator} from '../../src/engine/auto-operator.js';
import {outline, play} from './helpers.js';
import type {Executor} from '../../src/executors/types.js';

let server: Server;
let origin = '';
let hits = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    hits += 1;
    if (request.url === '/health') {
      response.writeHead(200, {'content-type': 'application/json'});
      response.end(JSON.stringify({status: 'ok', commit: 'abc1234', checks: {storage: 'degraded'}}));
      return;
    }
    if (request.url === '/flaky') {
      response.writeHead(hits % 2 === 0 ? 200 : 503);
      response.end('x');
      return;
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const nodeEnd = (events: readonly {type: string}[], id: string): NodeEndEvent =>
  events.filter((event): event is NodeEndEvent => event.type === 'node-end' && (event as NodeEndEvent).nodeId === id).at(-1) as NodeEndEvent;

describe('the engine', () => {
  it('emits events in order: steps, nodes, output, decisions, run end', async () => {
    const {events, result} = await play([
      '# Order',
      '## 1) First',
      '```sh {#hello}',
      'echo hello',
      'echo oops >&2',
      '```',
      '- [ ] looked at it',
      '## 2) Second',
      '```sh {#gated confirm="Go?"}',
      'printf done',
      '```',
    ].join('\n'));
    expect(result).toMatchObject({outcome: 'passed', exitCode: 0});
    expect(outline(events)).toEqual([
      'run-start',
      'step-start first',
      'node-start hello#1',
      'output hello stdout "hello\\n"',
      'output hello stderr "oops\\n"',
      'node-end hello#1 passed',
      'decision-asked checklist first-2',
      'decision-taken checklist first-2 done by auto',
      'node-end first-2#1 passed',
      'step-end first done',
      'step-start second',
      'decision-asked confirm gated',
      'decision-taken confirm gated run by auto',
      'node-start gated#1',
      'output gated stdout "done"',
      'node-end gated#1 passed',
      'step-end second done',
      'run-end passed',
    ]);
  });

  it('passes variables as environment, captures stdout, and evaluates conditions', async () => {
    const {events, result} = await play([
      '---',
      'env: {GREETING: "it\'s $(not run) \\"quoted\\""}',
      'inputs: {WHO: {default: world}}',
      '---',
      '## Go',
      '```bash {#name capture=NAME}',
      'printf "%s, %s" "$GREETING" "$WHO"',
      '```',
      '```sh {#yes if="name.ok && NAME.startsWith(\'it\')"}',
      'echo "got: $NAME"',
      '```',
      '```sh {#no if="name.failed"}',
      'echo never',
      '```',
    ].join('\n'));
    expect(result.outcome).toBe('passed');
    expect(nodeEnd(events, 'name').captures).toEqual({NAME: 'it\'s $(not run) "quoted", world'});
    expect(events).toContainEqual({type: 'output', nodeId: 'yes', stream: 'stdout', text: 'got: it\'s $(not run) "quoted", world\n'});
    expect(nodeEnd(events, 'no')).toMatchObject({outcome: 'skipped', reason: 'if="name.failed" is false'});
  });

  it('fails a capture of output longer than the capture limit instead of keeping its first MiB as the value', async () => {
    const {events, result} = await play([
      '## Go',
      '```sh {#big capture=BIG}',
      "head -c 2000000 /dev/zero | tr '\\0' x",
      '```',
    ].join('\n'));
    expect(result.outcome).toBe('failed');
    expect(nodeEnd(events, 'big')).toMatchObject({outcome: 'failed', captures: {},
      reason: 'capture `BIG` expected at most 1 MiB of output, got more; capture a part of it (such as `| head -c 1000` or `| jq .field`)'});
  });

  it('runs http nodes with templates and exposes their JSON to conditions and later requests', async () => {
    const {events, result} = await play([
      '---',
      `env: {API_ORIGIN: "${origin}"}`,
      '---',
      '## Check',
      '```http {#health timeout=5s}',
      'GET {{API_ORIGIN}}/health',
      '?? status == 200',
      '?? body $.status == ok',
      '```',
      '```sh {#degraded if="health.json.checks.storage == \'degraded\'"}',
      'echo storage degraded',
      '```',
      '```http {#again}',
      'GET {{API_ORIGIN}}/{{health.response.body.$.status}}',
      '```',
    ].join('\n'));
    expect(nodeEnd(events, 'health')).toMatchObject({outcome: 'passed', http: {status: 200}});
    expect(nodeEnd(events, 'degraded').outcome).toBe('passed');
    expect(nodeEnd(events, 'again')).toMatchObject({outcome: 'failed', http: {status: 404, url: `${origin}/ok`}});
    expect(result).toMatchObject({outcome: 'failed', exitCode: 1});
  });

  it('retries until success, waiting the interval', async () => {
    hits = 0;
    const {events} = await play([
      '---',
      `env: {API_ORIGIN: "${origin}"}`,
      '---',
      '## Flaky',
      '```http {#flaky retries=3 interval=10ms}',
      'GET {{API_ORIGIN}}/flaky',
      '```',
    ].join('\n'));
    expect(outline(events).filter((line) => line.startsWith('node-end'))).toEqual(['node-end flaky#1 failed', 'node-end flaky#2 passed']);
    expect(events).toContainEqual(expect.objectContaining({type: 'retry-wait', nodeId: 'flaky', attempt: 1, of: 3, ms: 10}));
  });

  it('continues past allow-failure and stops at a failure otherwise, resumable', async () => {
    const {events, result} = await play([
      '## A',
      '```sh {#tolerated allow-failure}',
      'exit 3',
      '```',
      '```sh {#fatal}',
      'exit 4',
      '```',
      '```sh {#after}',
      'echo unreachable',
      '```',
    ].join('\n'));
    expect(nodeEnd(events, 'tolerated')).toMatchObject({outcome: 'allowed-failure', exitCode: 3, reason: 'exit code 3'});
    expect(nodeEnd(events, 'fatal')).toMatchObject({outcome: 'failed', exitCode: 4});
    expect(events.some((event) => event.type === 'node-start' && event.nodeId === 'after')).toBe(false);
    expect(outline(events).slice(-4)).toEqual(['decision-asked failure fatal', 'decision-taken failure fatal stop by auto', 'step-end a failed', 'run-end failed']);
    expect(result.exitCode).toBe(1);
  });

  it('skips mutating nodes in a read-only rehearsal and skips a step whose condition is false', async () => {
    const {events} = await play([
      '## Change',
      '```sh {#deploy mutates}',
      'echo deploying',
      '```',
      '## Never',
      '<!-- runbook: if="deploy.ok" -->',
      '```sh {#follow}',
      'echo follow',
      '```',
    ].join('\n'), {readOnly: true});
    expect(nodeEnd(events, 'deploy')).toMatchObject({outcome: 'skipped', reason: 'read-only rehearsal: the node mutates'});
    expect(nodeEnd(events, 'follow')).toMatchObject({outcome: 'skipped', reason: 'if="deploy.ok" is false'});
  });

  it('skips, in a read-only rehearsal, the nodes of every sub-step of a step marked `mutates`, down to the deepest', async () => {
    const {events, result} = await play([
      '## 1) Roll back',
      '<!-- runbook: mutates -->',
      '```sh {#announce confirm=false}',
      'echo announcing',
      '```',
      '### 1.1) Redeploy',
      '```sh {#redeploy}',
      'echo redeploying',
      '```',
      '#### 1.1.1) Flush',
      '```sh {#flush}',
      'echo flushing',
      '```',
      '## 2) Look',
      '```sh {#look}',
      'echo looking',
      '```',
    ].join('\n'), {readOnly: true});
    expect(outline(events)).toEqual([
      'run-start',
      'step-start roll-back',
      'node-end announce#1 skipped',
      'step-start redeploy-1',
      'node-end redeploy#1 skipped',
      'step-start flush-1',
      'node-end flush#1 skipped',
      'step-end flush-1 done',
      'step-end redeploy-1 done',
      'step-end roll-back done',
      'step-start look-1',
      'node-start look#1',
      'output look stdout "looking\\n"',
      'node-end look#1 passed',
      'step-end look-1 done',
      'run-end passed',
    ]);
    expect(nodeEnd(events, 'flush')).toMatchObject({outcome: 'skipped', reason: 'read-only rehearsal: the node mutates'});
    expect(result.exitCode).toBe(0);
  });

  it('masks secret inputs and secret captures in output, captures and prompts', async () => {
    const {events} = await play([
      '---',
      'inputs: {TOKEN: {secret: true}}',
      '---',
      '## S',
      '```sh {#leak}',
      'echo "token=$TOKEN"; printf "%s" "$TOKEN" | base64',
      '```',
      '```sh {#mint capture=MINTED secret}',
      'echo "minted-$((6 * 7))-value"',
      '```',
      '```sh {#use confirm="Use $MINTED and $TOKEN?"}',
      'echo "$MINTED"',
      '```',
    ].join('\n'), {sources: {set: {TOKEN: 's3cr3t-value-123'}}});
    const text = JSON.stringify(events);
    expect(text).not.toContain('s3cr3t-value-123');
    expect(text).not.toContain(Buffer.from('s3cr3t-value-123').toString('base64'));
    expect(text).not.toContain('minted-42-value');
    expect(events).toContainEqual({type: 'output', nodeId: 'use', stream: 'stdout', text: '••••••\n'});
    expect(nodeEnd(events, 'mint').captures).toEqual({MINTED: '••••••'});
    expect(events).toContainEqual({type: 'decision-asked', kind: 'confirm', nodeId: 'use', stepId: 's', prompt: 'Use •••••• and ••••••?', resolved: {uses: [{name: 'MINTED', value: '••••••'}]}});
  });

  it('holds a secret capture\'s stderr until its secret is known, then masks it there, every line of it, and counts what it masked', async () => {
    const {events} = await play([
      '## S',
      '```sh {#mint capture=KEY secret}',
      'key=$(printf "minted-key-line-one\\nminted-key-line-two")',
      'echo "debug: got $key" >&2',
      'printf "%s" "$key" | xxd -p >&2',
      'echo "$key"',
      '```',
      '```sh {#use}',
      'echo "line one is ${KEY%%$\'\\n\'*}"',
      '```',
    ].join('\n'));
    const text = JSON.stringify(events.filter((event) => event.type !== 'node-start'));
    expect(text).not.toContain('minted-key');
    expect(text).not.toContain(Buffer.from('minted-key').toString('hex'));
    // the secret over two lines, and its hex as `xxd -p` wraps it
    expect(events.filter((event) => event.type === 'output' && event.nodeId === 'mint').map((event) => (event as {text: string}).text).join('')).toBe('debug: got ••••••\n••••••\n••••••\n••••••\n');
    expect(nodeEnd(events, 'mint').masked).toBe(2);
    expect(events.filter((event) => event.type === 'output' && event.nodeId === 'use').map((event) => (event as {text: string}).text).join('')).toBe('line one is ••••••\n');
    expect(nodeEnd(events, 'use').masked).toBe(1);
  });

  it('shows none of a secret capture\'s held stderr when the node ends without a value to mask it with', async () => {
    const throwing: Executor = {
      kind: 'shell',
      execute: async (context) => {
        context.onOutput({stream: 'stderr', text: 'token is tok-never-known-123\n'});
        throw new Error('executor broke');
      },
    };
    const events: RunEvent[] = [];
    await expect(play(['## S', '```sh {#mint capture=KEY secret}', 'mint', '```'].join('\n'), {executors: () => throwing, onEvent: (event) => events.push(event)})).rejects.toThrow('executor broke');
    expect(JSON.stringify(events)).not.toContain('tok-never-known');
    expect(events).toContainEqual({type: 'output', nodeId: 'mint', stream: 'stderr', text: '[runbook: 29 characters of stderr not shown: the secret capture ended without a value to mask them with]\n'});
  });

  it('asks the operator on failure: retry, then mark done with a note', async () => {
    let failures = 0;
    const operator: Operator = {
      ...autoOperator,
      kind: 'operator',
      failure: async () => (++failures === 1 ? {decision: 'retry'} : {decision: 'mark-done', note: 'fixed by hand'}),
    };
    const {events, result} = await play(['## F', '```sh {#broken}', 'exit 2', '```'].join('\n'), {operator});
    expect(outline(events).filter((line) => /node-end|decision-taken/.test(line))).toEqual([
      'node-end broken#1 failed',
      'decision-taken failure broken retry by operator',
      'node-end broken#2 failed',
      'decision-taken failure broken mark-done by operator',
      'node-end broken#2 marked-done',
    ]);
    expect(result.outcome).toBe('passed');
  });

  it('interrupts only the running node, then quits safely', async () => {
    const {events, result} = await play(['## Long', '```sh {#sleepy}', 'echo started; sleep 30', '```', '```sh {#next}', 'echo next', '```'].join('\n'), {
      operator: {...autoOperator, kind: 'operator', failure: async () => ({decision: 'quit'})},
      onEvent: (event, controls) => {
        if (event.type === 'output' && event.nodeId === 'sleepy') controls.interruptNode();
      },
    });
    expect(nodeEnd(events, 'sleepy').outcome).toBe('interrupted');
    expect(outline(events).filter((line) => /interrupt|decision|run-end|node-start/.test(line))).toEqual([
      'node-start sleepy#1',
      'interrupt',
      'node-end sleepy#1 interrupted',
      'decision-asked failure sleepy',
      'decision-taken failure sleepy quit by operator',
      'run-end interrupted',
    ]);
    expect(result).toMatchObject({outcome: 'interrupted', exitCode: 130});
  });

  it('asks a checklist only when its condition holds, and lets later conditions name it', async () => {
    const {events, result} = await play([
      '## Verify',
      '```sh {#smoke allow-failure}',
      'exit 3',
      '```',
      '<!-- runbook: #manual_flows if="smoke.failed" -->',
      '- [ ] Walk through sign-in by hand',
      '',
      'Text between.',
      '',
      '<!-- runbook: #never if="smoke.ok" -->',
      '- [ ] Not asked',
      '',
      '```sh {#after if="manual_flows.ok && never.skipped"}',
      'echo after',
      '```',
    ].join('\n'));
    expect(result.outcome).toBe('passed');
    expect(outline(events).filter((line) => /manual_flows|never|after/.test(line))).toEqual([
      'decision-asked checklist manual_flows',
      'decision-taken checklist manual_flows done by auto',
      'node-end manual_flows#1 passed',
      'node-end never#1 skipped',
      'node-start after#1',
      'output after stdout "after\\n"',
      'node-end after#1 passed',
    ]);
    expect(nodeEnd(events, 'never').reason).toBe('if="smoke.ok" is false');
  });

  it('runs runbooks whose ids are names CEL owns, such as `optional` and `int`', async () => {
    const {events, result} = await play([
      '## Optional',
      '```sh {#int}',
      'echo one',
      '```',
      '```sh {#next if="true"}',
      'echo two',
      '```',
    ].join('\n'));
    expect(result.outcome).toBe('passed');
    expect(nodeEnd(events, 'next').outcome).toBe('passed');
  });
});
