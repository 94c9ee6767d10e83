import type {BodyContext, BodyProblem} from './kind.js';

// `empty-block`: a block of a kind that runs a script, with nothing in it.
// An unclosed fence is reported on its own, so its block is not empty too.
export function emptyBlockProblems(code: string, context: BodyContext): BodyProblem[] {
  if (code.trim() !== '' || !context.fenceClosed) return [];
  return [{severity: 'warning', ruleId: 'empty-block', line: 0, column: 1,
    message: `Unexpected empty \`${context.lang}\` block, expected a command to run (or \`run=false\` to only show it)`}];
}
