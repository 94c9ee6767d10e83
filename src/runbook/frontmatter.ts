import {isMap, isScalar, LineCounter, parseDocument, type Document} from 'yaml';
import {z} from 'zod';
import {parseDuration} from './duration.js';
import type {DiagnosticSink} from './diagnostics.js';
import type {Frontmatter, InputSpec, Position} from './model.js';

// The YAML block between `---` lines at the top of a runbook.

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const duration = z.string({message: 'a duration such as `10s` or `5m`'}).refine((text) => parseDuration(text) !== undefined, {message: 'a duration such as `10s` or `5m`'})
  .transform((text) => parseDuration(text) ?? 0);
const isRegExp = (pattern: string): boolean => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};

const inputObject = z.strictObject({
  description: z.string().optional(),
  default: scalar.optional(),
  pattern: z.string().refine(isRegExp, {message: 'a valid regular expression'}).optional(),
  choices: z.array(scalar).min(1, {message: 'at least one choice'}).optional(),
  secret: z.boolean().optional(),
  required: z.boolean().optional(),
});

const input = z.union([z.string().transform((description) => ({description})), z.null().transform(() => ({})), inputObject],
  {message: 'a description or a map of `description`, `default`, `pattern`, `choices`, `secret`, `required`'});

const frontmatterSchema = z.looseObject({
  title: z.string().optional(),
  shell: z.string().regex(/^[\w./-]+$/, {message: 'an interpreter such as `bash`, `sh` or `zsh`'}).optional(),
  cwd: z.string().optional(),
  env: z.record(z.string().regex(variableName, {message: 'a variable name (letters, digits, `_`)'}), scalar).optional(),
  inputs: z.record(z.string().regex(variableName, {message: 'a variable name (letters, digits, `_`)'}), input).optional(),
  defaults: z.strictObject({
    timeout: duration.optional(),
    retries: z.number().int().min(0, {message: 'a whole number'}).optional(),
    interval: duration.optional(),
  }).optional(),
});

export const frontmatterKeys = ['title', 'shell', 'cwd', 'env', 'inputs', 'defaults'] as const;

export const emptyFrontmatter: Frontmatter = {env: {}, inputs: {}, defaults: {}};

// `value` is the YAML text; `firstLine` the 1-based line it starts on.
export function parseFrontmatter(value: string, firstLine: number, sink: DiagnosticSink): Frontmatter {
  const lineCounter = new LineCounter();
  const document = parseDocument(value, {lineCounter, prettyErrors: false, uniqueKeys: true});
  const at = (offset: number): {line: number; column: number} => {
    const {line, col} = lineCounter.linePos(offset);
    return {line: line + firstLine - 1, column: col};
  };
  const positionOf = (range: readonly number[] | undefined): Position => {
    const start = at(range?.[0] ?? 0);
    const end = at(range?.[1] ?? range?.[0] ?? 0);
    return {start: {...start, offset: range?.[0] ?? 0}, end: {...end, offset: range?.[1] ?? 0}};
  };

  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const message = error.message.split('\n')[0] ?? error.message;
      sink.error(`Unexpected YAML in frontmatter: ${message}`, 'yaml-syntax', at(error.pos[0]));
    }
    return emptyFrontmatter;
  }
  const data: unknown = document.toJS();
  if (data === null || data === undefined) return emptyFrontmatter;
  if (!isMap(document.contents)) {
    sink.error('Unexpected frontmatter, expected a YAML map of keys such as `title`, `env` and `inputs`', 'frontmatter-schema', at(0));
    return emptyFrontmatter;
  }

  for (const pair of document.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(frontmatterKeys as readonly string[]).includes(key)) {
      sink.warning(`Unexpected frontmatter key \`${key}\`, expected one of ${frontmatterKeys.map((name) => `\`${name}\``).join(', ')}; it is ignored`,
        'unknown-frontmatter-key', positionOf(isScalar(pair.key) ? pair.key.range ?? undefined : undefined).start);
    }
  }

  // Each key is checked on its own, so one mistake does not hide the rest
  // (a bad `inputs` entry must not make every `{{NAME}}` look undefined).
  const parsed: z.infer<typeof frontmatterSchema> = {};
  const record = data as Record<string, unknown>;
  for (const key of frontmatterKeys) {
    if (!(key in record)) continue;
    const entries = (key === 'inputs' || key === 'env') && isPlainObject(record[key]) ? Object.entries(record[key]) : [[undefined, record[key]] as const];
    for (const [name, value] of entries) {
      const result = frontmatterSchema.safeParse(name === undefined ? {[key]: value} : {[key]: {[name]: value}});
      if (result.success) {
        Object.assign(parsed, name === undefined ? result.data : {[key]: {...(parsed[key] as object | undefined), ...(result.data[key] as object)}});
        continue;
      }
      for (const issue of result.error.issues) {
        const path = issue.path.map(String);
        const place = keyPosition(document, path, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined, positionOf);
        sink.error(describeIssue(issue, path, document), 'frontmatter-schema', place.start);
      }
    }
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
      secret: 'secret' in spec ? spec.secret === true : false,
      required: 'required' in spec && spec.required !== undefined ? spec.required : !('default' in spec && spec.default !== undefined),
      position,
    };
    const problem = input.default === undefined ? undefined : validateInputValue(input, input.default);
    if (problem !== undefined) {
      sink.error(`Unexpected default \`${input.default}\` for input \`${name}\`: ${problem}`, 'invalid-default',
        keyPosition(document, ['inputs', name, 'default'], undefined, positionOf).start);
    }
    inputs[name] = input;
  }
  for (const name of Object.keys(parsed.env ?? {})) {
    if (name in inputs) {
      sink.error(`Unexpected \`${name}\` in both \`env\` and \`inputs\`, expected each variable once`, 'duplicate-variable',
        keyPosition(document, ['inputs', name], undefined, positionOf).start);
    }
  }
  return {
    ...(parsed.title === undefined ? {} : {title: parsed.title}),
    ...(parsed.shell === undefined ? {} : {shell: parsed.shell}),
    ...(parsed.cwd === undefined ? {} : {cwd: parsed.cwd}),
    env: parsed.env ?? {},
    inputs,
    defaults: {
      ...(parsed.defaults?.timeout === undefined ? {} : {timeout: parsed.defaults.timeout}),
      ...(parsed.defaults?.retries === undefined ? {} : {retries: parsed.defaults.retries}),
      ...(parsed.defaults?.interval === undefined ? {} : {interval: parsed.defaults.interval}),
    },
  };
}

// Why `value` is not acceptable for `input`, or undefined when it is.
export function validateInputValue(input: InputSpec, value: string): string | undefined {
  if (input.choices !== undefined && !input.choices.includes(value)) {
    return `expected one of ${input.choices.map((choice) => `\`${choice}\``).join(', ')}`;
  }
  if (input.pattern !== undefined && !new RegExp(input.pattern).test(value)) {
    return `expected a value matching /${input.pattern}/`;
  }
  if (input.required && value === '') return 'expected a value (the input is required)';
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  if (issue.code === 'unrecognized_keys') {
    const parent = path.at(-1);
    return `Unexpected key \`${issue.keys.join('`, `')}\` in ${where}, expected ${parent === 'defaults' ? '`timeout`, `retries` or `interval`' : '`description`, `default`, `pattern`, `choices`, `secret` or `required`'}`;
  }
  const actual: unknown = path.length === 0 ? undefined : document.getIn(path);
  const shown = actual === undefined ? 'value' : `\`${typeof actual === 'object' ? JSON.stringify(actual) : String(actual)}\``;
  if (issue.code === 'invalid_type') return `Unexpected ${shown} for ${where}, expected ${issue.expected === 'record' ? 'a map' : `a ${issue.expected}`}`;
  return `Unexpected ${shown} for ${where}, expected ${issue.message}`;
}
