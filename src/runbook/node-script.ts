import type {ExecNode, ShellFacts} from './model.js';
import {splitPrompts} from './prompts.js';

export type ShellNode = ExecNode<'shell' | 'console'>;

// The text of a shell block that runs and that the shell analysis reads
// (placeholders, sessions, mutating and never-ending commands): a prompted
// transcript's commands without their prompts and without the output under
// them, else the block as written.
export function nodeScript(node: Pick<ShellNode, 'script'>): string {
  return node.script.replaceAll('\r\n', '\n');
}

// Where an offset of `nodeScript(node)` is in the block's code: its line
// (0-based) and column (1-based), mapped back through the prompts it had.
export function scriptPoint(node: Pick<ShellNode, 'script' | 'code' | 'lang' | 'transcript'>, offset: number): {readonly line: number; readonly column: number} {
  const before = nodeScript(node).slice(0, offset);
  const line = before.split('\n').length - 1;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  if (node.transcript === undefined) return {line, column};
  const place = splitPrompts(node.code, node.lang).lines[line];
  return place === undefined ? {line, column} : {line: place.line, column: place.column + column};
}

// What the shell executor runs for a shell node: the script with its
// placeholders turned into environment variables and the lines meant for a
// session it opens left out (src/runbook/shell-reading.ts), or the script.
export function runnableScript(node: Pick<ShellNode, 'script' | 'shell'>): string {
  return node.shell?.script ?? nodeScript(node);
}

export function isShellNode(node: ExecNode): node is ShellNode {
  return node.executor === 'shell' || node.executor === 'console';
}

// What the shell parser found in a node's script; undefined for other kinds
// and before `readShellBlocks` read it.
export function shellFactsOf(node: ExecNode): ShellFacts | undefined {
  return isShellNode(node) ? node.shell : undefined;
}
