import {basename} from 'node:path';
import {interpreterCommand} from '../runbook/interpreters.js';
import type {ExecNode} from '../runbook/model.js';
import {runProcess, type ProcessCommand} from './run-process.js';
import type {Executor} from './types.js';

// Strictness, the documented default: bash and zsh run the block as with
// `set -euo pipefail` (a failing command, a failing pipeline stage or an
// unset variable fails the node); any other interpreter (`sh`, `dash`, …)
// gets `-e`. The block is passed verbatim with `-c`, with the node id as
// `$0` so error messages name the node; variables arrive only through the
// environment. Rc files are not read, so a node runs the same on every laptop.

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

export function shellCommand(node: Pick<ExecNode, 'lang' | 'code' | 'id'> & {readonly attributes?: ExecNode['attributes']}, shell: string): ProcessCommand {
  // Runme's `interpreter` (runbook/interpreters.ts); the parser accepts only known ones
  const interpreter = node.attributes?.interpreter === undefined ? undefined : interpreterCommand(node.attributes.interpreter);
  if (interpreter !== undefined) {
    const {program, words, codeFlag} = interpreter;
    return interpreter.shell
      ? {file: program, args: [...strictFlags(program), ...words, '-c', node.code, node.id]}
      : {file: program, args: [...words, codeFlag, node.code]};
  }
  const file = interpreterFor(node.lang, shell);
  return {file, args: [...strictFlags(file), '-c', node.code, node.id]};
}

export const shellExecutor: Executor = {
  kind: 'shell',
  execute: (context) => runProcess(shellCommand(context.node, context.shell), context),
};
