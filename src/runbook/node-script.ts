import type {ExecNode} from './model.js';

// The text of a shell block that runs and that the shell analysis reads
// (placeholders, sessions, mutating and never-ending commands). Today the
// block's code as written; with prompt stripping it becomes the commands
// without their prompts and without the expected output under them.
export function nodeScript(node: Pick<ExecNode, 'code'>): string {
  return node.code.replaceAll('\r\n', '\n');
}

// Where an offset of `nodeScript(node)` is in the block's code: its line
// (0-based) and column (1-based). The same as in the script as long as the
// script is the code; prompt stripping maps it back through the prompts.
export function scriptPoint(node: Pick<ExecNode, 'code'>, offset: number): {readonly line: number; readonly column: number} {
  const before = nodeScript(node).slice(0, offset);
  const line = before.split('\n').length - 1;
  return {line, column: offset - (before.lastIndexOf('\n') + 1) + 1};
}

// What the shell executor runs for a shell node: the script with its
// placeholders turned into environment variables and the lines meant for a
// session it opens left out (src/runbook/shell-reading.ts), or the script.
export function runnableScript(node: Pick<ExecNode, 'code' | 'shell'>): string {
  return node.shell?.script ?? nodeScript(node);
}
