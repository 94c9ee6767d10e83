import type {ExecNode, NodeAttributes, Runbook, Step} from '../runbook/model.js';

// The settings a node runs with: its own attributes over its step's over the
// runbook's `defaults`. `mutates` asks for confirmation unless `confirm=false`.
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
  const merged: NodeAttributes = {...step.attributes, ...node.attributes};
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
    interactive: node.attributes.interactive === true,
    ...(cwd === undefined ? {} : {cwd}),
  };
}

function defaultPrompt(node: ExecNode, mutates: boolean): string {
  return mutates ? `Run \`${node.id}\`? It changes things (mutates).` : `Run \`${node.id}\`?`;
}
