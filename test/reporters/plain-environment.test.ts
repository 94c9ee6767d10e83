import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import {createPlainReporter} from '../../src/reporters/plain.js';
import {parseRunbook} from '../../src/runbook/parse.js';

const runbook = parseRunbook([
  '---',
  'env: {API_ORIGIN: "http://127.0.0.1:4010"}',
  '---',
  '# Env',
  '## Check',
  '```http {#health retries=6 interval=4s}',
  'GET {{API_ORIGIN}}/health',
  '```',
].join('\n'), 'env.md').runbook;

function printed(events: readonly RunEvent[]): string {
  let text = '';
  const reporter = createPlainReporter(runbook, {write: (chunk) => void (text += chunk), color: (_style, value) => value});
  for (const event of events) reporter.onEvent(event);
  return text;
}

describe('the plain reporter', () => {
  it('prints an http node’s resolved request line under the command, and one line per wait between retries', () => {
    expect(printed([
      {type: 'node-start', nodeId: 'health', stepId: 'check', attempt: 1, command: 'GET {{API_ORIGIN}}/health\n', mutates: false, interactive: false, resolved: {request: 'GET http://127.0.0.1:4010/health'}},
      {type: 'retry-wait', nodeId: 'health', stepId: 'check', attempt: 1, of: 6, ms: 4000, until: '2026-12-02T14:00:04.000Z'},
    ])).toBe([
      '-> health (http)',
      '   $ GET {{API_ORIGIN}}/health',
      '   → GET http://127.0.0.1:4010/health',
      '   retry 1 of 6 in 4s',
      '',
    ].join('\n'));
  });
});
