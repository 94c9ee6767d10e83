import {isMap, isScalar, parseDocument, visit, type Document} from 'yaml';
import {z} from 'zod';
import {kinds} from '../executors/kinds/index.js';
import {closest} from './attributes/suggest.js';
import {formatDuration, parseDuration} from './duration.js';
import {findTemplateReferences} from './templates.js';
import type {DiagnosticSink} from './diagnostics.js';
import {maxIntervalMs, maxRetries, maxTimeoutMs} from './limits.js';
import type {Frontmatter, InputSpec, Point, Position} from './model.js';
import {isForeignFrontmatterKey, runmeSkipsPrompts} from './runme-frontmatter.js';
import {isSafePattern, isValidPattern, matchesPattern, patternMatchLimitMs} from './patterns.js';
import {typeNouns, typeProblem, variableTypes, type VariableType} from './value-types.js';

// The YAML block between `---` lines at the top of a runbook.

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const scalar = z.union([z.string(), z.number(), z.boolean()], {message: 'a string, number or boolean'}).transform(String);
const duration = (max: number) => z.string({message: 'a duration such as `10s` or `5m`'}).refine((text) => parseDuration(text) !== undefined, {message: 'a duration such as `10s` or `5m`', abort: true})
  .refine((text) => (parseDuration(text) ?? 0) <= max, {message: `a duration up to ${formatDuration(max)}`})
  .transform((text) => parseDuration(text) ?? 0);
const variableType = z.enum(variableTypes, {message: `one of ${variableTypes.map((name) => `\`${name}\``).join(', ')}`});

const inputObject = z.strictObject({
  description: z.string().optional(),
  default: scalar.optional(),
  type: variableType.optional(),
  pattern: z.string().refine(isValidPattern, {message: 'a valid regular expression'}).optional(),
  choices: z.array(scalar).min(1, {message: 'at least one choice'}).optional(),
  secret: z.boolean().optional(),
  required: z.boolean().optional(),
}, {message: 'a description or a map of `description`, `default`, `type`, `pattern`, `choices`, `secret`, `required`'});

// A string is a description, nothing is an input with no settings; a map is
// checked key by key, so a mistake is reported at its own key.
const input = z.preprocess((value) => (typeof value === 'string' ? {description: value} : value === null ? {} : value), inputObject);

// An `env` value with a type: `MAX_USED_PCT: {value: 90, type: integer}`.
const typedEnvValue = z.strictObject({
  value: scalar,
  type: variableType.optional(),
  description: z.string().optional(),
});
const typedEnvSchema = z.object({
  env: z.record(z.string().regex(variableName, {message: 'a variable name (letters, digits, `_`)'}), typedEnvValue),
});

const frontmatterSchema = z.looseObject({
  title: z.string().optional(),
  // one line naming where the run acts, `{{NAME}}` filled in: shown in the player's header
  target: z.string({message: 'one line of text, such as "api {{API_ORIGIN}}"'}).regex(/^[^\n\r]*$/, {message: 'one line of text, such as "api {{API_ORIGIN}}"'}).optional(),
  shell: z.string().regex(/^[\w./-]+$/, {message: 'an interpreter such as `bash`, `sh` or `zsh`'}).optional(),
  cwd: z.string().optional(),
  carry: z.boolean({message: '`true` or `false`'}).optional(),
  env: z.record(z.string().regex(variableName, {message: 'a variable name (letters, digits, `_`)'}), scalar).optional(),
  inputs: z.record(z.string().regex(variableName, {message: 'a variable name (letters, digits, `_`)'}), input).optional(),
  'mutating-commands': z.array(z.string({message: 'a command and its subcommand, such as `mytool deploy`'}).regex(/\S/, {message: 'a command and its subcommand, such as `mytool deploy`'}), {message: 'a list of commands, such as `[mytool deploy]`'}).optional(),
  defaults: z.strictObject({
    timeout: duration(maxTimeoutMs).optional(),
    retries: z.number({message: 'a whole number'}).max(maxRetries, {message: `a whole number up to ${maxRetries}`, abort: true})
      .int({message: 'a whole number', abort: true}).min(0, {message: 'a whole number'}).optional(),
    interval: duration(maxIntervalMs).optional(),
  }).optional(),
});

export const frontmatterKeys = ['title', 'target', 'shell', 'cwd', 'carry', 'env', 'inputs', 'defaults', 'mutating-commands'] as const;
// the switches executor kinds declare in their descriptors (`console: run`)
const kindSwitches = kinds.flatMap((descriptor) => descriptor.frontmatter === undefined ? [] : [descriptor.frontmatter]);
const knownKeys: readonly string[] = [...frontmatterKeys, ...kindSwitches.map((entry) => entry.key)];
const inputKeys = ['description', 'default', 'type', 'pattern', 'choices', 'secret', 'required'] as const;
const envKeys = ['value', 'type', 'description'] as const;
const defaultsKeys = ['timeout', 'retries', 'interval'] as const;

export const emptyFrontmatter: Frontmatter = {env: {}, inputs: {}, defaults: {}};

export interface ParsedFrontmatter {
  readonly frontmatter: Frontmatter;
  // every name written under `env` or `inputs`, valid or not, so a mistake in
  // an entry is reported once and not again at each `{{NAME}}` that uses it
  readonly declaredNames: ReadonlySet<string>;
  // false when a YAML mistake swallowed `env` or `inputs`: which names exist
  // is then unknown, and references to them are not reported as undefined
  readonly namesComplete: boolean;
}

interface FrontmatterState {
  readonly declaredNames: Set<string>;
  // top-level keys that parsed without a YAML error
  readonly intactKeys: Set<string>;
}

// `pointAt` turns an offset into the YAML text into a point of the Markdown
// source, so lines are counted the way the rest of the runbook counts them.
export function parseFrontmatter(value: string, pointAt: (offset: number) => Point, sink: DiagnosticSink): ParsedFrontmatter {
  const state: FrontmatterState = {declaredNames: new Set(), intactKeys: new Set()};
  const frontmatter = parseFrontmatterInto(value, pointAt, sink, state);
  const {declaredNames, intactKeys} = state;
  for (const name of Object.keys(frontmatter.env)) declaredNames.add(name);
  for (const name of Object.keys(frontmatter.inputs)) declaredNames.add(name);
  const namesComplete = [...value.matchAll(/^(env|inputs)[ \t]*:/gm)].every((match) => intactKeys.has(match[1] ?? ''));
  return {frontmatter, declaredNames, namesComplete};
}

function parseFrontmatterInto(value: string, at: (offset: number) => Point, sink: DiagnosticSink, state: FrontmatterState): Frontmatter {
  const {declaredNames, intactKeys} = state;
  const document = parseDocument(value, {prettyErrors: false, uniqueKeys: true, logLevel: 'error'});
  const positionOf = (range: readonly number[] | undefined): Position => ({start: at(range?.[0] ?? 0), end: at(range?.[1] ?? range?.[0] ?? 0)});

  // A YAML mistake hides only the top-level key it sits in; the other keys
  // are still checked, so every mistake in the file is reported at once.
  const brokenPairs = new Set<unknown>();
  if (document.errors.length > 0) {
    // The yaml package often reports one mistake several times on one line.
    const reported = new Set<number>();
    for (const error of document.errors) {
      const offset = error.code === 'MISSING_CHAR' || error.code === 'BAD_INDENT' ? unclosedOpener(document, error.pos[0]) ?? error.pos[0] : error.pos[0];
      const {line} = at(offset);
      if (reported.has(line)) continue;
      reported.add(line);
      sink.error(`Unexpected YAML in frontmatter: ${yamlMessage(error)}`, 'yaml-syntax', at(offset));
    }
    if (!isMap(document.contents)) return emptyFrontmatter;
    const {items} = document.contents;
    for (const [index, pair] of items.entries()) {
      const start = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      // up to the next key: a mistake in what the parser made nothing of
      // (`env:` then a tab-indented line) still belongs to this key
      const next = items[index + 1]?.key;
      const end = isScalar(next) && next.range ? next.range[0] - 1
        : index === items.length - 1 ? value.length
        : (pair.value as {range?: readonly number[] | null} | null)?.range?.[2] ?? (isScalar(pair.key) ? pair.key.range?.[2] : undefined);
      if (start === undefined || end === undefined || document.errors.some((error) => error.pos[0] <= end && error.pos[1] >= start)) {
        brokenPairs.add(pair);
      }
    }
  }
  const whole = safeToJS(document);
  if (whole instanceof Error) {
    // Aliases resolve only here: an unknown anchor, or too many aliases.
    if (document.errors.length === 0) sink.error(`Unexpected YAML in frontmatter: ${yamlMessage(whole)}`, 'yaml-syntax', at(unresolvedAliasOffset(document)));
    return emptyFrontmatter;
  }
  if (whole === null || whole === undefined) return emptyFrontmatter;
  if (!isMap(document.contents) || !isPlainObject(whole)) {
    sink.error('Unexpected frontmatter, expected a YAML map of keys such as `title`, `env` and `inputs`', 'frontmatter-schema', at(0));
    return emptyFrontmatter;
  }
  declareNames(whole, declaredNames);
  const data: Record<string, unknown> = {...whole};
  for (const pair of document.contents.items) {
    if (!isScalar(pair.key)) continue;
    if (brokenPairs.has(pair)) delete data[String(pair.key.value)];
    else intactKeys.add(String(pair.key.value));
  }

  for (const pair of document.contents.items) {
    if (brokenPairs.has(pair)) continue;
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    // Runme's and site generators' keys are theirs, not mistakes (runme-frontmatter.ts)
    if (!knownKeys.includes(key) && !isForeignFrontmatterKey(key)) {
      const suggestion = closest(key, knownKeys);
      const expected = suggestion === undefined ? `expected one of ${knownKeys.map((name) => `\`${name}\``).join(', ')}` : `did you mean \`${suggestion}\`?`;
      sink.warning(`Unexpected frontmatter key \`${key}\` (ignored), ${expected}`,
        'unknown-frontmatter-key', positionOf(isScalar(pair.key) ? pair.key.range ?? undefined : undefined).start);
    }
  }

  const reportIssues = (issues: readonly z.core.$ZodIssue[]): void => {
    for (const issue of issues) {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') {
        for (const unknown of issue.keys) {
          sink.error(describeUnknownKey(unknown, path), 'frontmatter-schema', keyPosition(document, path, unknown, positionOf).start);
        }
        continue;
      }
      sink.error(describeIssue(issue, path, document), 'frontmatter-schema', keyPosition(document, path, undefined, positionOf).start);
    }
  };

  // Each key is checked on its own, so one mistake does not hide the rest
  // (a bad `inputs` entry must not make every `{{NAME}}` look undefined).
  const parsed: z.infer<typeof frontmatterSchema> = {};
  const envTypes: Record<string, VariableType> = {};
  const record = data;
  for (const key of frontmatterKeys) {
    if (!(key in record)) continue;
    const entries = (key === 'inputs' || key === 'env') && isPlainObject(record[key]) ? Object.entries(record[key]) : [[undefined, record[key]] as const];
    for (const [name, value] of entries) {
      if (key === 'env' && name !== undefined && isPlainObject(value)) {
        const typed = typedEnvSchema.safeParse({env: {[name]: value}});
        if (typed.success) {
          const entry = typed.data.env[name];
          if (entry !== undefined) {
            parsed.env = {...parsed.env, [name]: entry.value};
            if (entry.type !== undefined && entry.type !== 'string') envTypes[name] = entry.type;
            const problem = entry.type === undefined ? undefined : typeProblem(entry.type, entry.value);
            if (problem !== undefined) {
              sink.error(`Unexpected value \`${entry.value}\` for ${entry.type} \`env.${name}\`: ${problem}`, 'invalid-default',
                keyPosition(document, ['env', name, 'value'], undefined, positionOf).start);
            }
          }
          continue;
        }
        reportIssues(typed.error.issues);
        continue;
      }
      const result = frontmatterSchema.safeParse(name === undefined ? {[key]: value} : {[key]: {[name]: value}});
      if (result.success) {
        Object.assign(parsed, name === undefined ? result.data : {[key]: {...(parsed[key] as object | undefined), ...(result.data[key] as object)}});
        continue;
      }
      reportIssues(result.error.issues);
    }
  }

  const switches: Record<string, string> = {};
  for (const entry of kindSwitches) {
    if (!(entry.key in record)) continue;
    const value = record[entry.key];
    if (typeof value === 'string' && entry.values.includes(value)) switches[entry.key] = value;
    else sink.error(`Unexpected \`${entry.key}\` value, expected ${entry.description}`, 'frontmatter-schema', keyPosition(document, [entry.key], undefined, positionOf).start);
  }

  const inputs: Record<string, InputSpec> = {};
  for (const [name, spec] of Object.entries(parsed.inputs ?? {})) {
    const position = keyPosition(document, ['inputs', name], undefined, positionOf);
    const input: InputSpec = {
      name,
      ...('description' in spec && spec.description !== undefined ? {description: spec.description} : {}),
      ...('default' in spec && spec.default !== undefined ? {default: spec.default} : {}),
      ...('pattern' in spec && spec.pattern !== undefined ? {pattern: spec.pattern} : {}),
      ...('choices' in spec && spec.choices !== undefined ? {choices: spec.choices} : {}),
      ...('type' in spec && spec.type !== undefined && spec.type !== 'string' ? {type: spec.type} : {}),
      secret: 'secret' in spec ? spec.secret === true : false,
      required: 'required' in spec && spec.required !== undefined ? spec.required : !('default' in spec && spec.default !== undefined),
      position,
    };
    const at = (key: string): Point => keyPosition(document, ['inputs', name, key], undefined, positionOf).start;
    const unsafe = input.pattern !== undefined && !isSafePattern(input.pattern);
    if (unsafe) {
      sink.error(`Unexpected pattern \`${input.pattern ?? ''}\` for input \`${name}\`: it can backtrack catastrophically and hang on some values (an unbounded repetition such as \`+\` or \`*\` inside another, more than 25 of them, or syntax the check cannot read such as lookbehind), expected a pattern without nested repetition such as \`^a+$\``,
        'unsafe-pattern', at('pattern'));
    }
    if (input.type !== undefined) {
      const type = input.type;
      for (const choice of input.choices ?? []) {
        const problem = typeProblem(type, choice);
        if (problem !== undefined) sink.error(`Unexpected choice \`${choice}\` for ${type} input \`${name}\`: ${problem}`, 'invalid-default', at('choices'));
      }
      if (!input.required && input.default === undefined) {
        sink.error(`Unexpected optional ${type} input \`${name}\` without a \`default\`, expected a default or \`required: true\` (an empty value is not ${typeNouns[type]})`,
          'invalid-default', at('required'));
      }
    }
    const problem = input.default === undefined || unsafe ? undefined : validateInputValue(input, input.default);
    if (problem !== undefined) {
      sink.error(`Unexpected default \`${input.default}\` for input \`${name}\`: ${problem}`, 'invalid-default',
        keyPosition(document, ['inputs', name, 'default'], undefined, positionOf).start);
    }
    inputs[name] = input;
  }
  for (const reference of findTemplateReferences(parsed.target ?? '')) {
    if (reference.root in inputs || reference.root in (parsed.env ?? {})) continue;
    sink.error(`Unexpected \`{{${reference.expression}}}\` in \`target\`, expected a variable defined in \`env\` or \`inputs\``, 'undefined-name',
      keyPosition(document, ['target'], undefined, positionOf).start);
  }
  for (const name of Object.keys(parsed.env ?? {})) {
    if (name in inputs) {
      sink.error(`Unexpected \`${name}\` in both \`env\` and \`inputs\`, expected each variable once`, 'duplicate-variable',
        keyPosition(document, ['inputs', name], undefined, positionOf).start);
    }
  }
  return {
    ...(parsed.title === undefined ? {} : {title: parsed.title}),
    ...(parsed.target === undefined ? {} : {target: parsed.target}),
    ...(parsed.shell === undefined ? {} : {shell: parsed.shell}),
    ...(parsed.cwd === undefined ? {} : {cwd: parsed.cwd}),
    ...(parsed.carry === undefined ? {} : {carry: parsed.carry}),
    env: parsed.env ?? {},
    ...(Object.keys(envTypes).length === 0 ? {} : {envTypes}),
    inputs,
    ...(Object.keys(switches).length === 0 ? {} : {switches}),
    ...(parsed['mutating-commands'] === undefined ? {} : {mutatingCommands: parsed['mutating-commands'].map((command) => command.trim())}),
    defaults: {
      ...(parsed.defaults?.timeout === undefined ? {} : {timeout: parsed.defaults.timeout}),
      ...(parsed.defaults?.retries === undefined ? {} : {retries: parsed.defaults.retries}),
      ...(parsed.defaults?.interval === undefined ? {} : {interval: parsed.defaults.interval}),
    },
    // Runme's `skipPrompts: true` (runme-frontmatter.ts)
    ...(runmeSkipsPrompts(data) ? {promptEnv: 'never' as const} : {}),
  };
}

// Why `value` is not acceptable for `input`, or undefined when it is.
export function validateInputValue(input: InputSpec, value: string): string | undefined {
  if (input.choices !== undefined && !input.choices.includes(value)) {
    return `expected one of ${input.choices.map((choice) => `\`${choice}\``).join(', ')}`;
  }
  if (input.required && value === '') return 'expected a value (the input is required)';
  if (input.type !== undefined) {
    const problem = typeProblem(input.type, value);
    if (problem !== undefined) return problem;
  }
  if (input.pattern !== undefined) {
    const matched = matchesPattern(input.pattern, value);
    if (matched === 'too-slow') return `expected a value matching /${input.pattern}/ (matching took longer than ${formatDuration(patternMatchLimitMs)} and was stopped: the pattern backtracks too much)`;
    if (!matched) return `expected a value matching /${input.pattern}/`;
  }
  return undefined;
}

// Why `value` is not acceptable for the `env` value `name`, or undefined.
export function validateEnvValue(frontmatter: Frontmatter, name: string, value: string): string | undefined {
  const type = frontmatter.envTypes?.[name];
  return type === undefined ? undefined : typeProblem(type, value);
}

function declareNames(data: unknown, names: Set<string>): void {
  if (!isPlainObject(data)) return;
  for (const key of ['env', 'inputs']) {
    const section = data[key];
    if (isPlainObject(section)) for (const name of Object.keys(section)) names.add(name);
  }
}

function safeToJS(document: Document): unknown {
  try {
    return document.toJS() as unknown;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

// An unclosed quote or flow collection is reported by the yaml package where
// the text ends; the mistake is where it opened.
function unclosedOpener(document: Document, offset: number): number | undefined {
  let opener: number | undefined;
  const consider = (node: {range?: readonly number[] | null | undefined}): void => {
    const range = node.range;
    if (range && range[0] !== undefined && range[0] < offset && (range[2] ?? offset) >= offset && (opener === undefined || range[0] > opener)) {
      opener = range[0];
    }
  };
  visit(document, {
    Scalar(_key, node) {
      if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') consider(node);
    },
    Map(_key, node) {
      if (node.flow === true) consider(node);
    },
    Seq(_key, node) {
      if (node.flow === true) consider(node);
    },
  });
  return opener;
}

function unresolvedAliasOffset(document: Document): number {
  let offset = 0;
  visit(document, {
    Alias(_key, node) {
      if (node.resolve(document) !== undefined) return undefined;
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  // `!!binary` values are byte arrays, not maps
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function keyPosition(document: Document, path: readonly string[], key: string | undefined, positionOf: (range: readonly number[] | undefined) => Position): Position {
  const full = key === undefined ? path : [...path, key];
  for (let length = full.length; length > 0; length -= 1) {
    const parent = length === 1 ? document.contents : document.getIn(full.slice(0, length - 1), true);
    if (!isMap(parent)) continue;
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === full[length - 1]);
    if (pair && isScalar(pair.key)) return positionOf(pair.key.range ?? undefined);
  }
  return positionOf(undefined);
}

function describeIssue(issue: z.core.$ZodIssue, path: readonly string[], document: Document): string {
  const where = path.length === 0 ? 'frontmatter' : `\`${path.join('.')}\``;
  if (issue.code === 'invalid_key') {
    return `Unexpected variable name \`${path.at(-1) ?? ''}\` in \`${path.slice(0, -1).join('.')}\`, expected letters, digits and \`_\`, not starting with a digit`;
  }
  const actual: unknown = path.length === 0 ? undefined : document.getIn(path);
  // a number as written (`99999999999999999999`, not `1e+20`)
  const node: unknown = path.length === 0 ? undefined : document.getIn(path, true);
  const written = isScalar(node) && typeof node.source === 'string' && typeof actual === 'number' ? node.source : undefined;
  // `retries: "3"` is the text 3: said with its quotes, or it reads as fine
  const quote = isScalar(node) && typeof actual === 'string' && /^(?:-?\d+(?:\.\d+)?|true|false)$/.test(actual)
    ? node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : undefined : undefined;
  const unquote = quote === undefined ? '' : ` (written without quotes, \`${String(actual)}\`; in quotes it is text)`;
  const shown = actual === undefined ? 'value' : ArrayBuffer.isView(actual) ? 'binary value'
    : quote !== undefined ? `\`${quote}${String(actual)}${quote}\``
    : `\`${written ?? (typeof actual === 'object' ? JSON.stringify(actual) : String(actual))}\``;
  // zod's own wording starts with "Invalid"; ours names what is expected.
  if (!issue.message.startsWith('Invalid')) return `Unexpected ${shown} for ${where}, expected ${issue.message}${unquote}`;
  if (issue.code === 'invalid_type') {
    const expected = issue.expected === 'record' || issue.expected === 'object' ? 'a map' : `a ${issue.expected}`;
    return `Unexpected ${shown} for ${where}, expected ${expected}${unquote}`;
  }
  return `Unexpected ${shown} for ${where}`;
}

function describeUnknownKey(key: string, path: readonly string[]): string {
  const keys = path.at(-1) === 'defaults' ? defaultsKeys : path[0] === 'env' ? envKeys : inputKeys;
  const suggestion = closest(key, keys);
  const expected = suggestion === undefined
    ? `expected ${keys.slice(0, -1).map((name) => `\`${name}\``).join(', ')} or \`${keys.at(-1) ?? ''}\``
    : `did you mean \`${suggestion}\`?`;
  return `Unexpected key \`${key}\` in \`${path.join('.')}\`, ${expected}`;
}

// The yaml package's message, less what only makes sense to its authors.
function yamlMessage(error: Error): string {
  const first = error.message.split('\n')[0] ?? error.message;
  if (error instanceof RangeError || /call stack/i.test(first)) return 'nested too deeply to read, expected a flatter frontmatter';
  if (/alias count/i.test(first)) return 'too many aliases (`*name`) expanded, expected the values written out';
  return first;
}
