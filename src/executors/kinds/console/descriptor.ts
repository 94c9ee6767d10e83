import {shellFields, type ShellFields} from '../shell/descriptor.js';
import type {KindDescriptor} from '../kind.js';

// `console`/`shell-session`/`terminal`: a transcript of a terminal session,
// `$ command` lines and the output under them. Display-only unless the
// runbook says `console: run`; then a transcript with prompts runs its
// commands (prompts stripped, output never run) as one shell script. A
// block without prompts is output only and stays display-only.
export const consoleKind: KindDescriptor<'console', ShellFields> = {
  kind: 'console',
  languages: ['console', 'shell-session', 'terminal'],
  label: '`console`/`shell-session`/`terminal` blocks',
  attributes: ['timeout', 'retries', 'interval', 'confirm', 'mutates', 'if', 'capture', 'secret', 'allow-failure', 'interactive', 'background', 'idempotent', 'run', 'cwd', 'carry'],
  frontmatter: {key: 'console', values: ['show', 'run'], description: '`show` (console blocks are display-only) or `run` (their prompted commands run)'},
  templates: 'passed',
  parseBody: (code, context) => {
    const fields = shellFields(code, context.lang);
    const runs = context.frontmatter.switches?.['console'] === 'run' && fields.transcript !== undefined;
    return runs ? {fields, problems: []} : {display: true, problems: []};
  },
  result: 'exit-code',
};
