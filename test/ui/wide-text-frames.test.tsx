import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {PlayerApp} from '../../src/ui/components/PlayerApp.js';
import {PlayerStore} from '../../src/ui/player-store.js';
import {renderReady, runStart, tick, type Rendered} from './helpers.js';

// Titles and output with emoji and CJK: every row is measured as Ink
// measures it (string-width), so a right-aligned status is never cut and
// no row is wider than the terminal.

const source = [
  '# Deploy ✅', '',
  '## 1) ✅ Health 🚀 部署 ⚠️ check', '```sh {#health}', 'echo "✅ ok ❌ none ⚠️ 🚀 回滚完成"', '```',
  '## 2) Next', '```sh {#next}', 'true', '```', '',
].join('\n');
const runbook = parseRunbook(source, 'wide.md').runbook;
const [first = ''] = runbook.steps.map((step) => step.id);
const info = {runId: 'run-1', transcriptPath: '.runbook/runs/run-1/transcript.jsonl'};

const mounted: Rendered[] = [];
afterEach(() => {
  for (const rendered of mounted.splice(0)) rendered.instance.unmount();
});

const frames: Record<80 | 120, string> = {
  80: [
    'Deploy ✅ 🚀 回滚                                                  elapsed 00:02',
    'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
    '── Steps ───────────────────────────────────────────────────────────────────────',
    '▶ 1) ✅ Health 🚀 部署 ⚠️ check                                     running 2.1s',
    '○ 2) Next',
    '────────────────────────────────────────────────────────────────────────────────',
    '1) ✅ Health 🚀 部署 ⚠️ check                                            running',
    '',
    '▶ health · sh                                                       running 2.1s',
    '  │ echo "✅ ok ❌ none ⚠️ 🚀 回滚完成"',
    '    ✅ ok ❌ none ⚠️ 🚀 回滚完成',
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
    'n note  o output  q quit  ? help  Ctrl-C interrupt  v variables  ↑/↓ focus',
  ].join('\n'),
  120: [
    'Deploy ✅ 🚀 回滚                                                                                          elapsed 00:02',
    'run run-1 · transcript .runbook/runs/run-1/transcript.jsonl',
    '── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────',
    '▶ 1) ✅ Health 🚀 部署 ⚠️ check                                                                             running 2.1s',
    '○ 2) Next',
    '────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────',
    '1) ✅ Health 🚀 部署 ⚠️ check                                                                                    running',
    '',
    '▶ health · sh                                                                                               running 2.1s',
    '  │ echo "✅ ok ❌ none ⚠️ 🚀 回滚完成"',
    '    ✅ ok ❌ none ⚠️ 🚀 回滚完成',
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
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    'n note  o output  q quit  ? help  Ctrl-C interrupt  v variables  ↑/↓ focus',
  ].join('\n'),
};

describe('emoji and CJK on screen', () => {
  for (const [columns, rows] of [[80, 24], [120, 35]] as const) {
    it(`keep the right-aligned statuses whole (${columns}×${rows})`, async () => {
      let now = 1_000_000;
      const store = new PlayerStore(runbook, {clock: () => now, flushMs: 0});
      const app = await renderReady((onReady) => <PlayerApp store={store} runbook={runbook} info={info} clock={() => now} color={false} onReady={onReady} />, {columns, rows});
      mounted.push(app);
      const events: RunEvent[] = [
        runStart({runbookPath: 'wide.md', title: 'Deploy ✅ 🚀 回滚'}),
        {type: 'step-start', stepId: first},
        {type: 'node-start', nodeId: 'health', stepId: first, attempt: 1, command: 'echo "✅ ok ❌ none ⚠️ 🚀 回滚完成"', mutates: false, interactive: false},
        {type: 'output', nodeId: 'health', stream: 'stdout', text: '✅ ok ❌ none ⚠️ 🚀 回滚完成\n'},
      ];
      for (const event of events) store.onEvent(event);
      now += 2100;
      store.flush();
      await tick(5);
      const frame = app.frame();
      const shown = frame.split('\n');
      for (const row of shown) expect(stringWidth(row)).toBeLessThanOrEqual(columns);
      const stepRow = shown.find((row) => row.startsWith('▶ 1) ✅ Health'));
      expect(stepRow?.endsWith('running 2.1s')).toBe(true);
      expect(stringWidth(stepRow ?? '')).toBe(columns);
      const nodeRow = shown.find((row) => row.startsWith('▶ health · sh'));
      expect(nodeRow?.endsWith('running 2.1s')).toBe(true);
      expect(frame).toBe(frames[columns]);
    });
  }
});

describe('a long command', () => {
  const long = parseRunbook([
    '# Smoke', '## 1) Smoke', '```bash {#smoke_before}',
    'SMOKE_API_BASE_URL="$API_ORIGIN" RELEASE_REQUIRED_API_ORIGIN="$API_ORIGIN" node "$APP_DIR/scripts/smoke_post_deploy.mjs"', '```', '',
  ].join('\n'), 'smoke.md').runbook;

  for (const [columns, rows] of [[80, 24], [120, 35]] as const) {
    it(`wraps at spaces, each continued row marked ↪, never mid-word (${columns}×${rows})`, async () => {
      const store = new PlayerStore(long, {clock: () => 0, flushMs: 0});
      const app = await renderReady((onReady) => <PlayerApp store={store} runbook={long} info={info} clock={() => 0} color={false} onReady={onReady} />, {columns, rows});
      mounted.push(app);
      store.onEvent(runStart({runbookPath: 'smoke.md', title: 'Smoke'}));
      store.onEvent({type: 'step-start', stepId: long.steps[0]?.id ?? ''});
      store.flush();
      await tick(5);
      const command = app.frame().split('\n').filter((row) => row.startsWith('  │ '));
      expect(command).toEqual(columns === 80
        ? ['  │ SMOKE_API_BASE_URL="$API_ORIGIN" RELEASE_REQUIRED_API_ORIGIN="$API_ORIGIN"', '  │ ↪ node "$APP_DIR/scripts/smoke_post_deploy.mjs"']
        : ['  │ SMOKE_API_BASE_URL="$API_ORIGIN" RELEASE_REQUIRED_API_ORIGIN="$API_ORIGIN" node', '  │ ↪ "$APP_DIR/scripts/smoke_post_deploy.mjs"']);
    });
  }
});
