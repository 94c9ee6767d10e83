import {shellFactsOf} from '../runbook/node-script.js';
import type {ExecNode, InputSpec, Placeholder, Runbook} from '../runbook/model.js';
import {execNodes} from '../runbook/walk.js';
import {looksSecretName} from './secret-names.js';

// The inputs a runbook's placeholders ask for that its frontmatter does not
// declare, one per name in the order the blocks first use them: required,
// without a default, secret when the name looks secret (`<password>`).
// Asked before the first block that needs them; headless, given with --set.
export function placeholderInputs(runbook: Runbook): InputSpec[] {
  const {env, inputs} = runbook.frontmatter;
  const found = new Map<string, InputSpec>();
  for (const node of execNodes(runbook)) {
    for (const placeholder of shellFactsOf(node)?.placeholders ?? []) {
      if (placeholder.name in env || placeholder.name in inputs || found.has(placeholder.name)) continue;
      found.set(placeholder.name, {
        name: placeholder.name,
        description: `${placeholder.written} in \`${node.id}\` (line ${placeholder.position.line})`,
        ...(placeholder.default === undefined ? {} : {default: placeholder.default}),
        secret: looksSecretName(placeholder.name),
        required: true,
        position: {start: {...placeholder.position, offset: 0}, end: {...placeholder.position, offset: 0}},
      });
    }
  }
  return [...found.values()];
}

// Where each placeholder input is first written, for messages: `<node-name>`
// at `runbooks/x.md:12:17`.
export function firstPlaceholders(runbook: Runbook): Map<string, {readonly placeholder: Placeholder; readonly node: ExecNode}> {
  const found = new Map<string, {placeholder: Placeholder; node: ExecNode}>();
  for (const node of execNodes(runbook)) {
    for (const placeholder of shellFactsOf(node)?.placeholders ?? []) if (!found.has(placeholder.name)) found.set(placeholder.name, {placeholder, node});
  }
  return found;
}

// The names `--set` accepts for placeholders besides the input's own
// (`NODE_NAME`): the placeholder as written between its brackets
// (`node-name`, `Node-name`), each mapped to the input's name.
export function placeholderAliases(runbook: Runbook): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const node of execNodes(runbook)) {
    for (const placeholder of shellFactsOf(node)?.placeholders ?? []) {
      if (placeholder.kind === 'angle') aliases.set(placeholder.written.slice(1, -1), placeholder.name);
    }
  }
  return aliases;
}
