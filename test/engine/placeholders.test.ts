import {describe, expect, it} from 'vitest';
import {autoOperator} from '../../src/engine/auto-operator.js';
import type {RunEvent} from '../../src/engine/events.js';
import type {InputRequest, Operator} from '../../src/engine/operator.js';
import {Redactor} from '../../src/engine/redaction.js';
import {startRun} from '../../src/engine/run.js';
import {resolveVariables} from '../../src/engine/variables.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {readShellBlocks} from '../../src/runbook/shell-reading.js';
import {outline} from './helpers.js';

// Plays as the player does: inputs without a value are asked, not defaulted.
async function playAsking(markdown: string, answer: (request: InputRequest) => string): Promise<{events: RunEvent[]; asked: string[]}> {
  const {runbook} = parseRunbook(markdown, 'test.md');
  await readShellBlocks(runbook, markdown);
  const resolution = resolveVariables(runbook, {set: {}, envFile: {}, environment: {}});
  const asked: string[] = [];
  const operator: Operator = {...autoOperator, input: (request) => {
    asked.push(request.input.name);
    return Promise.resolve({decision: 'value', value: answer(request)});
  }};
  const events: RunEvent[] = [];
  const handle = startRun({
    runbook, runId: 'run-test', sha256: 'sha', transcriptPath: '/dev/null', operator,
    sinks: [{onEvent: (event) => events.push(event)}],
    variables: resolution.resolved, missingInputs: resolution.missing, extraEnv: {},
    processEnv: {PATH: process.env['PATH']}, redactor: new Redactor(), cwd: process.cwd(), readOnly: false,
  });
  await handle.done;
  return {events, asked};
}

describe('placeholders in a run that asks', () => {
  it('asks for a placeholder right before the first node that needs it, once, and later nodes reuse the value', async () => {
    const markdown = '---\ninputs:\n  TEAM: {description: Team}\n---\n# R\n## First\n```sh\necho first\n```\n## Second\n```sh\necho "on <node-name>"\n```\n## Third\n```bash\necho "again $NODE_NAME" <node-name>\n```\n';
    const {events, asked} = await playAsking(markdown, (request) => (request.input.name === 'TEAM' ? 'sre' : 'worker 1'));
    expect(asked).toEqual(['TEAM', 'NODE_NAME']);
    expect(outline(events).filter((line) => /^(node-end|input|decision-asked input|output)/.test(line))).toEqual([
      'decision-asked input',
      'input TEAM=sre (prompt)',
      'output first-1 stdout "first\\n"',
      'node-end first-1#1 passed',
      'decision-asked input',
      'input NODE_NAME=worker 1 (prompt)',
      'output second-1 stdout "on worker 1\\n"',
      'node-end second-1#1 passed',
      'output third-1 stdout "again worker 1 worker 1\\n"',
      'node-end third-1#1 passed',
    ]);
  });
});
