import type {ExecNode} from './model.js';

// The text a node runs: a shell transcript's commands without its prompts
// and sample output, else the block as written.
export function runText(node: ExecNode): string {
  return 'script' in node ? node.script : node.code;
}
