import {describe, expect, it} from 'vitest';
import {httpExecutor} from '../../src/executors/http.js';
import {executorFor, executors} from '../../src/executors/registry.js';
import {scriptExecutor} from '../../src/executors/script.js';
import {shellExecutor} from '../../src/executors/shell.js';

describe('executor registry', () => {
  it('maps every executor kind to its executor', () => {
    expect(executorFor('shell')).toBe(shellExecutor);
    expect(executorFor('http')).toBe(httpExecutor);
    expect(executorFor('script')).toBe(scriptExecutor);
    expect(Object.entries(executors).map(([kind, executor]) => [kind, executor.kind])).toEqual([
      ['shell', 'shell'], ['http', 'http'], ['script', 'script'],
    ]);
  });
});
