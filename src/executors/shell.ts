import {basename} from 'node:path';
import {interpreterCommand} from '../runbook/interpreters.js';
import type {ExecNode} from '../runbook/model.js';
import {runnableScript} from '../runbook/node-script.js';
import {envChanges, envReportFor, readEnvReport, reportingCommand} from './carried-env.js';
import {runProcess, type ProcessCommand} from './run-process.js';
import type {ExecutionContext, ExecutionResult, Executor} from './types.js';

// Strictness, the documented default: bash and zsh run the block as with
// `set -euo pipefail` (a failing command, a failing pipeline stage or an
// unset variable fails the node); any other interpreter (`sh`, `dash`, …)
// gets `-e`. The block is passed with `-c` as written, but for its
// placeholders, each a quoted `${NAME}` (src/runbook/placeholders.ts), and
// the lines meant for a session it opens, after the trap that reports its
// exports when it carries them (see carried-env.ts); the node id is `$0` so
// error messages name the node; variables arrive only through the
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

// `script` is the block as written, or the commands of a prompted transcript;
// what runs is that with its placeholders made environment variables.
export function shellCommand(node: Pick<ExecNode<'shell' | 'console'>, 'lang' | 'script' | 'id' | 'shell'> & {readonly attributes?: ExecNode['attributes']}, shell: string): ProcessCommand {
  // Runme's `interpreter` (runbook/interpreters.ts); the parser accepts only known ones
  const interpreter = node.attributes?.interpreter === undefined ? undefined : interpreterCommand(node.attributes.interpreter);
  if (interpreter !== undefined) {
    const {program, words, codeFlag} = interpreter;
    return interpreter.shell
      ? {file: program, args: [...strictFlags(program), ...words, '-c', runnableScript(node), node.id]}
      : {file: program, args: [...words, codeFlag, node.script]};
  }
  const file = interpreterFor(node.lang, shell);
  return {file, args: [...strictFlags(file), '-c', runnableScript(node), node.id]};
}

export const shellExecutor: Executor = {
  kind: 'shell',
  execute: (context) => {
    const node = context.node;
    if (node.executor !== 'shell' && node.executor !== 'console') throw new Error(`node \`${node.id}\` is not a shell node`);
    return context.carry === true ? runCarrying(node, context) : runProcess(shellCommand(node, context.shell), context);
  },
};

// Runs the block and reads what it exported (see carried-env.ts).
async function runCarrying(node: ExecNode<'shell' | 'console'>, context: ExecutionContext): Promise<ExecutionResult> {
  const command = shellCommand(node, context.shell);
  const report = envReportFor(command.file);
  const {reported, ...result} = await runProcess(reportingCommand(command, report), context);
  const after = reported === undefined ? undefined : readEnvReport(reported, report);
  return {...result, ...(after === undefined ? {exportsUnknown: true} : {exports: envChanges(context.env, after)})};
}
