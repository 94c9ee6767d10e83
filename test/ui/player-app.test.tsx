import {afterEach, describe, expect, it} from 'vitest';
import type {NodeEndEvent, NodeOutcome, RunEvent} from '../../src/engine/events.js';
import type {ChecklistAnswer, ConfirmAnswer, FailureAnswer, InputAnswer, UnknownAnswer} from '../../src/engine/operator.js';
import type {RunControls} from '../../src/engine/session.js';
import type {InputSpec} from '../../src/runbook/model.js';
import {PlayerApp} from '../../src/ui/components/PlayerApp.js';
import {PlayerStore} from '../../src/ui/player-store.js';
import {checklistOf, execOf, keys, loadFixture, renderReady, runStart, stepOf, tick, zeroCounts, type Rendered} from './helpers.js';

const info = {runId: 'run-1', transcriptPath: '.runbook/runs/run-1/transcript.jsonl', incident: 'INC-7'};

interface Recorded {
  readonly notes: {text: string; nodeId?: string}[];
  interrupts: number;
  quits: number;
}

const mounted: Rendered[] = [];
afterEach(() => {
  for (const rendered of mounted.splice(0)) rendered.instance.unmount();
});

async function setup(size: {columns?: number; rows?: number} = {}, options: {outputLimit?: number} = {}) {
  const runbook = loadFixture();
  let now = 1_000_000;
  const clock = (): number => now;
  const store = new PlayerStore(runbook, {clock, flushMs: 0, ...options});
  const recorded: Recorded = {notes: [], interrupts: 0, quits: 0};
  const controls: RunControls = {
    note: (text, nodeId) => void recorded.notes.push(nodeId === undefined ? {text} : {text, nodeId}),
    interruptNode: () => void (recorded.interrupts += 1),
    quit: () => void (recorded.quits += 1),
  };
  store.attach(controls);
  const app = await renderReady((onReady) => <PlayerApp store={store} runbook={runbook} info={info} clock={clock} color={false} onReady={onReady} />, size);
  mounted.push(app);
  return {
    runbook, store, app, recorded,
    advance: (ms: number) => void (now += ms),
    emit: async (...events: RunEvent[]) => {
      for (const event of events) store.onEvent(event);
      await tick(5);
    },
  };
}

type Setup = Awaited<ReturnType<typeof setup>>;

function nodeEnd(nodeId: string, stepId: string, outcome: NodeOutcome, extra: Partial<NodeEndEvent> = {}): NodeEndEvent {
  return {type: 'node-end', nodeId, stepId, outcome, attempt: 1, exitCode: 0, signal: null, durationMs: 1250, captures: {}, outputCaptured: true, ...extra};
}

const smokeStart: RunEvent = {type: 'node-start', nodeId: 'smoke', stepId: 'verify', attempt: 1, command: './smoke.sh', mutates: false, interactive: false};

// The rows of one node's block: from its header to the next blank row.
function block(frame: string, nodeId: string): string {
  const rows = frame.split('\n');
  const start = rows.findIndex((row) => new RegExp(`^. ${nodeId} ·`).test(row));
  if (start === -1) throw new Error(`no block for ${nodeId} in:\n${frame}`);
  const end = rows.findIndex((row, index) => index > start && (row === '' || /^─/.test(row)));
  return rows.slice(start, end === -1 ? undefined : end).join('\n');
}

async function atVerify(test: Setup): Promise<void> {
  await test.emit(runStart(), {type: 'step-start', stepId: 'verify'});
}

describe('node statuses', () => {
  it('pending: the command as written, waiting its turn', async () => {
    const test = await setup();
    await atVerify(test);
    expect(block(test.app.frame(), 'smoke')).toBe([
      '○ smoke · sh',
      '  │ ./smoke.sh',
    ].join('\n'));
  });

  it('running: elapsed time and the live tail of its output', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, {type: 'output', nodeId: 'smoke', stream: 'stdout', text: 'checking auth\nchecking import\n'}, {type: 'output', nodeId: 'smoke', stream: 'stderr', text: 'slow response'});
    test.advance(2300);
    await test.emit({type: 'note', text: 'tick', by: 'engine'});
    expect(block(test.app.frame(), 'smoke')).toBe([
      '▶ smoke · sh                                                        running 2.3s',
      '  │ ./smoke.sh',
      '    checking auth',
      '    checking import',
      '    slow response',
    ].join('\n'));
  });

  it('passed: exit code, duration and captured values', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, nodeEnd('smoke', 'verify', 'passed', {captures: {RELEASE_ID: 'r-42', TOKEN: '••••••'}}));
    expect(block(test.app.frame(), 'smoke')).toBe([
      '✓ smoke · sh                                                              passed',
      '  exit 0 · 1.2s',
      '  captured RELEASE_ID = r-42',
      '  captured TOKEN = ••••••',
    ].join('\n'));
  });

  it('passed: what it exported and unset for later blocks', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, nodeEnd('smoke', 'verify', 'passed', {exports: {NAMESPACE: 'prod', API_TOKEN: '••••••', OLD: null}}));
    expect(block(test.app.frame(), 'smoke')).toBe([
      '✓ smoke · sh                                                              passed',
      '  exit 0 · 1.2s',
      '  exported NAMESPACE = prod',
      '  exported API_TOKEN = ••••••',
      '  unset OLD',
    ].join('\n'));
  });

  it('passed, with the processes it left running that were ended', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, nodeEnd('smoke', 'verify', 'passed', {survivors: [{pid: 4242, command: 'sleep 300'}]}));
    expect(block(test.app.frame(), 'smoke')).toBe([
      '✓ smoke · sh                                                              passed',
      '  exit 0 · 1.2s',
      '  ended process 4242 it left running: sleep 300',
    ].join('\n'));
  });

  it('passed over http: the status code', async () => {
    const test = await setup();
    await test.emit(runStart(), {type: 'step-start', stepId: 'check-health'});
    await test.emit({type: 'node-start', nodeId: 'health', stepId: 'check-health', attempt: 1, command: 'GET {{API}}/health\n?? status == 200', mutates: false, interactive: false});
    await test.emit(nodeEnd('health', 'check-health', 'passed', {exitCode: null, durationMs: 85, http: {method: 'GET', url: 'http://127.0.0.1:9/health', status: 200, headers: {}, body: '{}', bodyTruncated: false, assertions: [{source: 'status == 200', passed: true, actual: '200'}]}}));
    expect(block(test.app.frame(), 'health')).toBe([
      '✓ health · http                                                           passed',
      '  HTTP 200 · 85ms',
    ].join('\n'));
  });

  it('failed: the command, the last output, the reason and failed assertions', async () => {
    const test = await setup();
    await test.emit(runStart(), {type: 'step-start', stepId: 'check-health'});
    await test.emit({type: 'node-start', nodeId: 'health', stepId: 'check-health', attempt: 1, command: 'GET {{API}}/health\n?? status == 200', mutates: false, interactive: false});
    await test.emit(nodeEnd('health', 'check-health', 'failed', {exitCode: null, durationMs: 85, reason: '1 assertion failed', http: {method: 'GET', url: 'http://127.0.0.1:9/health', status: 503, headers: {}, body: 'down', bodyTruncated: false, assertions: [{source: 'status == 200', passed: false, actual: '503'}]}}));
    expect(block(test.app.frame(), 'health')).toBe([
      '✗ health · http                                                           failed',
      '  │ GET {{API}}/health',
      '  │ ?? status == 200',
      '  HTTP 503 · 85ms — 1 assertion failed',
      '  ✗ ?? status == 200  (got 503)',
    ].join('\n'));
  });

  it('skipped: why', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(nodeEnd('smoke', 'verify', 'skipped', {exitCode: null, durationMs: 0, reason: 'if="health.failed" is false', outputCaptured: false}));
    expect(block(test.app.frame(), 'smoke')).toBe([
      '↷ smoke · sh                                                             skipped',
      '  if="health.failed" is false',
    ].join('\n'));
  });

  it('timed out: the signal and the reason', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, {type: 'output', nodeId: 'smoke', stream: 'stdout', text: 'waiting for api\n'});
    await test.emit(nodeEnd('smoke', 'verify', 'timed-out', {exitCode: null, signal: 'SIGTERM', durationMs: 10_000, reason: 'timed out after 10s'}));
    expect(block(test.app.frame(), 'smoke')).toBe([
      '✗ smoke · sh                                                           timed out',
      '  │ ./smoke.sh',
      '  SIGTERM · 10.0s — timed out after 10s',
      '    waiting for api',
    ].join('\n'));
  });

  it('interrupted', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, nodeEnd('smoke', 'verify', 'interrupted', {exitCode: 130, signal: null, durationMs: 4000, reason: 'interrupted by the operator'}));
    expect(block(test.app.frame(), 'smoke')).toBe([
      '‖ smoke · sh                                                         interrupted',
      '  │ ./smoke.sh',
      '  exit 130 · 4.0s — interrupted by the operator',
    ].join('\n'));
  });

  it('allowed to fail', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, nodeEnd('smoke', 'verify', 'allowed-failure', {exitCode: 1, reason: 'exit code 1'}));
    expect(block(test.app.frame(), 'smoke')).toBe([
      '! smoke · sh                                                    failed (allowed)',
      '  exit 1 · 1.2s — exit code 1',
    ].join('\n'));
  });

  it('marked done by hand', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, nodeEnd('smoke', 'verify', 'failed', {exitCode: 2}), {type: 'decision-asked', kind: 'failure', nodeId: 'smoke', stepId: 'verify', prompt: '`smoke` exit code 2'});
    await test.emit({type: 'decision-taken', kind: 'failure', nodeId: 'smoke', stepId: 'verify', decision: 'mark-done', by: 'operator', note: 'ran it by hand'});
    await test.emit(nodeEnd('smoke', 'verify', 'marked-done', {exitCode: null, durationMs: 0, reason: 'marked done by the operator', outputCaptured: false}));
    expect(block(test.app.frame(), 'smoke')).toBe([
      '✎ smoke · sh                                                         marked done',
      '  marked done by the operator: ran it by hand',
    ].join('\n'));
  });

  it('unknown: started in an earlier attempt that never finished it, with what it printed then', async () => {
    const test = await setup();
    for (const event of [
      runStart(),
      {type: 'step-start', stepId: 'verify'},
      smokeStart,
      {type: 'output', nodeId: 'smoke', stream: 'stdout', text: 'half way\n'},
    ] satisfies RunEvent[]) test.store.onReplay(event);
    await test.emit(runStart({attempt: 2, resumed: true}));
    await test.emit({type: 'step-start', stepId: 'verify'});
    expect(block(test.app.frame(), 'smoke')).toBe([
      '? smoke · sh                            unknown: started earlier, never finished',
      '  │ ./smoke.sh',
      '    half way',
    ].join('\n'));
  });
});

describe('decisions', () => {
  it('confirm: the prompt, the command and that it mutates; y runs it (enter does not, at a node that mutates)', async () => {
    const test = await setup();
    await test.emit(runStart(), {type: 'step-start', stepId: 'roll-back'}, {type: 'decision-asked', kind: 'confirm', nodeId: 'redeploy', stepId: 'roll-back', prompt: 'Redeploy api at v3?'});
    const answer = test.store.confirm({node: execOf(test.runbook, 'redeploy'), step: stepOf(test.runbook, 'roll-back'), prompt: 'Redeploy api at v3?', command: 'railway redeploy --service api', mutates: true, explicit: true});
    await tick(5);
    expect(test.app.frame()).toBe([
      'Deploy check                                                       elapsed 00:00',
      'run run-1 · incident INC-7 · transcript .runbook/runs/run-1/transcript.jsonl',
      '── Steps 1–2 of 4 ──────────────────────────────────────────────────────────────',
      '○ 1) Check health',
      '◆ 2) Roll back                                                   waiting for you',
      '────────────────────────────────────────────────────────────────────────────────',
      '2) Roll back                                                             waiting',
      '',
      '• Re-deploy api at the last good release.',
      '• Keep the schema.',
      '',
      '◆ redeploy · sh · MUTATES                               waiting for you: run it?',
      '  │ railway redeploy --service api',
      '',
      '○ Dashboards checked +1 · checklist',
      '  [ ] Dashboards checked',
      '  [ ] Incident channel told',
      '',
      '────────────────────────────────────────────────────────────────────────────────',
      '◆ Redeploy api at v3?',
      '  MUTATES — it changes something outside this machine; y runs it',
      '  acts on: railway redeploy --service api',
      'y run it  s skip  a abort  n note  q quit  ? help  Ctrl-C quit  v variables',
    ].join('\n'));
    await test.app.press('y');
    await expect(answer).resolves.toEqual({decision: 'run'} satisfies ConfirmAnswer);
    expect(test.app.frame()).not.toContain('◆ Redeploy api at v3?');
  });

  it('confirm: s skips with an optional reason', async () => {
    const test = await setup();
    await test.emit(runStart(), {type: 'step-start', stepId: 'roll-back'});
    const answer = test.store.confirm({node: execOf(test.runbook, 'redeploy'), step: stepOf(test.runbook, 'roll-back'), prompt: 'Redeploy?', command: 'x', mutates: true, explicit: true});
    await tick(5);
    await test.app.press('s');
    expect(test.app.frame().split('\n').slice(-4).join('\n')).toBe([
      '────────────────────────────────────────────────────────────────────────────────',
      'Why skip it? (optional; enter skips)',
      '>',
      'enter skip  esc cancel  Ctrl-C quit',
    ].join('\n'));
    await test.app.press('already done', keys.enter);
    await expect(answer).resolves.toEqual({decision: 'skip', reason: 'already done'});
  });

  it('confirm: a asks before aborting the run', async () => {
    const test = await setup();
    await test.emit(runStart(), {type: 'step-start', stepId: 'roll-back'});
    const answer = test.store.confirm({node: execOf(test.runbook, 'redeploy'), step: stepOf(test.runbook, 'roll-back'), prompt: 'Redeploy?', command: 'x', mutates: true, explicit: true});
    await tick(5);
    await test.app.press('a');
    expect(test.app.frame().split('\n').slice(-2).join('\n')).toBe([
      'Abort the run? It ends here for good and cannot be resumed.',
      'y abort the run  n stay  Ctrl-C quit',
    ].join('\n'));
    await test.app.press('n');
    expect(test.app.frame()).toContain('◆ Redeploy?');
    await test.app.press('a', 'y');
    await expect(answer).resolves.toEqual({decision: 'abort'});
  });

  it('checklist: space ticks, x marks not applicable with a reason, enter continues once all are done', async () => {
    const test = await setup();
    await test.emit(runStart(), {type: 'step-start', stepId: 'roll-back'}, nodeEnd('redeploy', 'roll-back', 'passed'));
    await test.emit({type: 'decision-asked', kind: 'checklist', nodeId: 'roll-back-2', stepId: 'roll-back', prompt: 'Dashboards checked\nIncident channel told'});
    const answer = test.store.checklist({node: checklistOf(test.runbook, 'roll-back-2'), step: stepOf(test.runbook, 'roll-back')});
    await tick(5);
    expect(test.app.frame().split('\n').slice(-8).join('\n')).toBe([
      '› [ ] Dashboards checked',
      '  [ ] Incident channel told',
      '',
      '',
      '────────────────────────────────────────────────────────────────────────────────',
      '◆ Tick each item (space) or mark it not applicable (x); enter continues · 0 of 2',
      '  done',
      'space tick  ↑/↓ move  x n/a  enter done  s skip  a abort  n note  q quit  ? help',
    ].join('\n'));
    await test.app.press(' ', keys.enter);
    expect(test.app.frame()).toContain('· tick every item (space) or mark it not applicable (x) first');
    await test.app.press(keys.down, 'x', keys.enter);
    expect(test.app.frame()).toContain('✗ a reason is required');
    await test.app.press('no channel yet', keys.enter);
    expect(test.app.frame()).toContain('› [-] Incident channel told — not applicable: no channel yet');
    expect(test.app.frame()).toContain('  [x] Dashboards checked');
    await test.app.press(keys.enter);
    await expect(answer).resolves.toEqual({decision: 'done', items: [
      {index: 0, state: 'ticked'},
      {index: 1, state: 'not-applicable', reason: 'no channel yet'},
    ]} satisfies ChecklistAnswer);
  });

  it('failure: the reason and the output; r retries, m needs a note', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, {type: 'output', nodeId: 'smoke', stream: 'stderr', text: 'auth: 401\n'}, nodeEnd('smoke', 'verify', 'failed', {exitCode: 2, reason: 'exit code 2'}));
    await test.emit({type: 'decision-asked', kind: 'failure', nodeId: 'smoke', stepId: 'verify', prompt: '`smoke` exit code 2'});
    const request = {node: execOf(test.runbook, 'smoke'), step: stepOf(test.runbook, 'verify'), attempt: 1, result: {status: 'failed' as const, exitCode: 2, signal: null, durationMs: 1250, stdout: '', stdoutTruncated: false, reason: 'exit code 2'}};
    const first = test.store.failure(request);
    await tick(5);
    expect(test.app.frame().split('\n').slice(8).join('\n')).toBe([
      '✗ smoke · sh                                                      failed: decide',
      '  │ ./smoke.sh',
      '    auth: 401',
      '  exit 2 · 1.2s — exit code 2',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '────────────────────────────────────────────────────────────────────────────────',
      '✗ `smoke` exit code 2 (attempt 1)',
      'r retry  s skip  m mark done  a abort  n note  o output  q quit  ? help',
    ].join('\n'));
    await test.app.press('r');
    await expect(first).resolves.toEqual({decision: 'retry'} satisfies FailureAnswer);

    const second = test.store.failure({...request, attempt: 2});
    await tick(5);
    await test.app.press('m', keys.enter);
    expect(test.app.frame()).toContain('✗ a note is required: say how it was done');
    await test.app.press('restarted by hand', keys.enter);
    await expect(second).resolves.toEqual({decision: 'mark-done', note: 'restarted by hand'});
  });

  it('unknown: asks first on resume, says whether rerunning is safe', async () => {
    const test = await setup();
    for (const event of [runStart(), {type: 'step-start', stepId: 'verify'}, smokeStart] satisfies RunEvent[]) test.store.onReplay(event);
    await test.emit(runStart({attempt: 2, resumed: true}), {type: 'step-start', stepId: 'verify'});
    await test.emit({type: 'decision-asked', kind: 'unknown', nodeId: 'smoke', stepId: 'verify', prompt: '`smoke` started in an earlier attempt and never finished; it may or may not have done its work.'});
    const answer = test.store.unknown({node: execOf(test.runbook, 'smoke'), step: stepOf(test.runbook, 'verify'), idempotent: false});
    await tick(5);
    expect(test.app.frame().split('\n').slice(-5).join('\n')).toBe([
      '────────────────────────────────────────────────────────────────────────────────',
      '? `smoke` started in an earlier attempt and never finished; it may or may not',
      '  have done its work.',
      '  It is not marked idempotent: check what it did before you rerun it.',
      'r rerun  s skip  m mark done  a abort  n note  q quit  ? help  Ctrl-C quit',
    ].join('\n'));
    expect(test.app.frame().split('\n').slice(1, 3).join('\n')).toBe([
      'run run-1 · attempt 2 (resumed) · incident INC-7 · transcript',
      '.runbook/runs/run-1/transcript.jsonl',
    ].join('\n'));
    await test.app.press('r');
    await expect(answer).resolves.toEqual({decision: 'rerun'} satisfies UnknownAnswer);
  });

  it('input: description and default, re-asked with the problem', async () => {
    const test = await setup();
    await test.emit(runStart(), {type: 'decision-asked', kind: 'input', prompt: 'Release tag to roll back to'});
    const input = test.runbook.frontmatter.inputs['RELEASE'] as InputSpec;
    const first = test.store.input({input});
    await tick(5);
    await test.app.press('v', 'x', keys.backspace, '9');
    expect(test.app.frame().split('\n').slice(-5).join('\n')).toBe([
      '────────────────────────────────────────────────────────────────────────────────',
      'RELEASE — Release tag to roll back to',
      '  enter alone takes the default: v1',
      '> v9',
      'enter submit  Ctrl-C quit',
    ].join('\n'));
    await test.app.press(keys.enter);
    await expect(first).resolves.toEqual({decision: 'value', value: 'v9'} satisfies InputAnswer);

    const second = test.store.input({input, problem: 'RELEASE must match ^v[0-9]+$'});
    await tick(5);
    expect(test.app.frame().split('\n').slice(-3, -1).join('\n')).toBe([
      '✗ RELEASE must match ^v[0-9]+$',
      '>',
    ].join('\n'));
    await test.app.press(keys.enter);
    await expect(second).resolves.toEqual({decision: 'value', value: ''});
  });

  it('a secret typed into an input never appears in any frame', async () => {
    const test = await setup();
    await test.emit(runStart(), {type: 'decision-asked', kind: 'input', prompt: 'Ops API token'});
    const input = test.runbook.frontmatter.inputs['TOKEN'] as InputSpec;
    const answer = test.store.input({input});
    await tick(5);
    await test.app.press('hun', 'ter2', '-XY', keys.backspace, 'YZ');
    expect(test.app.frame().split('\n').slice(-4, -1).join('\n')).toBe([
      'TOKEN — Ops API token',
      '  secret: not shown, not recorded',
      '> •••••••••••',
    ].join('\n'));
    await test.app.press(keys.enter);
    await expect(answer).resolves.toEqual({decision: 'value', value: 'hunter2-XYZ'});
    const frames = test.app.allFrames().join('\n');
    for (const piece of ['hun', 'ter2', '-XY', 'YZ']) expect(frames).not.toContain(piece);
  });
});

describe('keys while running', () => {
  it('n adds a note to the running node', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart);
    await test.app.press('n', 'paged db team', keys.enter);
    expect(test.recorded.notes).toEqual([{text: 'paged db team', nodeId: 'smoke'}]);
    expect(test.app.frame().split('\n').at(-2)).toBe('· note saved on smoke');
  });

  it('keys typed faster than Ink reads them arrive as one string and still count one by one', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart);
    await test.app.press('nfrom a paste\r');
    expect(test.recorded.notes).toEqual([{text: 'from a paste', nodeId: 'smoke'}]);
    await test.app.press('qy');
    expect(test.recorded.quits).toBe(1);
  });

  it('Ctrl-C interrupts the running node first, then quits safely', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart);
    expect(test.app.frame().split('\n').at(-1)).toBe('n note  o output  q quit  ? help  Ctrl-C interrupt  v variables  ↑/↓ focus');
    await test.app.press(keys.ctrlC);
    expect(test.recorded).toMatchObject({interrupts: 1, quits: 0});
    expect(test.app.frame().split('\n').at(-2)).toBe('· interrupting smoke; Ctrl-C again stops the run safely');
    await test.app.press(keys.ctrlC);
    expect(test.recorded).toMatchObject({interrupts: 1, quits: 1});
    expect(test.app.frame()).toContain('Stopping safely… the run can be resumed.');
  });

  it('Ctrl-C while nothing runs quits safely at once', async () => {
    const test = await setup();
    await atVerify(test);
    await test.app.press(keys.ctrlC);
    expect(test.recorded).toMatchObject({interrupts: 0, quits: 1});
  });

  it('q asks before quitting', async () => {
    const test = await setup();
    await atVerify(test);
    await test.app.press('q');
    expect(test.app.frame().split('\n').slice(-2).join('\n')).toBe([
      'Quit now? The run stops safely and can be resumed later.',
      'y quit  n stay',
    ].join('\n'));
    await test.app.press('n');
    expect(test.recorded.quits).toBe(0);
    await test.app.press('q', 'y');
    expect(test.recorded.quits).toBe(1);
  });

  it('o opens the full output: scrolls, jumps, says how many lines are only in the transcript', async () => {
    const test = await setup({rows: 12}, {outputLimit: 20});
    await atVerify(test);
    await test.emit(smokeStart, {type: 'output', nodeId: 'smoke', stream: 'stdout', text: Array.from({length: 50}, (_, index) => `line ${index + 1}\n`).join('')});
    await test.app.press('o');
    expect(test.app.frame()).toBe([
      'Output of smoke · running                                      lines 44–50 of 50',
      'The first 30 lines are no longer kept here; the transcript has all of it:',
      '.runbook/runs/run-1/transcript.jsonl',
      'line 44',
      'line 45',
      'line 46',
      'line 47',
      'line 48',
      'line 49',
      'line 50',
      'j/k scroll  PgUp/PgDn page  g/G top/bottom  q back  Ctrl-C interrupt',
    ].join('\n'));
    await test.app.press('g');
    expect(test.app.frame().split('\n').slice(0, 4).join('\n')).toBe([
      'Output of smoke · running                                      lines 31–37 of 50',
      'The first 30 lines are no longer kept here; the transcript has all of it:',
      '.runbook/runs/run-1/transcript.jsonl',
      'line 31',
    ].join('\n'));
    await test.app.press('j', 'j', keys.pageDown);
    expect(test.app.frame().split('\n')[3]).toBe('line 40');
    await test.app.press('k');
    expect(test.app.frame().split('\n')[3]).toBe('line 39');
    await test.app.press('G');
    await test.emit({type: 'output', nodeId: 'smoke', stream: 'stdout', text: 'line 51\n'});
    expect(test.app.frame().split('\n').at(-2)).toBe('line 51');
    await test.app.press('q');
    expect(test.app.frame()).toContain('▶ smoke · sh');
  });

  it('the run end shows the outcome and the transcript', async () => {
    const test = await setup();
    await atVerify(test);
    await test.emit(smokeStart, nodeEnd('smoke', 'verify', 'passed'), {type: 'step-end', stepId: 'verify', status: 'done'});
    await test.emit({type: 'run-end', outcome: 'passed', durationMs: 61_000, counts: {...zeroCounts, passed: 1}});
    expect(test.app.frame().split('\n').slice(-3).join('\n')).toBe([
      '────────────────────────────────────────────────────────────────────────────────',
      'Run passed in 1m 01s — 1 passed',
      'transcript .runbook/runs/run-1/transcript.jsonl',
    ].join('\n'));
  });

  it('the end of a resumed run shows the whole run over its attempts, then this attempt', async () => {
    const test = await setup();
    await test.emit(runStart({attempt: 2, resumed: true}), {type: 'step-start', stepId: 'verify'});
    await test.emit(smokeStart, nodeEnd('smoke', 'verify', 'passed'), {type: 'step-end', stepId: 'verify', status: 'done'});
    await test.emit({
      type: 'run-end', outcome: 'passed', durationMs: 61_000, counts: {...zeroCounts, passed: 1},
      total: {attempts: 2, durationMs: 754_000, counts: {...zeroCounts, passed: 4, skipped: 1}},
    });
    const frame = test.app.frame().split('\n');
    expect(frame[0]).toMatch(/ passed in 12m 34s$/);
    expect(frame.slice(-4).join('\n')).toBe([
      '────────────────────────────────────────────────────────────────────────────────',
      'Run passed in 12m 34s over 2 attempts — 4 passed, 1 skipped; attempt 2: 1m 01s —',
      '1 passed',
      'transcript .runbook/runs/run-1/transcript.jsonl',
    ].join('\n'));
  });
});
