import {describe, expect, it} from 'vitest';
import {nodeSettings} from '../../src/engine/node-settings.js';
import {initialRunState} from '../../src/engine/run-state.js';
import type {ExecNode, Runbook, Step} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {allSteps, stepNodes} from '../../src/runbook/walk.js';

const runbook = parseRunbook([
  '## 1) Roll back',
  '<!-- runbook: mutates confirm="Really roll back?" timeout=5s retries=2 allow-failure -->',
  '```sh {#own}',
  'echo own',
  '```',
  '### 1.1) Redeploy',
  '```sh {#redeploy}',
  'echo redeploying',
  '```',
  '#### 1.1.1) Flush',
  '```sh {#flush}',
  'echo flushing',
  '```',
  '### 1.2) Only look',
  '<!-- runbook: mutates=false confirm=false -->',
  '```sh {#look}',
  'echo looking',
  '```',
  '## 2) Elsewhere',
  '```sh {#elsewhere}',
  'echo elsewhere',
  '```',
].join('\n'), 'test.md').runbook;

function settingsOf(book: Runbook, id: string): ReturnType<typeof nodeSettings> {
  for (const step of allSteps(book)) {
    const node = stepNodes(step).find((candidate): candidate is ExecNode => candidate.kind === 'exec' && candidate.id === id);
    if (node !== undefined) return nodeSettings(book, step as Step, node);
  }
  throw new Error(`no node ${id}`);
}

describe('node settings', () => {
  it('gives the nodes of every sub-step the `mutates` and `confirm` of the steps above, the nearest step winning', () => {
    const summary = (id: string) => {
      const settings = settingsOf(runbook, id);
      return {mutates: settings.mutates, confirmPrompt: settings.confirmPrompt, timeoutMs: settings.timeoutMs, retries: settings.retries, allowFailure: settings.allowFailure};
    };
    expect(summary('own')).toEqual({mutates: true, confirmPrompt: 'Really roll back?', timeoutMs: 5000, retries: 2, allowFailure: true});
    // timeout, retries and allow-failure stay with the step that says them
    expect(summary('redeploy')).toEqual({mutates: true, confirmPrompt: 'Really roll back?', timeoutMs: undefined, retries: 0, allowFailure: false});
    expect(summary('flush')).toEqual({mutates: true, confirmPrompt: 'Really roll back?', timeoutMs: undefined, retries: 0, allowFailure: false});
    expect(summary('look')).toEqual({mutates: false, confirmPrompt: undefined, timeoutMs: undefined, retries: 0, allowFailure: false});
    expect(summary('elsewhere')).toEqual({mutates: false, confirmPrompt: undefined, timeoutMs: undefined, retries: 0, allowFailure: false});
  });

  it('shows a sub-step node of a mutating step as mutating before it runs', () => {
    const nodes = initialRunState(runbook).nodes;
    expect(['own', 'redeploy', 'flush', 'look', 'elsewhere'].map((id) => `${id} ${nodes.get(id)?.mutates}`)).toEqual([
      'own true', 'redeploy true', 'flush true', 'look false', 'elsewhere false',
    ]);
  });
});
