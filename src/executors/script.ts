import type {ExecNode} from '../runbook/model.js';
import {runProcess, type ProcessCommand} from './run-process.js';
import type {Executor} from './types.js';

// `js`/`node` blocks run as an ES module (top-level await, `import`) in the
// node binary running runbook; the code goes on the command line, so nothing
// is written to disk.
export function scriptCommand(node: Pick<ExecNode, 'code'>): ProcessCommand {
  return {file: process.execPath, args: ['--input-type=module', '-e', node.code]};
}

export const scriptExecutor: Executor = {
  kind: 'script',
  execute: (context) => runProcess(scriptCommand(context.node), context),
};
