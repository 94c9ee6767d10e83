import {afterEach, describe, expect, it} from 'vitest';
import type {NodeEndEvent, NodeOutcome, RunEvent} from '../../../src/engine/events.js';
import {PlayerApp} from '../../../src/ui/components/PlayerApp.js';
import {PlayerStore} from '../../../src/ui/player-store.js';
import {checklistOf, execOf, keys, loadFixture, renderReady, runStart, stepOf, tick, type Rendered} from '../helpers.js';

// What the player keeps on screen once a node has run: the end of its
// output, a focus cursor to go back to it, a step that scrolls, the
// introduction first, checklists by their first item, the notes.

const fixture = 'test/ui/fixtures/evidence.md';
const info = {runId: 'run-1', transcriptPath: '.runbook/runs/run-1/transcript.jsonl'};
const sizes = [{columns: 80, rows: 24}, {columns: 120, rows: 35}] as const;

const mounted: Rendered[] = [];
afterEach(() => {
  for (const rendered of mounted.splice(0)) rendered.instance.unmount();
});

async function setup(size: {columns: number; rows: number}) {
  const runbook = loadFixture(fixture);
  let now = 1_000_000;
  const clock = (): number => now;
  const store = new PlayerStore(runbook, {clock, flushMs: 0});
  store.attach({note: () => undefined, interruptNode: () => undefined, quit: () => undefined});
  const app = await renderReady((onReady) => <PlayerApp store={store} runbook={runbook} info={info} clock={clock} color={false} onReady={onReady} />, size);
  mounted.push(app);
  const emit = async (...events: RunEvent[]): Promise<void> => {
    for (const event of events) store.onEvent(event);
    await tick(5);
  };
  const confirm = async (nodeId: string, stepId: string): Promise<void> => {
    await emit({type: 'decision-asked', kind: 'confirm', nodeId, stepId, prompt: `Run \`${nodeId}\`?`});
    void store.confirm({node: execOf(runbook, nodeId), step: stepOf(runbook, stepId), prompt: `Run \`${nodeId}\`?`, command: execOf(runbook, nodeId).code, mutates: false, explicit: false});
    await tick(5);
  };
  return {runbook, store, app, emit, confirm, advance: (ms: number) => void (now += ms)};
}

function nodeEnd(nodeId: string, stepId: string, outcome: NodeOutcome, extra: Partial<NodeEndEvent> = {}): NodeEndEvent {
  return {type: 'node-end', nodeId, stepId, outcome, attempt: 1, exitCode: outcome === 'passed' ? 0 : 1, signal: null, durationMs: 840, captures: {}, outputCaptured: true, ...extra};
}

const history = [
  'ID                                   | STATUS   | CREATED',
  ...['5b1f', '7c2e', '9d3a', 'a4e8', 'c6f0', 'e8b1'].map((id, index) => `${id}0000-0000-4000-8000-00000000000${index} | ${index === 0 ? 'SUCCESS' : 'REMOVED'}  | 2026-07-1${index}`),
].join('\n');

async function historyRan(test: Awaited<ReturnType<typeof setup>>): Promise<void> {
  await test.emit(runStart({runbookPath: fixture, title: 'Evidence check'}), {type: 'step-start', stepId: 'gather'});
  await test.emit({type: 'node-start', nodeId: 'history', stepId: 'gather', attempt: 1, command: 'deploy list --limit 6', mutates: false, interactive: false});
  await test.emit({type: 'output', nodeId: 'history', stream: 'stdout', text: `${history}\n`}, nodeEnd('history', 'gather', 'passed'));
  await test.confirm('verify', 'gather');
}

describe.each(sizes)('at $columns×$rows', (size) => {
  it('a finished node keeps the end of its output under its result while the next is asked', async () => {
    const test = await setup(size);
    await historyRan(test);
    expect(test.app.frame()).toMatchSnapshot();
    expect(test.app.frame()).toContain('e8b10000-0000-4000-8000-000000000005');
  });

  it('the focus cursor goes back to the earlier node and o opens its output; esc and q come back', async () => {
    const test = await setup(size);
    await historyRan(test);
    await test.app.press(keys.up);
    expect(test.app.frame()).toMatchSnapshot();
    await test.app.press('o');
    expect(test.app.frame()).toMatchSnapshot();
    expect(test.app.frame()).toContain('Output of history');
    await test.app.press('q');
    await test.app.press(keys.escape);
    expect(test.app.frame()).not.toContain('› ');
  });

  it('the introduction is the first thing on screen', async () => {
    const test = await setup(size);
    await test.emit(runStart({runbookPath: fixture, title: 'Evidence check'}), {type: 'step-start', stepId: 'gather'});
    await test.confirm('history', 'gather');
    expect(test.app.frame()).toMatchSnapshot();
    expect(test.app.frame()).toContain('Use this playbook when the queue backs up');
  });

  it('a long step scrolls with PgUp/PgDn, its title and the asked node header in view', async () => {
    const test = await setup(size);
    await test.emit(runStart({runbookPath: fixture, title: 'Evidence check'}), {type: 'step-start', stepId: 'read-the-long-list'});
    await test.confirm('after', 'read-the-long-list');
    const before = test.app.frame();
    await test.app.press(keys.pageUp);
    expect(test.app.frame()).toMatchSnapshot();
    expect(test.app.frame()).not.toBe(before);
    expect(test.app.frame()).toContain('2) Read the long list');
    expect(test.app.frame()).toContain('◆ after · sh');
    await test.app.press(keys.pageDown, keys.pageDown, keys.pageDown);
    expect(test.app.frame()).toBe(before);
  });

  it('PgUp/PgDn scroll the step while a note is typed too, and the note keeps what was typed', async () => {
    const test = await setup(size);
    await test.emit(runStart({runbookPath: fixture, title: 'Evidence check'}), {type: 'step-start', stepId: 'read-the-long-list'});
    await test.confirm('after', 'read-the-long-list');
    await test.app.press('n', 'item 3 is ');
    const before = test.app.frame();
    await test.app.press(...Array.from({length: 8}, () => keys.pageUp));
    const scrolled = test.app.frame();
    expect(scrolled).not.toBe(before);
    expect(scrolled).toContain('• item one');
    expect(scrolled).toContain('> item 3 is');
  });

  it('a checklist without an id is titled by its first item; [ and ] move the focus there', async () => {
    const test = await setup(size);
    await historyRan(test);
    await test.app.press(keys.enter);
    await test.emit(nodeEnd('verify', 'gather', 'allowed-failure', {reason: 'exit code 1'}));
    await test.emit({type: 'decision-asked', kind: 'checklist', nodeId: 'gather-3', stepId: 'gather', prompt: ''});
    void test.store.checklist({node: checklistOf(test.runbook, 'gather-3'), step: stepOf(test.runbook, 'gather')});
    await tick(5);
    expect(test.app.frame()).toMatchSnapshot();
    expect(test.app.frame()).not.toContain('gather-3');
    await test.app.press('[');
    expect(test.app.frame()).toContain('› ! verify');
  });

  it('a finished step shows its nodes again when the focus moves into it; esc goes back', async () => {
    const test = await setup(size);
    await historyRan(test);
    await test.app.press(keys.enter);
    await test.emit(nodeEnd('verify', 'gather', 'passed'));
    await test.emit({type: 'decision-taken', kind: 'checklist', nodeId: 'gather-3', stepId: 'gather', decision: 'done', by: 'operator', items: [
      {index: 0, text: 'The IDs above are recorded in the incident channel.', state: 'ticked'},
      {index: 1, text: 'The owner is paged.', state: 'ticked'},
    ]}, nodeEnd('gather-3', 'gather', 'passed', {exitCode: null, outputCaptured: false}), {type: 'step-end', stepId: 'gather', status: 'done', durationMs: 4200});
    await test.emit({type: 'step-start', stepId: 'read-the-long-list'});
    await test.confirm('after', 'read-the-long-list');
    await test.app.press(keys.up, keys.up, keys.up);
    expect(test.app.frame()).toMatchSnapshot();
    expect(test.app.frame()).toContain('› ✓ history · bash');
    await test.app.press(keys.escape);
    expect(test.app.frame()).toContain('◆ after · sh');
    expect(test.app.frame()).not.toContain('shown again');
  });

  it('notes are listed in the step they were made in, with their time, and N lists them all', async () => {
    const test = await setup(size);
    await historyRan(test);
    test.advance(72_000);
    await test.emit({type: 'note', text: 'the SUCCESS one is the last good deploy', by: 'operator', nodeId: 'history'});
    await test.emit({type: 'note', text: 'paged the owner', by: 'operator'});
    expect(test.app.frame()).toMatchSnapshot();
    await test.app.press('N');
    expect(test.app.frame()).toMatchSnapshot();
  });
});

describe('inline output by outcome', () => {
  it('a pass keeps 3 lines, an allowed failure 8', async () => {
    const test = await setup({columns: 120, rows: 60});
    await test.emit(runStart({runbookPath: fixture, title: 'Evidence check'}), {type: 'step-start', stepId: 'gather'});
    const lines = Array.from({length: 12}, (_, index) => `line ${index + 1}`).join('\n');
    for (const [nodeId, outcome] of [['history', 'passed'], ['verify', 'allowed-failure']] as const) {
      await test.emit({type: 'node-start', nodeId, stepId: 'gather', attempt: 1, command: 'x', mutates: false, interactive: false});
      await test.emit({type: 'output', nodeId, stream: 'stdout', text: `${lines}\n`}, nodeEnd(nodeId, 'gather', outcome));
    }
    await test.emit({type: 'decision-asked', kind: 'checklist', nodeId: 'gather-3', stepId: 'gather', prompt: ''});
    void test.store.checklist({node: checklistOf(test.runbook, 'gather-3'), step: stepOf(test.runbook, 'gather')});
    await tick(5);
    const rows = test.app.frame().split('\n');
    const shown = (nodeId: string): string[] => {
      const start = rows.findIndex((row) => row.startsWith(`✓ ${nodeId} `) || row.startsWith(`! ${nodeId} `));
      const end = rows.findIndex((row, index) => index > start && row === '');
      return rows.slice(start + 1, end).filter((row) => row.startsWith('    line'));
    };
    expect(shown('history')).toEqual(['    line 10', '    line 11', '    line 12']);
    expect(shown('verify')).toEqual(['    line 5', '    line 6', '    line 7', '    line 8', '    line 9', '    line 10', '    line 11', '    line 12']);
  });
});
