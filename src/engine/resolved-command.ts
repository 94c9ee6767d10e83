import {shellFactsOf} from '../runbook/node-script.js';
import {dollarVariablePattern, findTemplateReferences, renderTemplate} from '../runbook/templates.js';
import {kindDescriptor} from '../executors/kinds/index.js';
import type {ExecNode} from '../runbook/model.js';
import {runText} from '../runbook/node-text.js';
import {masked} from './events.js';
import type {NodeResultView} from './results.js';
import {resolveTemplateExpression} from './template-values.js';

export interface ResolveContext {
  readonly variables: ReadonlyMap<string, string>;
  readonly results: ReadonlyMap<string, NodeResultView>;
  // variables whose values are secret: shown masked
  readonly secrets: ReadonlySet<string>;
  // masks any secret value left in the text
  readonly redact: (text: string) => string;
}

// A node's command with the values it acts on filled in, for the operator
// to read at its gate: `{{…}}` in an http request, `$NAME`/`${NAME}` of a
// known variable in a script. Secret variables show masked, any other
// secret value is masked by `redact`; what cannot be resolved stays as
// written. The command that runs is never built from this text (shell
// blocks get variables as environment variables).
export function resolvedCommand(node: ExecNode, context: ResolveContext): string {
  const {variables, results, secrets, redact} = context;
  const text = kindDescriptor(node.executor).templates === 'filled'
    ? renderTemplate(node.code, findTemplateReferences(node.code), (reference) => {
      if (secrets.has(reference.root)) return masked;
      return resolveTemplateExpression(reference.expression, variables, results) ?? node.code.slice(reference.index, reference.index + reference.length);
    })
    : filledPlaceholders(node, runText(node).replace(dollarVariablePattern, (match, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const value = variables.get(name);
      return value === undefined ? match : secrets.has(name) ? masked : value;
    }), context);
  return redact(text);
}

// `<node-name>` and a fill-in's `'<value …>'` with the values they were given.
function filledPlaceholders(node: ExecNode, text: string, {variables, secrets}: ResolveContext): string {
  let filled = text;
  for (const placeholder of shellFactsOf(node)?.placeholders ?? []) {
    const value = variables.get(placeholder.name);
    if (placeholder.kind === 'variable' || value === undefined) continue;
    filled = filled.split(placeholder.written).join(secrets.has(placeholder.name) ? masked : value);
  }
  return filled;
}
