import {appendFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import type {RunEvent} from '../../../src/engine/events.js';
import {initialRunState, reduceRunEvents} from '../../../src/engine/run-state.js';
import type {RunControls} from '../../../src/engine/session.js';
import {PlayerApp} from '../../../src/ui/components/PlayerApp.js';
import {parseRunbook} from '../../../src/runbook/parse.js';
import {PlayerStore} from '../../../src/ui/player-store.js';
import {lineText} from '../../../src/ui/view/lines.js';
import {nodeFactLines} from '../../../src/ui/view/node-facts.js';
import {targetText} from '../../../src/ui/view/target.js';
import {execOf, loadFixture, renderReady, runStart, stepOf, tick, type Rendered} from '../helpers.js';

// The environment and each node's behaviour on screen: the header's target,
// the variables view (`v`), a node's limits and conditions before it runs,
// its resolved request line or variables, the timer's limit and the
// countdown between retries. Exact frames at 80×24 and 120×35.

const fixture = 'test/ui/fixtures/environment.md';
const info = {runId: 'run-1', transcriptPath: '.runbook/runs/run-1/transcript.jsonl'};
const start = 1_000_000;

// the frame now; FRAME_DUMP=file appends it there, to review a changed screen
function frameOf(app: Rendered): string {
  const frame = app.frame();
  const dump = process.env['FRAME_DUMP'];
  if (dump !== undefined) appendFileSync(dump, `${JSON.stringify(frame.split('\n'))}\n`);
  return frame;
}

const mounted: Rendered[] = [];
afterEach(() => {
  for (const rendered of mounted.splice(0)) rendered.instance.unmount();
});

async function setup(columns: number, rows: number) {
  const runbook = loadFixture(fixture);
  let now = start;
  const clock = (): number => now;
  const store = new PlayerStore(runbook, {clock, flushMs: 0});
  const interrupts: string[] = [];
  const controls: RunControls = {note: () => undefined, interruptNode: () => void interrupts.push('node'), quit: () => undefined};
  store.attach(controls);
  const app = await renderReady((onReady) => <PlayerApp store={store} runbook={runbook} info={info} clock={clock} color={false} onReady={onReady} />, {columns, rows});
  mounted.push(app);
  const emit = async (...events: RunEvent[]): Promise<void> => {
    for (const event of events) store.onEvent(event);
    store.flush();
    await tick(5);
  };
  // the values as the engine records them: the secret already masked
  await emit(
    runStart({runbookPath: fixture, title: 'Environment check'}),
    {type: 'input', name: 'API_ORIGIN', value: 'http://127.0.0.1:4010', secret: false, source: 'default'},
    {type: 'input', name: 'WEB_ORIGIN', value: 'http://127.0.0.1:4011', secret: false, source: 'env-file'},
    {type: 'input', name: 'TOKEN', value: '••••••', secret: true, source: 'set-file'},
    {type: 'input', name: 'SERVICE', value: 'api', secret: false, source: 'prompt'},
    {type: 'step-start', stepId: 'health-and-redeploy'},
  );
  return {runbook, store, app, interrupts, emit, advance: (ms: number) => void (now += ms)};
}

type Setup = Awaited<ReturnType<typeof setup>>;

const request = 'GET http://127.0.0.1:4010/health?service=api';

async function askHealth(test: Setup): Promise<void> {
  await test.emit({type: 'decision-asked', kind: 'confirm', nodeId: 'health', stepId: 'health-and-redeploy', prompt: 'Run `health`?', resolved: {request}});
  void test.store.confirm({node: execOf(test.runbook, 'health'), step: stepOf(test.runbook, 'health-and-redeploy'), prompt: 'Run `health`?', command: '', mutates: false, explicit: false});
  await tick(5);
}

async function healthWaitsToRetry(test: Setup): Promise<void> {
  await test.emit(
    {type: 'node-start', nodeId: 'health', stepId: 'health-and-redeploy', attempt: 1, command: '', mutates: false, interactive: false, resolved: {request}},
    {type: 'output', nodeId: 'health', stream: 'stdout', text: 'HTTP 503 Service Unavailable\n'},
    {type: 'node-end', nodeId: 'health', stepId: 'health-and-redeploy', outcome: 'failed', attempt: 1, exitCode: null, signal: null, durationMs: 12, reason: 'HTTP 503', captures: {}, outputCaptured: true},
    {type: 'retry-wait', nodeId: 'health', stepId: 'health-and-redeploy', attempt: 1, of: 6, ms: 5000, until: new Date(start + 5000).toISOString()},
  );
}

describe('the environment on screen (80×24)', () => {
  it('a gate before an http node: the target in the header, the node’s limits, its resolved request line', async () => {
    const test = await setup(80, 24);
    await askHealth(test);
    expect(frameOf(test.app)).toMatchInlineSnapshot(`
      "Environment check                                                  elapsed 00:00
      target api http://127.0.0.1:4010 · web http://127.0.0.1:4011
      run run-1 · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps ───────────────────────────────────────────────────────────────────────
      ◆ 1) Health and redeploy                                         waiting for you
      ○ 2) Done
      ────────────────────────────────────────────────────────────────────────────────
      Checks the api, then redeploys it.

      1) Health and redeploy                                                   waiting

      ◆ health · http · timeout 10s · retries 6 × 5s          waiting for you: run it?
        → GET http://127.0.0.1:4010/health?service=api
        │ GET {{API_ORIGIN}}/health?service={{SERVICE}}
        │ Authorization: Bearer {{TOKEN}}
        │ ?? status == 200

      ○ deploy · sh · timeout 2m · allow-failure · if health.ok
        │ railway redeploy --service "$SERVICE" --token "$TOKEN"

      ────────────────────────────────────────────────────────────────────────────────
      ◆ Run \`health\`?
      enter run  g/G run ahead  s skip  a abort  n note  q quit  ? help  Ctrl-C quit"
    `);
  });

  it('v lists every variable with its value and where it came from; the secret stays masked', async () => {
    const again = await setup(80, 24);
    await again.emit({type: 'node-end', nodeId: 'health', stepId: 'health-and-redeploy', outcome: 'passed', attempt: 1, exitCode: null, signal: null, durationMs: 12, captures: {HEALTH: '{"status":"ok"}'}, outputCaptured: true});
    await again.app.press('v');
    expect(frameOf(again.app)).toBe([
      'Environment check                                                  elapsed 00:00',
      'target api http://127.0.0.1:4010 · web http://127.0.0.1:4011',
      'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
      '────────────────────────────────────────────────────────────────────────────────',
      'Variables                             where each value came from; secrets masked',
      '  API_ORIGIN  http://127.0.0.1:4010                                      default',
      '  WEB_ORIGIN  http://127.0.0.1:4011                                     env file',
      '  TOKEN       ••••••                                         --set-file · secret',
      '  SERVICE     api                                                          input',
      '  HEALTH      {"status":"ok"}                                  capture of health',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'q back  Ctrl-C quit',
    ].join('\n'));
    await again.app.press('q');
    expect(again.app.frame()).toContain('1) Health and redeploy');
  });
});

describe('behaviour before it happens (80×24)', () => {
  it('between retries: a yellow countdown, not a red failure, and Ctrl-C stops the wait', async () => {
    const test = await setup(80, 24);
    await healthWaitsToRetry(test);
    test.advance(1200);
    await tick(1100);
    expect(frameOf(test.app)).toMatchInlineSnapshot(`
      "Environment check                                                  elapsed 00:01
      target api http://127.0.0.1:4010 · web http://127.0.0.1:4011
      run run-1 · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps ───────────────────────────────────────────────────────────────────────
      ▶ 1) Health and redeploy                                            running 1.2s
      ○ 2) Done
      ────────────────────────────────────────────────────────────────────────────────
      Checks the api, then redeploys it.

      1) Health and redeploy                                                   running

      ↻ health · http · timeout 10s · retries 6 × 5s                retry 1 of 6 in 4s
        → GET http://127.0.0.1:4010/health?service=api
        │ GET {{API_ORIGIN}}/health?service={{SERVICE}}
        │ Authorization: Bearer {{TOKEN}}
        │ ?? status == 200
        12ms — HTTP 503
          HTTP 503 Service Unavailable

      ○ deploy · sh · timeout 2m · allow-failure · if health.ok
        │ railway redeploy --service "$SERVICE" --token "$TOKEN"

      n note  o output  q quit  ? help  Ctrl-C interrupt  v variables  ↑/↓ focus"
    `);
    await test.app.press('\u0003');
    expect(test.interrupts).toEqual(['node']);
  });

  it('the running timer shows the limit; the next node shows that its if= held and the values it reads', async () => {
    const test = await setup(80, 24);
    await test.emit({type: 'node-start', nodeId: 'health', stepId: 'health-and-redeploy', attempt: 1, command: '', mutates: false, interactive: false, resolved: {request}});
    test.advance(1700);
    await tick(1100);
    expect(frameOf(test.app)).toMatchInlineSnapshot(`
      "Environment check                                                  elapsed 00:01
      target api http://127.0.0.1:4010 · web http://127.0.0.1:4011
      run run-1 · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps ───────────────────────────────────────────────────────────────────────
      ▶ 1) Health and redeploy                                            running 1.7s
      ○ 2) Done
      ────────────────────────────────────────────────────────────────────────────────
      Checks the api, then redeploys it.

      1) Health and redeploy                                                   running

      ▶ health · http · timeout 10s · retries 6 × 5s                running 1.7s / 10s
        → GET http://127.0.0.1:4010/health?service=api
        │ GET {{API_ORIGIN}}/health?service={{SERVICE}}
        │ Authorization: Bearer {{TOKEN}}
        │ ?? status == 200
          no output yet

      ○ deploy · sh · timeout 2m · allow-failure · if health.ok
        │ railway redeploy --service "$SERVICE" --token "$TOKEN"


      n note  o output  q quit  ? help  Ctrl-C interrupt  v variables  ↑/↓ focus"
    `);
    await test.emit(
      {type: 'output', nodeId: 'health', stream: 'stdout', text: 'HTTP 200 OK\n'},
      {type: 'node-end', nodeId: 'health', stepId: 'health-and-redeploy', outcome: 'passed', attempt: 1, exitCode: null, signal: null, durationMs: 1712, captures: {}, outputCaptured: true,
        http: {method: 'GET', url: 'http://127.0.0.1:4010/health?service=api', status: 200, headers: {}, body: '', bodyTruncated: false, assertions: []}},
      {type: 'decision-asked', kind: 'confirm', nodeId: 'deploy', stepId: 'health-and-redeploy', prompt: 'Run `deploy`?', resolved: {uses: [{name: 'SERVICE', value: 'api'}, {name: 'TOKEN', value: '••••••'}]}},
    );
    void test.store.confirm({node: execOf(test.runbook, 'deploy'), step: stepOf(test.runbook, 'health-and-redeploy'), prompt: 'Run `deploy`?', command: '', mutates: false, explicit: false});
    await tick(5);
    expect(frameOf(test.app)).toMatchInlineSnapshot(`
      "Environment check                                                  elapsed 00:01
      target api http://127.0.0.1:4010 · web http://127.0.0.1:4011
      run run-1 · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps ───────────────────────────────────────────────────────────────────────
      ◆ 1) Health and redeploy                                         waiting for you
      ○ 2) Done
      ────────────────────────────────────────────────────────────────────────────────
      Checks the api, then redeploys it.

      1) Health and redeploy                                                   waiting

      ✓ health · http · timeout 10s · retries 6 × 5s                            passed
        → GET http://127.0.0.1:4010/health?service=api
        HTTP 200 · 1.7s
          HTTP 200 OK

      ◆ deploy · sh                                           waiting for you: run it?
        timeout 2m · allow-failure · if health.ok — held
        with SERVICE=api  TOKEN=••••••
        │ railway redeploy --service "$SERVICE" --token "$TOKEN"
      ────────────────────────────────────────────────────────────────────────────────
      ◆ Run \`deploy\`?
      enter run  g/G run ahead  s skip  a abort  n note  q quit  ? help  Ctrl-C quit"
    `);
  });
});

describe('the same screens at 120×35', () => {
  it('a gate before an http node', async () => {
    const test = await setup(120, 35);
    await askHealth(test);
    expect(frameOf(test.app)).toMatchInlineSnapshot(`
      "Environment check                                                                                          elapsed 00:00
      target api http://127.0.0.1:4010 · web http://127.0.0.1:4011
      run run-1 · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────
      ◆ 1) Health and redeploy                                                                                 waiting for you
      ○ 2) Done
      ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
      Checks the api, then redeploys it.

      1) Health and redeploy                                                                                           waiting

      ◆ health · http · timeout 10s · retries 6 × 5s                                                  waiting for you: run it?
        → GET http://127.0.0.1:4010/health?service=api
        │ GET {{API_ORIGIN}}/health?service={{SERVICE}}
        │ Authorization: Bearer {{TOKEN}}
        │ ?? status == 200

      ○ deploy · sh · timeout 2m · allow-failure · if health.ok
        │ railway redeploy --service "$SERVICE" --token "$TOKEN"












      ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
      ◆ Run \`health\`?
      enter run  g/G run ahead  s skip  a abort  n note  q quit  ? help  Ctrl-C quit  v variables  ↑/↓ focus"
    `);
  });

  it('the variables view', async () => {
    const test = await setup(120, 35);
    await test.app.press('v');
    expect(frameOf(test.app)).toMatchInlineSnapshot(`
      "Environment check                                                                                          elapsed 00:00
      target api http://127.0.0.1:4010 · web http://127.0.0.1:4011
      run run-1 · transcript .runbook/runs/run-1/transcript.jsonl
      ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
      Variables                                                                     where each value came from; secrets masked
        API_ORIGIN  http://127.0.0.1:4010                                                                              default
        WEB_ORIGIN  http://127.0.0.1:4011                                                                             env file
        TOKEN       ••••••                                                                                 --set-file · secret
        SERVICE     api                                                                                                  input
























      q back  Ctrl-C quit"
    `);
  });

  it('the retry countdown', async () => {
    const test = await setup(120, 35);
    await healthWaitsToRetry(test);
    test.advance(3100);
    await tick(1100);
    expect(frameOf(test.app)).toMatchInlineSnapshot(`
      "Environment check                                                                                          elapsed 00:03
      target api http://127.0.0.1:4010 · web http://127.0.0.1:4011
      run run-1 · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────
      ▶ 1) Health and redeploy                                                                                    running 3.1s
      ○ 2) Done
      ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
      Checks the api, then redeploys it.

      1) Health and redeploy                                                                                           running

      ↻ health · http · timeout 10s · retries 6 × 5s                                                        retry 1 of 6 in 2s
        → GET http://127.0.0.1:4010/health?service=api
        │ GET {{API_ORIGIN}}/health?service={{SERVICE}}
        │ Authorization: Bearer {{TOKEN}}
        │ ?? status == 200
        12ms — HTTP 503
          HTTP 503 Service Unavailable

      ○ deploy · sh · timeout 2m · allow-failure · if health.ok
        │ railway redeploy --service "$SERVICE" --token "$TOKEN"












      n note  o output  q quit  ? help  Ctrl-C interrupt  v variables  ↑/↓ focus"
    `);
  });
});

describe('the header without target:', () => {
  it('shows the origin-like variables (names ending in _ORIGIN, _URL, _HOST), or nothing', async () => {
    const runbook = parseRunbook([
      '---',
      'env: {API_ORIGIN: "http://a.example", DB_HOST: db.internal, MODE: fast}',
      '---',
      '# No target',
      '## S',
      '```sh {#x}',
      'true',
      '```',
    ].join('\n'), 'no-target.md').runbook;
    const run = reduceRunEvents(initialRunState(runbook), [
      runStart({runbookPath: 'no-target.md', title: 'No target'}),
      {type: 'input', name: 'API_ORIGIN', value: 'http://a.example', secret: false, source: 'default'},
      {type: 'input', name: 'DB_HOST', value: 'db.internal', secret: false, source: 'environment'},
      {type: 'input', name: 'MODE', value: 'fast', secret: false, source: 'default'},
    ]);
    expect(targetText(runbook, run)).toBe('API_ORIGIN http://a.example · DB_HOST db.internal');
    expect(targetText(runbook, reduceRunEvents(initialRunState(runbook), [runStart()]))).toBe('');
  });
});

describe('node facts', () => {
  it('keep a resolved value on one line and inert: a line break or an escape shows as text', () => {
    const runbook = loadFixture(fixture);
    const state = initialRunState(runbook).nodes.get('deploy');
    if (state === undefined) throw new Error('no deploy node');
    const lines = nodeFactLines({...state, resolved: {uses: [{name: 'SERVICE', value: 'api\n\u001B[2Jx'}]}}, 80).map(lineText);
    expect(lines).toEqual(['  timeout 2m · allow-failure · if health.ok', '  with SERVICE=api\\n\\x1b[2Jx']);
  });
});
