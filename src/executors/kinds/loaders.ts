import type {ExecutorKind} from './index.js';
import type {Executor} from '../types.js';

// How each kind's executor loads: on the first node of the kind, so the
// player's first frame (and replay, which runs nothing) never loads execa or
// undici. Apart from the descriptors so that what reads a runbook does not
// reach executor code, not even as a lazy import.
export const executorLoaders: Readonly<Record<ExecutorKind, () => Promise<Executor>>> = {
  shell: async () => (await import('../shell.js')).shellExecutor,
  http: async () => (await import('./http/executor.js')).httpExecutor,
  script: async () => (await import('../script.js')).scriptExecutor,
  // the shell executor runs `script`, which is what a transcript's commands are
  console: async () => (await import('../shell.js')).shellExecutor,
};
