import {splitPrompts, type PromptedCommand} from '../../../runbook/prompts.js';
import {emptyBlockProblems} from '../body-problems.js';
import type {ShellFacts} from '../../../runbook/model.js';
import type {KindDescriptor} from '../kind.js';

export interface ShellFields {
  // what runs: the block as written, or its commands when it is a transcript
  // of prompts (`$ kubectl get pods` and its output), prompts stripped
  readonly script: string;
  // the prompted commands with the output written under each; absent without prompts
  readonly transcript?: readonly PromptedCommand[];
  // what reading the script with the shell parser found (placeholders, a
  // session it opens), once read by `readShellBlocks` (the CLI reads every runbook it loads)
  readonly shell?: ShellFacts;
}

// What a shell-like block's body runs: its prompted commands, or all of it.
export function shellFields(code: string, lang: string): ShellFields {
  const split = splitPrompts(code, lang);
  return split.prompted ? {script: split.commands, transcript: split.transcript} : {script: code};
}

// `sh`/`bash`/`shell`/`zsh`: a script run by bash (sh, zsh) in strict mode.
export const shellKind: KindDescriptor<'shell', ShellFields> = {
  kind: 'shell',
  languages: ['sh', 'bash', 'shell', 'zsh'],
  label: '`sh`/`bash`/`shell`/`zsh` blocks',
  attributes: ['timeout', 'retries', 'interval', 'confirm', 'mutates', 'if', 'capture', 'secret', 'allow-failure', 'interactive', 'background', 'idempotent', 'run', 'cwd', 'carry'],
  templates: 'passed',
  parseBody: (code, context) => ({fields: shellFields(code, context.lang), problems: emptyBlockProblems(code, context)}),
  result: 'exit-code',
};
