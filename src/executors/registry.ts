import type {ExecutorKind} from '../runbook/model.js';
import {httpExecutor} from './http.js';
import {scriptExecutor} from './script.js';
import {shellExecutor} from './shell.js';
import type {Executor} from './types.js';

export const executors: Readonly<Record<ExecutorKind, Executor>> = {
  shell: shellExecutor,
  http: httpExecutor,
  script: scriptExecutor,
};

// The engine picks a node's executor by `node.executor`.
export function executorFor(kind: ExecutorKind): Executor {
  return executors[kind];
}
