import {basename} from 'node:path';
import type {ExecNode} from '../runbook/model.js';
import {runnableScript} from '../runbook/node-script.js';
import {runProcess, type ProcessCommand} from './run-process.js';
import type {Executor} from './types.js';

// Strictness, the documented default: bash and zsh run the block as with
// `set -euo pipefail` (a failing command, a failing pipeline stage or an
// unset variable fails the node); any other interpreter (`sh`, `dash`, …)
// gets `-e`. The block is passed with `-c` as written, but for its
// placeholders, each a quoted `${NAME}` (src/runbook/placeholders.ts), and
// the lines meant for a session it opens; the node id is `$0` so error
// messages name the node; variables arrive only through the environment.
// Rc files are not read, so a node runs the same on every laptop.

export const defaultShell = 'bash';

export function interpreterFor(lang: string, shell: string): string {
  switch (lang.toLowerCase()) {
    case 'bash':
      return 'bash';
    case 'zsh':
      return 'zsh';
    default:
      return shell;
  }
}

export function strictFlags(interpreter: string): readonly string[] {
  switch (basename(interpreter)) {
    case 'bash':
      return ['--noprofile', '--norc', '-euo', 'pipefail'];
    case 'zsh':
      return ['-f', '-euo', 'pipefail'];
    default:
      return ['-e'];
  }
}

export function shellCommand(node: Pick<ExecNode, 'lang' | 'code' | 'id' | 'shell'>, shell: string): ProcessCommand {
  const file = interpreterFor(node.lang, shell);
  return {file, args: [...strictFlags(file), '-c', runnableScript(node), node.id]};
}

export const shellExecutor: Executor = {
  kind: 'shell',
  execute: (context) => runProcess(shellCommand(context.node, context.shell), context),
};
