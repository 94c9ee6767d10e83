import {z} from 'zod';
import {formatDuration, parseDuration} from '../duration.js';
import {maxIntervalMs, maxRetries, maxTimeoutMs} from '../limits.js';
import {kinds, kindsAccepting} from '../../executors/kinds/index.js';
import type {ExecutorKind, NodeAttributes} from '../model.js';
import {isVariableType, variableTypes} from '../value-types.js';
import type {AttributeToken} from './tokenize.js';
import {isRunmeKey, typeRunmeAttributes} from './runme.js';
import {closest} from './suggest.js';

// Where an attribute may be written: on a block run by an executor, on a
// display-only block, or in the `<!-- runbook: … -->` comment of a step or
// of a checklist.
export type AttributeHost = ExecutorKind | 'display' | 'step' | 'checklist';

type ValueKind = 'duration' | 'integer' | 'boolean' | 'string' | 'confirm' | 'identifier' | 'expression' | 'capture';

interface AttributeSpec {
  readonly value: ValueKind;
  readonly hosts: readonly AttributeHost[];
  // the largest value accepted (milliseconds for durations)
  readonly max?: number;
}

// Which kinds accept each attribute is their descriptors' to say (src/executors/kinds/).
const on = (name: string, ...others: AttributeHost[]): AttributeHost[] => [...kindsAccepting(name), ...others];

export const attributeSpecs: Readonly<Record<string, AttributeSpec>> = {
  timeout: {value: 'duration', hosts: on('timeout', 'step'), max: maxTimeoutMs},
  retries: {value: 'integer', hosts: on('retries', 'step'), max: maxRetries},
  interval: {value: 'duration', hosts: on('interval', 'step'), max: maxIntervalMs},
  confirm: {value: 'confirm', hosts: on('confirm', 'step')},
  mutates: {value: 'boolean', hosts: on('mutates', 'step')},
  if: {value: 'expression', hosts: on('if', 'step', 'checklist')},
  capture: {value: 'capture', hosts: on('capture')},
  secret: {value: 'boolean', hosts: on('secret')},
  'allow-failure': {value: 'boolean', hosts: on('allow-failure', 'step')},
  interactive: {value: 'boolean', hosts: on('interactive')},
  background: {value: 'boolean', hosts: on('background')},
  idempotent: {value: 'boolean', hosts: on('idempotent', 'step')},
  run: {value: 'boolean', hosts: on('run', 'step', 'display')},
  cwd: {value: 'string', hosts: on('cwd', 'step')},
  carry: {value: 'boolean', hosts: on('carry')},
};

export const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const idPattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const valueSchemas: Record<Exclude<ValueKind, 'confirm' | 'boolean' | 'capture'>, z.ZodType<unknown, string>> = {
  duration: z.string().transform((text, context) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      context.addIssue({code: 'custom', message: 'a duration such as `500ms`, `10s`, `5m` or `1h`'});
      return z.NEVER;
    }
    return ms;
  }),
  integer: z.string().regex(/^\d+$/, {message: 'a whole number such as `3`'}).transform(Number),
  string: z.string().min(1, {message: 'a non-empty value'}),
  identifier: z.string().regex(identifierPattern, {message: 'a variable name such as `LKG_SHA` (letters, digits, `_`)'}),
  expression: z.string().min(1, {message: 'a condition such as `health.failed`'}),
};

const booleanSchema = z.enum(['true', 'false'], {message: '`true` or `false`'}).transform((text) => text === 'true');

export interface AttributeProblem {
  readonly message: string;
  readonly ruleId: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly start: number;
  readonly end: number;
}

export interface TypedAttributes {
  // `runmeKey` when it came from Runme's `name` or `id`
  readonly id?: {readonly value: string; readonly start: number; readonly end: number; readonly runmeKey?: 'name' | 'id'};
  // the set used one of Runme's own keys (see runme.ts)
  readonly runme?: true;
  readonly attributes: NodeAttributes;
  // the token each attribute came from, for positioning later checks
  readonly tokens: Readonly<Record<string, Extract<AttributeToken, {kind: 'flag' | 'pair'}>>>;
  readonly problems: AttributeProblem[];
}

// Types tokens against the attributes that `host` accepts.
export function typeAttributes(tokens: readonly AttributeToken[], host: AttributeHost, hostLabel: string): TypedAttributes {
  const attributes: Record<string, unknown> = {};
  const valueTokens: Record<string, Extract<AttributeToken, {kind: 'flag' | 'pair'}>> = {};
  const problems: AttributeProblem[] = [];
  const classes: string[] = [];
  const runmeTokens: Extract<AttributeToken, {kind: 'flag' | 'pair'}>[] = [];
  let id: TypedAttributes['id'];

  const spilled = spilledValues(tokens);
  for (const [index, token] of tokens.entries()) {
    const spill = spilled.get(index);
    if (spill === 'rest') continue;
    if (spill !== undefined && token.kind === 'pair') {
      problems.push({severity: 'error', ruleId: 'attribute-syntax', start: token.valueStart, end: spill.end,
        message: `Unexpected \`${spill.text}\` after \`${token.key}=${token.value}\`, expected a value with spaces in quotes: \`${token.key}="${token.value} ${spill.text}"\``});
      continue;
    }
    if (token.kind === 'class') {
      classes.push(token.value);
      continue;
    }
    if (token.kind === 'id') {
      if (!idPattern.test(token.value)) {
        problems.push({severity: 'error', ruleId: 'invalid-id', start: token.start, end: token.end,
          message: `Unexpected id \`${token.value}\`, expected a letter or \`_\` followed by letters, digits, \`_\` or \`-\``});
      } else if (id !== undefined) {
        problems.push({severity: 'error', ruleId: 'duplicate-attribute', start: token.start, end: token.end,
          message: `Unexpected second id \`#${token.value}\` on ${hostLabel}, expected at most one \`#id\``});
      } else {
        id = {value: token.value, start: token.start, end: token.end};
      }
      continue;
    }
    const key = token.key;
    const spec = attributeSpecs[key];
    // Runme's keys on blocks are typed together after this loop (runme.ts)
    if (spec === undefined && host !== 'step' && host !== 'checklist' && isRunmeKey(key)) {
      runmeTokens.push(token);
      continue;
    }
    if (spec === undefined) {
      problems.push(unknownAttribute(token, host, hostLabel));
      continue;
    }
    if (!spec.hosts.includes(host)) {
      problems.push({severity: host === 'display' ? 'warning' : 'error', ruleId: 'misplaced-attribute', start: token.start, end: token.end,
        message: host === 'display'
          ? `Unexpected attribute \`${key}\` on ${hostLabel}, which is display-only; it has no effect`
          : `Unexpected attribute \`${key}\` on ${hostLabel}, expected it only on ${describeHosts(spec.hosts)}`});
      continue;
    }
    if (key in attributes) {
      problems.push({severity: 'error', ruleId: 'duplicate-attribute', start: token.start, end: token.end,
        message: `Unexpected second \`${key}\`, expected each attribute once`});
      continue;
    }
    const typed = typeValue(token, spec.value);
    if (!typed.ok) {
      problems.push({severity: 'error', ruleId: 'invalid-attribute', start: token.kind === 'pair' ? token.valueStart : token.start, end: token.end, message: typed.message});
      continue;
    }
    if (spec.max !== undefined && typeof typed.value === 'number' && typed.value > spec.max) {
      const max = spec.value === 'duration' ? formatDuration(spec.max) : String(spec.max);
      problems.push({severity: 'error', ruleId: 'invalid-attribute', start: token.kind === 'pair' ? token.valueStart : token.start, end: token.end,
        message: `Unexpected \`${token.kind === 'pair' ? token.value : ''}\` for \`${key}\`, expected ${spec.value === 'duration' ? 'a duration' : 'a whole number'} up to ${max}`});
      continue;
    }
    if (spec.value === 'capture' && typeof typed.value === 'object' && typed.value !== null) {
      const capture = typed.value as {name: string; type?: string};
      attributes[key] = capture.name;
      if (capture.type !== undefined && capture.type !== 'string') attributes['captureType'] = capture.type;
    } else {
      attributes[key] = typed.value;
    }
    valueTokens[key] = token;
  }
  if (classes.length > 0) attributes['classes'] = classes;
  if (runmeTokens.length > 0) {
    const runme = typeRunmeAttributes(runmeTokens, host, hostLabel);
    problems.push(...runme.problems);
    // ours first: `#id` over Runme's `name`, `run=` over `excludeFromRunAll`
    if (id === undefined && runme.id !== undefined) id = {value: runme.id.value, start: runme.id.start, end: runme.id.end, runmeKey: runme.id.key};
    for (const [key, value] of Object.entries(runme.attributes)) if (!(key in attributes)) attributes[key] = value;
  }
  return {...(id === undefined ? {} : {id}), ...(runmeTokens.length > 0 ? {runme: true as const} : {}), attributes: attributes as NodeAttributes, tokens: valueTokens, problems};
}

// Unquoted values cut at a space (`if=a.ok && b.ok`, `confirm=Deploy now?`):
// the words after them that are not attributes, by the index of the value's
// token (and `rest` for the words' own tokens), so the mistake is said once.
function spilledValues(tokens: readonly AttributeToken[]): Map<number, {text: string; end: number} | 'rest'> {
  const spilled = new Map<number, {text: string; end: number} | 'rest'>();
  tokens.forEach((token, index) => {
    if (token.kind !== 'pair' || token.quoted || (token.key !== 'if' && token.key !== 'confirm')) return;
    const words: Extract<AttributeToken, {kind: 'flag'}>[] = [];
    for (let next = index + 1; next < tokens.length; next += 1) {
      const word = tokens[next];
      if (word?.kind !== 'flag' || attributeSpecs[word.key] !== undefined) break;
      words.push(word);
      spilled.set(next, 'rest');
    }
    const last = words.at(-1);
    if (last !== undefined) spilled.set(index, {text: words.map((word) => word.key).join(' '), end: last.end});
  });
  return spilled;
}

const hostNames: Readonly<Record<AttributeHost, string>> = {
  ...Object.fromEntries(kinds.map((descriptor) => [descriptor.kind, descriptor.label])) as Record<ExecutorKind, string>,
  display: 'display-only blocks',
  step: 'steps',
  checklist: 'checklists',
};

function describeHosts(hosts: readonly AttributeHost[]): string {
  const names = hosts.filter((host) => host !== 'display').map((host) => hostNames[host]);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
}

// Display-only blocks keep whatever other tools put there (Pandoc's
// `startFrom=10`), so an unknown key there is only a warning.
function unknownAttribute(token: Extract<AttributeToken, {kind: 'flag' | 'pair'}>, host: AttributeHost, hostLabel: string): AttributeProblem {
  const accepted = Object.keys(attributeSpecs).filter((name) => attributeSpecs[name]?.hosts.includes(host) === true);
  const suggestion = closest(token.key, Object.keys(attributeSpecs));
  const place = {ruleId: 'unknown-attribute', start: token.start, end: token.end} as const;
  if (host === 'display') {
    return {...place, severity: 'warning',
      message: `Unexpected attribute \`${token.key}\` on ${hostLabel}, which is display-only; it has no effect${suggestion === undefined ? '' : ` (did you mean \`${suggestion}\`?)`}`};
  }
  const expected = suggestion === undefined
    ? `expected one of ${accepted.map((name) => `\`${name}\``).join(', ')}`
    : `did you mean \`${suggestion}\`?`;
  return {...place, severity: 'error', message: `Unexpected attribute \`${token.key}\` on ${hostLabel}, ${expected}`};
}

// What to write instead of `key=""`.
const emptyValueHints: Readonly<Record<ValueKind, string>> = {
  duration: 'a duration such as `10s`',
  integer: 'a whole number such as `3`',
  boolean: '`true`, `false`, or the bare name',
  string: 'a value',
  confirm: 'a prompt or a bare `confirm`',
  identifier: 'a name such as `LKG_SHA`',
  expression: 'a condition such as `health.failed`',
  capture: 'a variable name such as `LKG_SHA`',
};

type Typed = {readonly ok: true; readonly value: unknown} | {readonly ok: false; readonly message: string};

function typeValue(token: Extract<AttributeToken, {kind: 'flag' | 'pair'}>, kind: ValueKind): Typed {
  if (token.kind === 'flag') {
    if (kind === 'boolean' || kind === 'confirm') return {ok: true, value: true};
    return {ok: false, message: `Unexpected \`${token.key}\` without a value, expected \`${token.key}=<${kind}>\``};
  }
  if (kind === 'confirm') {
    if (token.value === 'true' || token.value === 'false') return {ok: true, value: token.value === 'true'};
    return token.value.trim() === '' ? {ok: false, message: 'Unexpected empty `confirm`, expected a prompt or a bare `confirm`'} : {ok: true, value: token.value};
  }
  if (token.value === '') return {ok: false, message: `Unexpected empty \`${token.key}\`, expected ${emptyValueHints[kind]}`};
  if (kind === 'capture') return typeCapture(token.key, token.value);
  const schema = kind === 'boolean' ? booleanSchema : valueSchemas[kind];
  const result = schema.safeParse(token.value);
  if (result.success) return {ok: true, value: result.data};
  const expected = result.error.issues[0]?.message ?? `a ${kind}`;
  return {ok: false, message: `Unexpected \`${token.value}\` for \`${token.key}\`, expected ${expected}`};
}

// `capture=NAME` or `capture=NAME:type`.
function typeCapture(key: string, value: string): Typed {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  if (!identifierPattern.test(name)) {
    return {ok: false, message: `Unexpected \`${value}\` for \`${key}\`, expected a variable name such as \`LKG_SHA\` (letters, digits, \`_\`)`};
  }
  if (colon < 0) return {ok: true, value: {name}};
  const type = value.slice(colon + 1);
  if (!isVariableType(type)) {
    return {ok: false, message: `Unexpected type \`${type}\` in \`${key}=${value}\`, expected one of ${variableTypes.map((name) => `\`${name}\``).join(', ')}`};
  }
  return {ok: true, value: {name, type}};
}
