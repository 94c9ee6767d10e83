import {blockPlace, sourceLinesOf} from './block-place.js';
import {DiagnosticSink, type Diagnostic} from './diagnostics.js';
import {endlessCommand} from './endless-commands.js';
import type {Runbook, Step} from './model.js';
import {mutatingCommand} from './mutating-commands.js';
import {isShellNode, nodeScript, scriptPoint, type ShellNode} from './node-script.js';
import {readScript} from './shell-reading.js';

// `check`'s warnings from reading shell blocks' commands: a command that
// changes things in a block not marked `mutates`, one that never ends in a
// block without a timeout, a block that opens a session, and a placeholder
// no variable can reach. Each at the command in the Markdown.
export async function shellReadingDiagnostics(runbook: Runbook, source: string): Promise<Diagnostic[]> {
  const sink = new DiagnosticSink(runbook.path);
  const sourceLines = sourceLinesOf(source);
  const extra = runbook.frontmatter.mutatingCommands ?? [];
  const visit = async (steps: readonly Step[], above: readonly Step[]): Promise<void> => {
    for (const step of steps) {
      const chain = [...above, step];
      for (const block of step.content) {
        if (block.kind === 'exec' && isShellNode(block)) await checkNode(block, chain);
      }
      await visit(step.steps, chain);
    }
  };
  await visit(runbook.steps, []);
  return sink.sorted();

  async function checkNode(node: ShellNode, chain: readonly Step[]): Promise<void> {
    const reading = await readScript(nodeScript(node), extra.map((command) => command.trim().split(/\s+/)[0] ?? ''));
    const at = (offset: number): {line: number; column: number} => {
      const point = scriptPoint(node, offset);
      return blockPlace(node, sourceLines, point.line, point.column);
    };
    const span = (start: number, end: number): {start: {line: number; column: number}; end: {line: number; column: number}} => ({start: at(start), end: at(end)});
    // what runs here: a session's lines are typed in the session
    const runsUntil = reading.session?.statementEnd ?? Infinity;
    const mutates = node.attributes.mutates ?? [...chain].reverse().find((step) => step.attributes.mutates !== undefined)?.attributes.mutates;
    const timeout = node.attributes.timeout ?? chain.at(-1)?.attributes.timeout ?? runbook.frontmatter.defaults.timeout;
    const interactive = node.attributes.interactive === true || reading.session !== undefined;
    for (const command of reading.commands) {
      if (command.start >= runsUntil) continue;
      const written = `\`${excerpt(nodeScript(node).slice(command.start, command.end))}\``;
      const change = mutates === undefined ? mutatingCommand(command, extra) : undefined;
      if (change !== undefined) {
        sink.warning(`Unexpected ${written} in a block not marked \`mutates\`: \`${change}\` changes things, so \`--yes\` runs it without asking and \`--read-only\` does not skip it; expected \`mutates\` on the block or its step (\`mutates=false\` if it changes nothing)`,
          'mutating-command', span(command.start, command.end));
      }
      const endless = timeout === undefined && !interactive && node.attributes.background !== true ? endlessCommand(command) : undefined;
      if (endless !== undefined) {
        sink.warning(`Unexpected ${written} in a block without a timeout: \`${endless}\` runs until it is stopped, so a headless run never ends; expected \`timeout=…\` on the block or its step (or \`defaults: {timeout: …}\`), or \`background\` or \`interactive\``,
          'endless-command', span(command.start, command.end));
      }
    }
    const session = reading.session;
    if (session !== undefined && node.attributes.interactive !== true) {
      const after = nodeScript(node).slice(session.statementEnd).split('\n').filter((line) => line.trim() !== '').length;
      const lines = after === 0 ? '' : `; the ${after === 1 ? 'line' : `${after} lines`} after it ${after === 1 ? 'is' : 'are'} shown to type in the session, not run here`;
      sink.warning(`Unexpected session in a block not marked \`interactive\`: ${session.why}, so the block runs \`interactive\` (the terminal is handed over) up to it${lines}; expected \`interactive\` on the block to say so`,
        'shell-session', span(session.start, session.end));
    }
    for (const found of reading.unfillable) {
      sink.warning(`Unexpected placeholder \`${found.written}\` in a here-document whose delimiter is quoted: no variable reaches it, so it is passed on as written; expected an unquoted delimiter (\`<<EOF\`) to have it filled in`,
        'placeholder-not-filled', at(found.start));
    }
  }
}

function excerpt(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length <= 60 && !text.includes('\n') ? line : `${line.slice(0, 50)}…`;
}
