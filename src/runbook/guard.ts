import {DiagnosticSink, type Diagnostic} from './diagnostics.js';
import {emptyFrontmatter} from './frontmatter.js';
import {sourceLimitProblem, type SourceLimits} from './limits.js';
import type {Runbook} from './model.js';

interface Parsed {
  readonly runbook: Runbook;
  readonly diagnostics: Diagnostic[];
}

// Runs `parse` only on a text within the limits, and turns a stack overflow
// (nesting that the pre-check does not see, such as thousands of nested
// emphasis markers) into a diagnostic: no internal error reaches the user.
export function parseWithinLimits<Options extends SourceLimits>(
  source: string, path: string, options: Options, parse: (source: string, path: string, options: Options) => Parsed,
): Parsed {
  const problem = sourceLimitProblem(source, options);
  if (problem !== undefined) return refused(source, path, problem.message, problem.ruleId, problem.offset);
  try {
    return parse(source, path, options);
  } catch (error) {
    if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) throw error;
    return refused(source, path, 'Unexpected nesting too deep to read (lists, quotes, emphasis or links inside each other), expected a flatter document; the runbook is not read', 'too-deep', 0);
  }
}

function refused(source: string, path: string, message: string, ruleId: string, offset: number): Parsed {
  const sink = new DiagnosticSink(path);
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index += 1) {
    const char = source[index];
    if (char === '\n' || (char === '\r' && source[index + 1] !== '\n')) {
      line += 1;
      lineStart = index + 1;
    }
  }
  sink.error(message, ruleId, {line, column: offset - lineStart + 1});
  return {runbook: {path, title: null, frontmatter: emptyFrontmatter, introduction: [], steps: []}, diagnostics: sink.sorted()};
}
