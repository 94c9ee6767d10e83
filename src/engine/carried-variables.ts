import {masked} from './events.js';
import type {Redactor} from './redaction.js';
import {looksSecretName} from './secret-names.js';

// What a shell block exported, changed or unset reaches the shell blocks
// after it (docs/dialect.md, "Variables that carry over"); whether it does
// is `carriesExports` (src/runbook/carried-names.ts).

export interface CarriedVariable {
  readonly name: string;
  // null: the block unset it
  readonly value: string | null;
  readonly secret: boolean;
}

export interface CarriedUpdate {
  readonly carried: readonly CarriedVariable[];
  // names the run was given (`env`, `inputs`, `--set`…): they keep their value
  readonly refused: readonly string[];
  // as recorded in `node-end`: secret values masked, unset as null
  readonly recorded: Readonly<Record<string, string | null>>;
}

// Sorts a block's exports into what carries and what does not. A variable
// is secret when its name looks secret, when it already was one, or when its
// value holds a secret the run knows (`export AUTH="Bearer $TOKEN"`).
export function carriedUpdate(exports: Readonly<Record<string, string | null>>, given: ReadonlySet<string>, secretNames: ReadonlySet<string>, redactor: Redactor): CarriedUpdate {
  const carried: CarriedVariable[] = [];
  const refused: string[] = [];
  const recorded: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(exports)) {
    if (given.has(name)) {
      refused.push(name);
      continue;
    }
    const secret = value !== null && (looksSecretName(name) || secretNames.has(name) || redactor.redact(value) !== value);
    carried.push({name, value, secret});
    recorded[name] = value === null ? null : secret ? masked : value;
  }
  return {carried, refused, recorded};
}

// A secret variable a block carried: never written down, so not restored.
export interface LostExport {
  readonly name: string;
  // the node that exported it last
  readonly nodeId: string;
}

// The variables carried up to now, as the recorded exports of finished
// nodes say, in the order they ended; masked ones (secrets) are lost.
export function foldCarried(entries: readonly {readonly nodeId: string; readonly exports: Readonly<Record<string, string | null>>}[]): {carried: Record<string, string | null>; lost: LostExport[]} {
  const carried: Record<string, string | null> = {};
  const lost = new Map<string, string>();
  for (const {nodeId, exports} of entries) {
    for (const [name, value] of Object.entries(exports)) {
      if (value !== null && value.includes(masked)) {
        lost.set(name, nodeId);
        delete carried[name];
      } else {
        carried[name] = value;
        lost.delete(name);
      }
    }
  }
  return {carried, lost: [...lost].map(([name, nodeId]) => ({name, nodeId}))};
}
