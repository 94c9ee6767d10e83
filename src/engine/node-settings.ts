import {shellFactsOf} from '../runbook/node-script.js';
import type {ExecNode, NodeAttributes, Runbook, Step} from '../runbook/model.js';

// The settings a node runs with: its own attributes over its step's over the
// runbook's `defaults`. `mutates` asks for confirmation unless `confirm=false`.
// `mutates` and `confirm` (this part is dangerous) also come from every step
// above the node's own, the nearest one that sets them winning, as `if=` and
// `run=false` reach sub-steps (see docs/dialect.md, "What reaches sub-steps").
export interface NodeSettings {
  readonly timeoutMs?: number;
  readonly retries: number;
  readonly intervalMs: number;
  readonly confirmPrompt?: string;
  readonly mutates: boolean;
  readonly allowFailure: boolean;
  readonly idempotent: boolean;
  readonly interactive: boolean;
  readonly cwd?: string;
}

export const defaultIntervalMs = 2000;

export function nodeSettings(runbook: Runbook, step: Step, node: ExecNode): NodeSettings {
  const merged: NodeAttributes = {...inheritedAttributes(runbook, step), ...step.attributes, ...node.attributes};
  const defaults = runbook.frontmatter.defaults;
  const timeoutMs = merged.timeout ?? defaults.timeout;
  const mutates = merged.mutates === true;
  const confirm = merged.confirm ?? (mutates ? true : undefined);
  const cwd = merged.cwd ?? runbook.frontmatter.cwd;
  return {
    ...(timeoutMs === undefined ? {} : {timeoutMs}),
    retries: merged.retries ?? defaults.retries ?? 0,
    intervalMs: merged.interval ?? defaults.interval ?? defaultIntervalMs,
    ...(confirm === undefined || confirm === false ? {} : {confirmPrompt: confirm === true ? defaultPrompt(node, mutates) : confirm}),
    mutates,
    allowFailure: merged['allow-failure'] === true,
    idempotent: merged.idempotent === true,
    // a block that opens a session (`ssh host`, `oc debug`) needs the terminal
    interactive: node.attributes.interactive === true || shellFactsOf(node)?.session !== undefined,
    ...(cwd === undefined ? {} : {cwd}),
  };
}

function defaultPrompt(node: ExecNode, mutates: boolean): string {
  return mutates ? `Run \`${node.id}\`? It changes things (mutates).` : `Run \`${node.id}\`?`;
}

// The attributes of a step that reach the nodes of its sub-steps.
const cascading = ['mutates', 'confirm'] as const satisfies readonly (keyof NodeAttributes)[];
type Cascading = Pick<NodeAttributes, (typeof cascading)[number]>;

// What the steps above `step` (not `step` itself) pass down to it.
const inheritedByRunbook = new WeakMap<Runbook, Map<Step, Cascading>>();
function inheritedAttributes(runbook: Runbook, step: Step): Cascading {
  let inherited = inheritedByRunbook.get(runbook);
  if (inherited === undefined) {
    const found = new Map<Step, Cascading>();
    const visit = (steps: readonly Step[], from: Cascading): void => {
      for (const child of steps) {
        found.set(child, from);
        const passed: Record<string, unknown> = {...from};
        for (const name of cascading) if (child.attributes[name] !== undefined) passed[name] = child.attributes[name];
        visit(child.steps, passed as Cascading);
      }
    };
    visit(runbook.steps, {});
    inherited = found;
    inheritedByRunbook.set(runbook, inherited);
  }
  return inherited.get(step) ?? {};
}
