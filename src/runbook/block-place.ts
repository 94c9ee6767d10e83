import type {ExecNode} from './model.js';

// A line (0-based) and column (1-based) of a fenced block's code mapped to
// the Markdown file: the code lacks the container prefix (`> `, list
// indentation), so each line is found as the end of its source line.
export function blockPlace(node: Pick<ExecNode, 'code' | 'position'>, sourceLines: readonly string[], line: number, column: number): {line: number; column: number} {
  const sourceLine = node.position.start.line + 1 + line;
  const written = sourceLines[sourceLine - 1] ?? '';
  const content = node.code.split(/\r\n|\r|\n/)[line] ?? '';
  const shift = written.endsWith(content) ? written.length - content.length : node.position.start.column - 1;
  return {line: sourceLine, column: shift + column};
}

// The lines of a runbook's source as the parser counts them.
export function sourceLinesOf(source: string): string[] {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  return text.split(/\r\n|\r|\n/);
}
