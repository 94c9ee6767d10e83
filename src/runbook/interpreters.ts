// Runme's `interpreter` on a shell block: the command line that runs the
// block instead of the runbook's shell (`bash -x`, `/bin/zsh`, `python3`).
// Its words are split at spaces (no quoting). A shell gets runbook's
// strictness flags (see executors/shell.ts) before the words written after
// it; another program gets its words, then its own flag for code given on
// the command line, then the block.

const shells = new Set(['bash', 'zsh', 'sh', 'dash', 'ksh', 'mksh', 'ash']);
const codeFlags: Readonly<Record<string, string>> = {python: '-c', python3: '-c', node: '-e', ruby: '-e', perl: '-e'};

export interface InterpreterCommand {
  readonly program: string;
  // the words written after the program
  readonly words: readonly string[];
  // a shell, run like a shell block
  readonly shell: boolean;
  // how the program takes code on its command line (`-c`, `-e`)
  readonly codeFlag: string;
}

// The command line `interpreter` names, or undefined when runbook does not
// know how to hand that program a block.
export function interpreterCommand(interpreter: string): InterpreterCommand | undefined {
  const [program, ...words] = interpreter.trim().split(/\s+/);
  if (program === undefined || program === '') return undefined;
  const name = program.split('/').at(-1) ?? program;
  if (shells.has(name)) return {program, words, shell: true, codeFlag: '-c'};
  const codeFlag = codeFlags[name] ?? (/^python3(?:\.\d+)?$/.test(name) ? '-c' : undefined);
  return codeFlag === undefined ? undefined : {program, words, shell: false, codeFlag};
}

export const interpreterExamples = '`bash -x`, `zsh`, `sh`, `python3`, `node`, `ruby` or `perl`';

// Whether a shell node's code is shell code: not when Runme's `interpreter`
// names another program (`python3`), whose code the shell checks must skip.
export function runsShellCode(attributes: {readonly interpreter?: string}): boolean {
  return attributes.interpreter === undefined || interpreterCommand(attributes.interpreter)?.shell !== false;
}
