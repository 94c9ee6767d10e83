import {executorLoaders} from './kinds/loaders.js';
import type {ExecutorKind} from '../runbook/model.js';
import type {Executor} from './types.js';

// Each executor module (and execa or undici behind it) loads on the first
// node of its kind, not at start-up: the player's first frame does not wait
// for libraries a runbook may never use.
export function loadExecutor(kind: ExecutorKind): Promise<Executor> {
  return executorLoaders[kind]();
}

// The engine picks a node's executor by `node.executor`.
export function executorFor(kind: ExecutorKind): Executor {
  return {kind, execute: async (context) => (await loadExecutor(kind)).execute(context)};
}
