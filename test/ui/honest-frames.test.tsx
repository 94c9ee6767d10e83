import {afterEach, describe, expect, it} from 'vitest';
import type {NodeEndEvent, NodeOutcome, RunEvent} from '../../src/engine/events.js';
import type {ConfirmAnswer} from '../../src/engine/operator.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {PlayerApp} from '../../src/ui/components/PlayerApp.js';
import {PlayerStore, runAheadNotes} from '../../src/ui/player-store.js';
import {checklistOf, execOf, keys, renderReady, runStart, stepOf, tick, zeroCounts, type Rendered} from './helpers.js';

// Exact frames, at 80×24 and 120×35, of what the issue asks the player to
// say honestly: each step mark that is not a plain pass, the summary with
// its exceptions, a gate that mutates refusing enter, and run-ahead.

const source = [
  '---', 'title: Rollback drill', 'env: {SERVICE: web}', '---', '# Rollback drill', '',
  '## 1) Triggers', '```sh {#probe allow-failure}', 'curl -fsS "$API/health"', '```',
  '## 2) Smoke', '```sh {#smoke}', './smoke.sh', '```',
  '## 3) Redeploy', '```sh {#redeploy_web mutates}', 'railway redeploy --service "$SERVICE" --yes', '```', '```sh {#redeploy_api mutates}', 'railway redeploy --service api --yes', '```',
  '## 4) Optional', '```sh {#lkg}', 'git log -1', '```', '```sh {#extra}', './extra.sh', '```', '- [ ] Dashboards checked', '- [ ] Channel told',
  '## 5) Slow', '```sh {#slow}', 'sleep 300', '```', '',
].join('\n');
const runbook = parseRunbook(source, 'drill.md').runbook;
const [s1, s2, s3, s4, s5] = runbook.steps.map((step) => step.id) as [string, string, string, string, string];
const checklistId = stepOf(runbook, s4).content.find((block) => block.kind === 'checklist')?.id ?? '';
const info = {runId: 'run-1', transcriptPath: '.runbook/runs/run-1/transcript.jsonl'};

const mounted: Rendered[] = [];
afterEach(() => {
  for (const rendered of mounted.splice(0)) rendered.instance.unmount();
});

async function setup(columns: number, rows: number) {
  const now = 1_000_000;
  const store = new PlayerStore(runbook, {clock: () => now, flushMs: 0});
  store.attach({note: () => undefined, interruptNode: () => undefined, quit: () => undefined});
  const app = await renderReady((onReady) => <PlayerApp store={store} runbook={runbook} info={info} clock={() => now} color={false} onReady={onReady} />, {columns, rows});
  mounted.push(app);
  return {
    store, app,
    emit: async (...events: RunEvent[]) => {
      for (const event of events) store.onEvent(event);
      await tick(5);
    },
  };
}

function end(nodeId: string, stepId: string, outcome: NodeOutcome, extra: Partial<NodeEndEvent> = {}): NodeEndEvent {
  return {type: 'node-end', nodeId, stepId, outcome, attempt: 1, exitCode: outcome === 'passed' ? 0 : null, signal: null, durationMs: outcome === 'skipped' || outcome === 'marked-done' ? 0 : 1250, captures: {}, outputCaptured: true, ...extra};
}
const start = (nodeId: string, stepId: string, command = nodeId): RunEvent => ({type: 'node-start', nodeId, stepId, attempt: 1, command, mutates: false, interactive: false});
const skippedBy = (kind: 'confirm' | 'failure', nodeId: string, stepId: string, note: string): RunEvent[] => [
  {type: 'decision-taken', kind, nodeId, stepId, decision: 'skip', by: 'operator', note},
  end(nodeId, stepId, 'skipped', {reason: note}),
];

// Every step played: a failure allowed, a node marked done, a step whose
// nodes were all skipped, one with a node skipped, and one that simply passed.
const played: RunEvent[] = [
  runStart({runbookPath: 'drill.md', title: 'Rollback drill'}),
  {type: 'step-start', stepId: s1}, start('probe', s1), end('probe', s1, 'allowed-failure', {exitCode: 22, reason: 'exit code 22'}),
  {type: 'step-end', stepId: s1, status: 'done', durationMs: 1250},
  {type: 'step-start', stepId: s2}, start('smoke', s2), end('smoke', s2, 'failed', {exitCode: 1, reason: 'exit code 1'}),
  {type: 'decision-asked', kind: 'failure', nodeId: 'smoke', stepId: s2, prompt: '`smoke` exit code 1'},
  {type: 'decision-taken', kind: 'failure', nodeId: 'smoke', stepId: s2, decision: 'mark-done', by: 'operator', note: 'checked by hand: login works'},
  end('smoke', s2, 'marked-done', {reason: 'marked done by the operator'}),
  {type: 'step-end', stepId: s2, status: 'done', durationMs: 1250},
  {type: 'step-start', stepId: s3},
  ...skippedBy('confirm', 'redeploy_web', s3, 'web was never deployed'),
  ...skippedBy('confirm', 'redeploy_api', s3, 'api rolled back by Railway'),
  {type: 'step-end', stepId: s3, status: 'done', durationMs: 0},
  {type: 'step-start', stepId: s4}, start('lkg', s4), end('lkg', s4, 'passed'),
  ...skippedBy('confirm', 'extra', s4, 'not needed today'),
  {type: 'decision-taken', kind: 'checklist', nodeId: checklistId, stepId: s4, decision: 'done', by: 'operator', items: [
    {index: 0, text: 'Dashboards checked', state: 'ticked'}, {index: 1, text: 'Channel told', state: 'not-applicable', reason: 'no channel in a drill'},
  ]},
  end(checklistId, s4, 'passed', {durationMs: 0}),
  {type: 'step-end', stepId: s4, status: 'done', durationMs: 1250},
  {type: 'step-start', stepId: s5}, start('slow', s5), end('slow', s5, 'passed', {durationMs: 2000}),
  {type: 'step-end', stepId: s5, status: 'done', durationMs: 2000},
  {type: 'run-end', outcome: 'passed', durationMs: 6000, counts: {...zeroCounts, passed: 3, 'allowed-failure': 1, skipped: 3, 'marked-done': 1}},
];

const end80Frame = [
  'Rollback drill                                  passed with 6 exceptions in 6.0s',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps 2–5 of 5 ──────────────────────────────────────────────────────────────',
  '✎ 2) Smoke                                                      marked done 1.2s',
  '↷ 3) Redeploy                                                            skipped',
  '↷ 4) Optional                                                  some skipped 1.2s',
  '✓ 5) Slow                                                                   2.0s',
  '────────────────────────────────────────────────────────────────────────────────',
  '5) Slow                                                                     done',
  '',
  '✓ slow · sh                                                               passed',
  '  exit 0 · 2.0s',
  '────────────────────────────────────────────────────────────────────────────────',
  'Run passed with 6 exceptions in 6.0s — 3 passed, 1 allowed-failure, 3 skipped, 1',
  'marked-done',
  '  ! probe failed, allowed: exit code 22',
  '  ✎ smoke marked done: checked by hand: login works',
  '  ↷ redeploy_web skipped: web was never deployed',
  '  ↷ redeploy_api skipped: api rolled back by Railway',
  '  ↷ extra skipped: not needed today',
  '  – optional-3 not applicable: no channel in a drill — "Channel told"',
  'transcript .runbook/runs/run-1/transcript.jsonl',
].join('\n');

const end120Frame = [
  'Rollback drill                                                                          passed with 6 exceptions in 6.0s',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '! 1) Triggers                                                                                      failures allowed 1.2s',
  '✎ 2) Smoke                                                                                              marked done 1.2s',
  '↷ 3) Redeploy                                                                                                    skipped',
  '↷ 4) Optional                                                                                          some skipped 1.2s',
  '✓ 5) Slow                                                                                                           2.0s',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '5) Slow                                                                                                             done',
  '',
  '✓ slow · sh                                                                                                       passed',
  '  exit 0 · 2.0s',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  'Run passed with 6 exceptions in 6.0s — 3 passed, 1 allowed-failure, 3 skipped, 1 marked-done',
  '  ! probe failed, allowed: exit code 22',
  '  ✎ smoke marked done: checked by hand: login works',
  '  ↷ redeploy_web skipped: web was never deployed',
  '  ↷ redeploy_api skipped: api rolled back by Railway',
  '  ↷ extra skipped: not needed today',
  '  – optional-3 not applicable: no channel in a drill — "Channel told"',
  'transcript .runbook/runs/run-1/transcript.jsonl',
].join('\n');

const int80Frame = [
  'Rollback drill                                               interrupted in 9.0s',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps 2–5 of 5 ──────────────────────────────────────────────────────────────',
  '✎ 2) Smoke                                                      marked done 1.2s',
  '↷ 3) Redeploy                                                            skipped',
  '↷ 4) Optional                                                  some skipped 1.2s',
  '‖ 5) Slow                                                            interrupted',
  '────────────────────────────────────────────────────────────────────────────────',
  '5) Slow                                                              interrupted',
  '',
  '‖ slow · sh                                                          interrupted',
  '  │ sleep 300',
  '────────────────────────────────────────────────────────────────────────────────',
  'Run interrupted in 9.0s — 2 passed, 1 allowed-failure, 3 skipped, 1 marked-done',
  'the operator quit',
  '  ! probe failed, allowed: exit code 22',
  '  ✎ smoke marked done: checked by hand: login works',
  '  ↷ redeploy_web skipped: web was never deployed',
  '  ↷ redeploy_api skipped: api rolled back by Railway',
  '  ↷ extra skipped: not needed today',
  '  – optional-3 not applicable: no channel in a drill — "Channel told"',
  'transcript .runbook/runs/run-1/transcript.jsonl',
].join('\n');

const int120Frame = [
  'Rollback drill                                                                                       interrupted in 9.0s',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '! 1) Triggers                                                                                      failures allowed 1.2s',
  '✎ 2) Smoke                                                                                              marked done 1.2s',
  '↷ 3) Redeploy                                                                                                    skipped',
  '↷ 4) Optional                                                                                          some skipped 1.2s',
  '‖ 5) Slow                                                                                                    interrupted',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '5) Slow                                                                                                      interrupted',
  '',
  '‖ slow · sh                                                                                                  interrupted',
  '  │ sleep 300',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  'Run interrupted in 9.0s — 2 passed, 1 allowed-failure, 3 skipped, 1 marked-done',
  'the operator quit',
  '  ! probe failed, allowed: exit code 22',
  '  ✎ smoke marked done: checked by hand: login works',
  '  ↷ redeploy_web skipped: web was never deployed',
  '  ↷ redeploy_api skipped: api rolled back by Railway',
  '  ↷ extra skipped: not needed today',
  '  – optional-3 not applicable: no channel in a drill — "Channel told"',
  'transcript .runbook/runs/run-1/transcript.jsonl',
].join('\n');

const frames = {end: {80: end80Frame, 120: end120Frame}, interrupted: {80: int80Frame, 120: int120Frame}};

describe('honest marks and summary', () => {
  for (const [columns, rows] of [[80, 24], [120, 35]] as const) {
    it(`ends 'passed with 6 exceptions', each step marked for what it did, each exception listed (${columns}×${rows})`, async () => {
      const test = await setup(columns, rows);
      await test.emit(...played);
      expect(test.app.frame()).toBe(frames.end[columns]);
    });

    it(`marks a step whose node was interrupted when the run stopped (${columns}×${rows})`, async () => {
      const test = await setup(columns, rows);
      await test.emit(...played.slice(0, played.findIndex((event) => event.type === 'step-start' && event.stepId === s5)));
      await test.emit({type: 'step-start', stepId: s5}, start('slow', s5, 'sleep 300'), {type: 'interrupt', scope: 'run'});
      await test.emit({type: 'run-end', outcome: 'interrupted', durationMs: 9000, reason: 'the operator quit', counts: {...zeroCounts, passed: 2, 'allowed-failure': 1, skipped: 3, 'marked-done': 1}});
      expect(test.app.frame()).toBe(frames.interrupted[columns]);
    });
  }
});

const gateFrames: Record<80 | 120, string> = {
  80: [
  'Rollback drill                                                     elapsed 00:00',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps 2–3 of 5 ──────────────────────────────────────────────────────────────',
  '✎ 2) Smoke                                                      marked done 1.2s',
  '◆ 3) Redeploy                                                    waiting for you',
  '────────────────────────────────────────────────────────────────────────────────',
  '3) Redeploy                                                              waiting',
  '',
  '◆ redeploy_web · sh · MUTATES                           waiting for you: run it?',
  '  │ railway redeploy --service "$SERVICE" --yes',
  '',
  '○ redeploy_api · sh · MUTATES',
  '  │ railway redeploy --service api --yes',
  '',
  '',
  '',
  '',
  '',
  '────────────────────────────────────────────────────────────────────────────────',
  '◆ Run `redeploy_web`? It changes things (mutates).',
  '  MUTATES — it changes something outside this machine; y runs it',
  '  acts on: railway redeploy --service "web" --yes',
  'y run it  s skip  a abort  n note  q quit  ? help  Ctrl-C quit  v variables',
].join('\n'),
  120: [
  'Rollback drill                                                                                             elapsed 00:00',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '! 1) Triggers                                                                                      failures allowed 1.2s',
  '✎ 2) Smoke                                                                                              marked done 1.2s',
  '◆ 3) Redeploy                                                                                            waiting for you',
  '○ 4) Optional',
  '○ 5) Slow',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '3) Redeploy                                                                                                      waiting',
  '',
  '◆ redeploy_web · sh · MUTATES                                                                   waiting for you: run it?',
  '  │ railway redeploy --service "$SERVICE" --yes',
  '',
  '○ redeploy_api · sh · MUTATES',
  '  │ railway redeploy --service api --yes',
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
  '',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '◆ Run `redeploy_web`? It changes things (mutates).',
  '  MUTATES — it changes something outside this machine; y runs it',
  '  acts on: railway redeploy --service "web" --yes',
  'y run it  s skip  a abort  n note  q quit  ? help  Ctrl-C quit  v variables  ↑/↓ focus',
].join('\n'),
};

const gateEnterFrames: Record<80 | 120, string> = {
  80: [
  'Rollback drill                                                     elapsed 00:00',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps 2–3 of 5 ──────────────────────────────────────────────────────────────',
  '✎ 2) Smoke                                                      marked done 1.2s',
  '◆ 3) Redeploy                                                    waiting for you',
  '────────────────────────────────────────────────────────────────────────────────',
  '3) Redeploy                                                              waiting',
  '',
  '◆ redeploy_web · sh · MUTATES                           waiting for you: run it?',
  '  │ railway redeploy --service "$SERVICE" --yes',
  '',
  '○ redeploy_api · sh · MUTATES',
  '  │ railway redeploy --service api --yes',
  '',
  '',
  '',
  '',
  '────────────────────────────────────────────────────────────────────────────────',
  '◆ Run `redeploy_web`? It changes things (mutates).',
  '  MUTATES — it changes something outside this machine; y runs it',
  '  acts on: railway redeploy --service "web" --yes',
  '· this node changes things: press y to run it',
  'y run it  s skip  a abort  n note  q quit  ? help  Ctrl-C quit  v variables',
].join('\n'),
  120: [
  'Rollback drill                                                                                             elapsed 00:00',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '! 1) Triggers                                                                                      failures allowed 1.2s',
  '✎ 2) Smoke                                                                                              marked done 1.2s',
  '◆ 3) Redeploy                                                                                            waiting for you',
  '○ 4) Optional',
  '○ 5) Slow',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '3) Redeploy                                                                                                      waiting',
  '',
  '◆ redeploy_web · sh · MUTATES                                                                   waiting for you: run it?',
  '  │ railway redeploy --service "$SERVICE" --yes',
  '',
  '○ redeploy_api · sh · MUTATES',
  '  │ railway redeploy --service api --yes',
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
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '◆ Run `redeploy_web`? It changes things (mutates).',
  '  MUTATES — it changes something outside this machine; y runs it',
  '  acts on: railway redeploy --service "web" --yes',
  '· this node changes things: press y to run it',
  'y run it  s skip  a abort  n note  q quit  ? help  Ctrl-C quit  v variables  ↑/↓ focus',
].join('\n'),
};

const aheadAskFrames: Record<80 | 120, string> = {
  80: [
  'Rollback drill                                                     elapsed 00:00',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps 3–4 of 5 ──────────────────────────────────────────────────────────────',
  '↷ 3) Redeploy                                                            skipped',
  '◆ 4) Optional                                                    waiting for you',
  '────────────────────────────────────────────────────────────────────────────────',
  '4) Optional                                                              waiting',
  '',
  '◆ lkg · sh                                              waiting for you: run it?',
  '  │ git log -1',
  '',
  '○ extra · sh',
  '  │ ./extra.sh',
  '',
  '○ Dashboards checked +1 · checklist',
  '  [ ] Dashboards checked',
  '  [ ] Channel told',
  '',
  '',
  '',
  '────────────────────────────────────────────────────────────────────────────────',
  '◆ Run `lkg`?',
  'enter run  g/G run ahead  s skip  a abort  n note  q quit  ? help  Ctrl-C quit',
].join('\n'),
  120: [
  'Rollback drill                                                                                             elapsed 00:00',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '! 1) Triggers                                                                                      failures allowed 1.2s',
  '✎ 2) Smoke                                                                                              marked done 1.2s',
  '↷ 3) Redeploy                                                                                                    skipped',
  '◆ 4) Optional                                                                                            waiting for you',
  '○ 5) Slow',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '4) Optional                                                                                                      waiting',
  '',
  '◆ lkg · sh                                                                                      waiting for you: run it?',
  '  │ git log -1',
  '',
  '○ extra · sh',
  '  │ ./extra.sh',
  '',
  '○ Dashboards checked +1 · checklist',
  '  [ ] Dashboards checked',
  '  [ ] Channel told',
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
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '◆ Run `lkg`?',
  'enter run  g/G run ahead  s skip  a abort  n note  q quit  ? help  Ctrl-C quit  v variables  ↑/↓ focus',
].join('\n'),
};

const aheadRunFrames: Record<80 | 120, string> = {
  80: [
  'Rollback drill                                                     elapsed 00:00',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps 3–4 of 5 ──────────────────────────────────────────────────────────────',
  '↷ 3) Redeploy                                                            skipped',
  '▶ 4) Optional                                                        running 0ms',
  '────────────────────────────────────────────────────────────────────────────────',
  '4) Optional                                                              running',
  '',
  '▶ lkg · sh                                                           running 0ms',
  '  │ git log -1',
  '    no output yet',
  '',
  '○ extra · sh',
  '  │ ./extra.sh',
  '',
  '○ Dashboards checked +1 · checklist',
  '  [ ] Dashboards checked',
  '  [ ] Channel told',
  '',
  '────────────────────────────────────────────────────────────────────────────────',
  '▶ Running read-only nodes without asking, up to the next gate · nodes that',
  '  mutate, confirms, checklists and failures still ask',
  'n note  o output  q quit  ? help  Ctrl-C interrupt  v variables  ↑/↓ focus',
].join('\n'),
  120: [
  'Rollback drill                                                                                             elapsed 00:00',
  'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
  '── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '! 1) Triggers                                                                                      failures allowed 1.2s',
  '✎ 2) Smoke                                                                                              marked done 1.2s',
  '↷ 3) Redeploy                                                                                                    skipped',
  '▶ 4) Optional                                                                                                running 0ms',
  '○ 5) Slow',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '4) Optional                                                                                                      running',
  '',
  '▶ lkg · sh                                                                                                   running 0ms',
  '  │ git log -1',
  '    no output yet',
  '',
  '○ extra · sh',
  '  │ ./extra.sh',
  '',
  '○ Dashboards checked +1 · checklist',
  '  [ ] Dashboards checked',
  '  [ ] Channel told',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
  '▶ Running read-only nodes without asking, up to the next gate · nodes that mutate, confirms, checklists and failures',
  '  still ask',
  'n note  o output  q quit  ? help  Ctrl-C interrupt  v variables  ↑/↓ focus',
].join('\n'),
};

const throughSmoke = played.slice(0, played.findIndex((event) => event.type === 'step-start' && event.stepId === s3));

describe('a gate that mutates', () => {
  for (const [columns, rows] of [[80, 24], [120, 35]] as const) {
    it(`refuses enter with a hint, shows the values it acts on, and runs with y (${columns}×${rows})`, async () => {
      const test = await setup(columns, rows);
      await test.emit(...throughSmoke, {type: 'step-start', stepId: s3}, {type: 'decision-asked', kind: 'confirm', nodeId: 'redeploy_web', stepId: s3, prompt: 'Run `redeploy_web`? It changes things (mutates).'});
      let answered: ConfirmAnswer | undefined;
      void test.store.confirm({
        node: execOf(runbook, 'redeploy_web'), step: stepOf(runbook, s3), prompt: 'Run `redeploy_web`? It changes things (mutates).',
        command: 'railway redeploy --service "$SERVICE" --yes', resolved: 'railway redeploy --service "web" --yes', mutates: true, explicit: false,
      }).then((answer) => void (answered = answer));
      await tick(5);
      expect(test.app.frame()).toBe(gateFrames[columns]);
      await test.app.press(keys.enter);
      await tick(5);
      expect(answered).toBeUndefined();
      expect(test.app.frame()).toBe(gateEnterFrames[columns]);
      await test.app.press('y');
      await tick(5);
      expect(answered).toEqual({decision: 'run'});
    });
  }
});

describe('run-ahead', () => {
  const ask = (store: PlayerStore, nodeId: string, stepId: string) => store.confirm({node: execOf(runbook, nodeId), step: stepOf(runbook, stepId), prompt: `Run \`${nodeId}\`?`, command: nodeId, resolved: nodeId, mutates: false, explicit: false});

  for (const [columns, rows] of [[80, 24], [120, 35]] as const) {
    it(`g runs the read-only nodes up to the next gate, says so while they run, and the gate asks again (${columns}×${rows})`, async () => {
      const test = await setup(columns, rows);
      await test.emit(...played.slice(0, played.findIndex((event) => event.type === 'step-start' && event.stepId === s4)), {type: 'step-start', stepId: s4});
      await test.emit({type: 'decision-asked', kind: 'confirm', nodeId: 'lkg', stepId: s4, prompt: 'Run `lkg`?'});
      const first = ask(test.store, 'lkg', s4);
      await tick(5);
      expect(test.app.frame()).toBe(aheadAskFrames[columns]);
      await test.app.press('g');
      await expect(first).resolves.toEqual({decision: 'run', note: runAheadNotes['to-gate']});
      await test.emit({type: 'decision-taken', kind: 'confirm', nodeId: 'lkg', stepId: s4, decision: 'run', by: 'operator', note: runAheadNotes['to-gate']}, start('lkg', s4, 'git log -1'));
      expect(test.app.frame()).toBe(aheadRunFrames[columns]);
      await test.emit(end('lkg', s4, 'passed'));
      // the next read-only node is not asked about
      await expect(ask(test.store, 'extra', s4)).resolves.toEqual({decision: 'run', note: runAheadNotes['to-gate']});
      // a checklist is a gate: it asks, and run-ahead ends there
      void test.store.checklist({node: checklistOf(runbook, checklistId), step: stepOf(runbook, s4)});
      await tick(5);
      expect(test.store.getSnapshot().ask?.kind).toBe('checklist');
      expect(test.store.getSnapshot().runAhead).toBe('off');
      test.store.getSnapshot().ask?.answer({decision: 'skip'} as never);
      let slow: ConfirmAnswer | undefined;
      void ask(test.store, 'slow', s5).then((answer) => void (slow = answer));
      await tick(5);
      expect(slow).toBeUndefined();
      expect(test.store.getSnapshot().ask?.kind).toBe('confirm');
    });
  }

  it('G runs them for the rest of the run: past a gate, every later read-only node runs without asking, and a node that mutates still asks', async () => {
    const test = await setup(80, 24);
    await test.emit(runStart({runbookPath: 'drill.md', title: 'Rollback drill'}), {type: 'step-start', stepId: s1});
    const first = ask(test.store, 'probe', s1);
    await tick(5);
    await test.app.press('G');
    await expect(first).resolves.toEqual({decision: 'run', note: runAheadNotes.rest});
    void test.store.checklist({node: checklistOf(runbook, checklistId), step: stepOf(runbook, s4)});
    await tick(5);
    test.store.getSnapshot().ask?.answer({decision: 'skip'} as never);
    await expect(ask(test.store, 'slow', s5)).resolves.toEqual({decision: 'run', note: runAheadNotes.rest});
    let redeploy: ConfirmAnswer | undefined;
    void test.store.confirm({node: execOf(runbook, 'redeploy_api'), step: stepOf(runbook, s3), prompt: 'Run `redeploy_api`?', command: 'x', mutates: true, explicit: false}).then((answer) => void (redeploy = answer));
    await tick(5);
    expect(redeploy).toBeUndefined();
    expect(test.store.getSnapshot().runAhead).toBe('rest');
  });
});
