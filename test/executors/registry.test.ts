import {describe, expect, it} from 'vitest';
import {httpExecutor} from '../../src/executors/kinds/http/executor.js';
import {executorFor, loadExecutor} from '../../src/executors/registry.js';
import {scriptExecutor} from '../../src/executors/script.js';
import {shellExecutor} from '../../src/executors/shell.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {execNodes} from '../../src/runbook/walk.js';

describe('executor registry', () => {
  it('loads each executor kind on demand', async () => {
    expect(await loadExecutor('shell')).toBe(shellExecutor);
    expect(await loadExecutor('http')).toBe(httpExecutor);
    expect(await loadExecutor('script')).toBe(scriptExecutor);
    expect(['shell', 'http', 'script'].map((kind) => executorFor(kind as 'shell').kind)).toEqual(['shell', 'http', 'script']);
  });

  it('runs a node through the executor it loads', async () => {
    const [node] = execNodes(parseRunbook('## S\n```sh\nprintf "%s" "$X"\n```\n', 'r.md').runbook);
    const chunks: string[] = [];
    const result = await executorFor('shell').execute({
      node: node!, env: {PATH: process.env['PATH'] ?? '', X: 'loaded'}, resolve: () => undefined, cwd: process.cwd(), shell: 'bash',
      signal: new AbortController().signal, onOutput: (chunk) => chunks.push(chunk.text),
    });
    expect(result).toMatchObject({status: 'passed', exitCode: 0, stdout: 'loaded'});
    expect(chunks.join('')).toBe('loaded');
  });
});
