import type {ExecNode} from '../runbook/model.js';
import {kindDescriptor} from '../executors/kinds/index.js';
import {masked, type ResolvedAction} from './events.js';
import type {Redactor} from './redaction.js';

export interface ActionValues {
  // `{{…}}` in an http block: a variable or an earlier node's result
  readonly resolve: (expression: string) => string | undefined;
  readonly variables: ReadonlyMap<string, string>;
  readonly secretNames: ReadonlySet<string>;
  readonly redactor: Redactor;
}

// `$NAME`, `${NAME}` and `${NAME…}` (`${NAME:-x}`, `${#NAME}` aside)
const shellRead = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

// What a node acts on, resolved now, as the engine would run it: its
// kind's target (an http node's method and URL after templates), or a
// shell node's runbook variables with their values. Secrets
// are masked; undefined when there is nothing to say.
export function resolvedAction(node: ExecNode, values: ActionValues): ResolvedAction | undefined {
  const target = kindDescriptor(node.executor).target?.(node, values.resolve);
  if (target !== undefined) return {request: values.redactor.redact(target)};
  if (!('script' in node)) return undefined;
  const uses: {name: string; value: string}[] = [];
  const seen = new Set<string>();
  const names = [...[...node.script.matchAll(shellRead)].map((match) => match[1] ?? ''), ...(node.shell?.placeholders ?? []).map((placeholder) => placeholder.name)];
  for (const name of names) {
    const value = values.variables.get(name);
    if (value === undefined || seen.has(name)) continue;
    seen.add(name);
    uses.push({name, value: values.secretNames.has(name) ? masked : values.redactor.redact(value)});
  }
  return uses.length === 0 ? undefined : {uses};
}
