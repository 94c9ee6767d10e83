import type {ExecNode} from './model.js';

// The text a node runs: a shell transcript's commands without its prompts
// and sample output, else the block as written.
export function runText(node: ExecNode): string {
  return 'script' in node ? node.script : node.code;
}

// The output a transcript shows under its commands, as written: shown
// beside the real output, never run. Empty for a block without prompts.
export function expectedOutput(node: ExecNode): string[] {
  const transcript = 'transcript' in node ? node.transcript ?? [] : [];
  return transcript.filter((entry) => entry.expected !== '').flatMap((entry) => entry.expected.split('\n'));
}
