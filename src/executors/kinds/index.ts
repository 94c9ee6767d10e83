import {consoleKind} from './console/descriptor.js';
import {httpKind} from './http/descriptor.js';
import type {KindDescriptor} from './kind.js';
import {scriptKind} from './script/descriptor.js';
import {shellKind} from './shell/descriptor.js';

// Every executor kind. Adding one is a folder beside these, a line here and
// its loader in loaders.ts: the parser, the attribute schema, the language
// table, the registry and the reporters read these, never a kind by name.
export const kinds = [shellKind, httpKind, scriptKind, consoleKind] as const;

type Kinds = (typeof kinds)[number];
export type ExecutorKind = Kinds['kind'];

// The fields a node of each kind carries beside those every node has.
export type KindFields = {
  [Kind in Kinds as Kind['kind']]: Kind extends KindDescriptor<string, infer Fields> ? Fields : never;
};

const byKind = new Map<string, Kinds>(kinds.map((descriptor) => [descriptor.kind, descriptor]));
const byLanguage = new Map<string, Kinds>(kinds.flatMap((descriptor) => descriptor.languages.map((lang) => [lang, descriptor] as const)));

export function kindDescriptor(kind: ExecutorKind): KindDescriptor<ExecutorKind> {
  const descriptor = byKind.get(kind);
  if (descriptor === undefined) throw new Error(`no executor kind \`${kind}\``);
  return descriptor as KindDescriptor<ExecutorKind>;
}

// The kind whose blocks a fence language opens; undefined for display-only languages.
export function kindForLanguage(lang: string): KindDescriptor<ExecutorKind> | undefined {
  return byLanguage.get(lang.toLowerCase()) as KindDescriptor<ExecutorKind> | undefined;
}

// The kinds that accept a shared attribute.
export function kindsAccepting(attribute: string): ExecutorKind[] {
  return kinds.filter((descriptor) => descriptor.attributes.includes(attribute)).map((descriptor) => descriptor.kind);
}

export type {KindDescriptor} from './kind.js';
