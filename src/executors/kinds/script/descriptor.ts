import {emptyBlockProblems} from '../body-problems.js';
import type {KindDescriptor} from '../kind.js';

// `js`/`node`: an ES module run by the node binary running runbook.
export const scriptKind: KindDescriptor<'script', object> = {
  kind: 'script',
  languages: ['js', 'node'],
  label: '`js`/`node` blocks',
  attributes: ['timeout', 'retries', 'interval', 'confirm', 'mutates', 'if', 'capture', 'secret', 'allow-failure', 'interactive', 'background', 'idempotent', 'run', 'cwd'],
  templates: 'ignored',
  parseBody: (code, context) => ({fields: {}, problems: emptyBlockProblems(code, context)}),
  result: 'exit-code',
};
