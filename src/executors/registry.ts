import type {ExecutorKind} from '../runbook/model.js';
import type {Executor} from './types.js';

// Each executor module (and execa or undici behind it) loads on the first
// node of its kind, not at start-up: the player's first frame does not wait
// for libraries a runbook may never use.
const loaders: Readonly<Record<ExecutorKind, () => Promise<Executor>>> = {
  shell: async () => (await import('./shell.js')).shellExecutor,
  http: async () => (await import('./http.js')).httpExecutor,
  script: async () => (await import('./script.js')).scriptExecutor,
};

export function loadExecutor(kind: ExecutorKind): Promise<Executor> {
  return loaders[kind]();
}

// The engine picks a node's executor by `node.executor`.
export function executorFor(kind: ExecutorKind): Executor {
  return {kind, execute: async (context) => (await loadExecutor(kind)).execute(context)};
}
