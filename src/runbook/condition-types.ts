import type {DeclaredType} from './condition.js';
import type {Frontmatter, Runbook} from './model.js';
import {celTypeNames, type VariableType} from './value-types.js';
import {allNodes} from './walk.js';

// The declared type of each `env` value and input (absent: `string`).
export function frontmatterTypes(frontmatter: Frontmatter): Map<string, VariableType> {
  const types = new Map<string, VariableType>();
  for (const [name, type] of Object.entries(frontmatter.envTypes ?? {})) types.set(name, type);
  for (const input of Object.values(frontmatter.inputs)) if (input.type !== undefined) types.set(input.name, input.type);
  return types;
}

// What `check` knows of each name a condition may use: variables and
// captures have their declared type (a string without one); a name that is
// also a block id, captured with different types, or whose declaration has
// a mistake may hold anything, and is left out (`dyn`).
export function conditionTypes(runbook: Runbook, resultIds: ReadonlySet<string>): Map<string, DeclaredType> {
  const found = new Map<string, {type: VariableType | 'conflict'; origin: DeclaredType['origin']}>();
  const declare = (name: string, type: VariableType, origin: DeclaredType['origin']): void => {
    const earlier = found.get(name);
    found.set(name, {type: earlier === undefined || earlier.type === type ? type : 'conflict', origin: earlier?.origin ?? origin});
  };
  const declared = frontmatterTypes(runbook.frontmatter);
  for (const name of Object.keys(runbook.frontmatter.env)) declare(name, declared.get(name) ?? 'string', 'env');
  for (const name of Object.keys(runbook.frontmatter.inputs)) declare(name, declared.get(name) ?? 'string', 'input');
  for (const node of allNodes(runbook)) {
    if (node.kind === 'exec' && node.attributes.capture !== undefined) declare(node.attributes.capture, node.attributes.captureType ?? 'string', 'capture');
  }
  const types = new Map<string, DeclaredType>();
  for (const [name, {type, origin}] of found) {
    if (type === 'conflict' || resultIds.has(name)) continue;
    types.set(name, {cel: celTypeNames[type], implicit: type === 'string', origin});
  }
  return types;
}
