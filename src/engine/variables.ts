import {parse as parseDotenv} from 'dotenv';
import {validateEnvValue, validateInputValue} from '../runbook/frontmatter.js';
import type {InputSpec, Runbook} from '../runbook/model.js';
import type {InputEvent} from './events.js';
import {placeholderInputs} from './placeholder-inputs.js';

// Where a variable's value came from, strongest first: `--set` >
// `--set-file` > `--set-stdin` > `--env-file` > the environment > the
// runbook (env value or input default).
export type VariableSource = InputEvent['source'];

export interface VariableSources {
  readonly set: Readonly<Record<string, string>>;
  // values read from files and from stdin, which never pass through argv:
  // always treated as secrets
  readonly setFile?: Readonly<Record<string, string>>;
  readonly stdin?: Readonly<Record<string, string>>;
  readonly envFile: Readonly<Record<string, string>>;
  readonly environment: Readonly<Record<string, string | undefined>>;
  // values recorded by an earlier attempt of the same run (non-secret only)
  readonly transcript?: Readonly<Record<string, string>>;
}

export interface ResolvedVariable {
  readonly name: string;
  readonly value: string;
  readonly source: VariableSource;
  readonly secret: boolean;
}

export interface VariableResolution {
  readonly resolved: ResolvedVariable[];
  // inputs with no value yet: an interactive operator is asked for them
  readonly missing: InputSpec[];
  // values given but not acceptable: `NAME: why` lines, each names its source
  readonly problems: string[];
  // env-file names the runbook does not declare (PATH, …): exported to children
  readonly extraEnv: Readonly<Record<string, string>>;
}

const sourceLabels: Record<VariableSource, string> = {
  set: '--set',
  'set-file': '--set-file',
  stdin: '--set-stdin',
  'env-file': '--env-file',
  environment: 'the environment',
  default: 'the runbook default',
  prompt: 'the prompt',
  transcript: 'the earlier attempt',
};

// Values passed this way are secrets, whatever the runbook declares.
const secretSources: ReadonlySet<VariableSource> = new Set(['set-file', 'stdin']);

export function describeSource(source: VariableSource): string {
  return sourceLabels[source];
}

// Parses `--set NAME=VALUE` arguments (`--set-file NAME=PATH` with `flag` and `what`).
export function parseSetArguments(values: readonly string[], flag = '--set', what = 'VALUE'): {values: Record<string, string>; problems: string[]} {
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const item of values) {
    const equals = item.indexOf('=');
    const name = equals < 0 ? item : item.slice(0, equals);
    if (equals < 0 || !isVariableName(name)) {
      problems.push(`${flag} ${item}: expected NAME=${what} with a variable name of letters, digits and _`);
      continue;
    }
    out[name] = item.slice(equals + 1);
  }
  return {values: out, problems};
}

export function isVariableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

export function parseEnvFile(text: string): Record<string, string> {
  return parseDotenv(text);
}

export function resolveVariables(runbook: Runbook, sources: VariableSources): VariableResolution {
  const {env} = runbook.frontmatter;
  // a placeholder a block uses (`<node-name>`, `$POD`) is an input too
  const inputs = Object.fromEntries([...Object.values(runbook.frontmatter.inputs), ...placeholderInputs(runbook)].map((input) => [input.name, input]));
  const resolved: ResolvedVariable[] = [];
  const missing: InputSpec[] = [];
  const problems: string[] = [];
  const declared = new Set([...Object.keys(env), ...Object.keys(inputs)]);

  const explicit = [['set', sources.set], ['set-file', sources.setFile ?? {}], ['stdin', sources.stdin ?? {}]] as const;
  const givenBy = new Map<string, VariableSource>();
  for (const [source, values] of explicit) {
    for (const name of Object.keys(values)) {
      const earlier = givenBy.get(name);
      if (earlier !== undefined) problems.push(`${name}: given by both ${describeSource(earlier)} and ${describeSource(source)}; give it once`);
      givenBy.set(name, source);
      if (!declared.has(name)) {
        problems.push(`${name}: ${describeSource(source)} names a variable the runbook does not declare nor use as a placeholder; declare it under \`env\` or \`inputs\` in the frontmatter (known: ${[...declared].join(', ') || 'none'})`);
      }
    }
  }

  const given = (name: string): {value: string; source: VariableSource} | undefined => {
    for (const [source, values] of explicit) {
      const value = values[name];
      if (value !== undefined) return {value, source};
    }
    const fromFile = sources.envFile[name];
    if (fromFile !== undefined) return {value: fromFile, source: 'env-file'};
    const fromEnvironment = sources.environment[name];
    if (fromEnvironment !== undefined) return {value: fromEnvironment, source: 'environment'};
    const fromTranscript = sources.transcript?.[name];
    if (fromTranscript !== undefined) return {value: fromTranscript, source: 'transcript'};
    return undefined;
  };

  for (const [name, value] of Object.entries(env)) {
    const found = given(name) ?? {value, source: 'default' as const};
    const problem = validateEnvValue(runbook.frontmatter, name, found.value);
    if (problem !== undefined) {
      problems.push(`${name}: the value from ${describeSource(found.source)} is not valid: ${problem}`);
      continue;
    }
    resolved.push({name, ...found, secret: secretSources.has(found.source)});
  }
  for (const input of Object.values(inputs)) {
    const found = given(input.name);
    if (found === undefined) {
      missing.push(input);
      continue;
    }
    const problem = validateInputValue(input, found.value);
    if (problem !== undefined) {
      problems.push(`${input.name}: the value from ${describeSource(found.source)} is not valid: ${problem}`);
      continue;
    }
    resolved.push({name: input.name, ...found, secret: input.secret || secretSources.has(found.source)});
  }

  const extraEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(sources.envFile)) {
    if (!declared.has(name)) extraEnv[name] = value;
  }
  return {resolved, missing, problems, extraEnv};
}

// The value an input takes when nobody is asked: its default, if valid.
export function defaultValue(input: InputSpec): string | undefined {
  if (input.default !== undefined) return input.default;
  return input.required ? undefined : '';
}

// Headless runs ask nobody: missing inputs take their defaults; what is left
// in `missing` has no value at all.
export function applyDefaults(resolution: VariableResolution): VariableResolution {
  const resolved = [...resolution.resolved];
  const missing: InputSpec[] = [];
  for (const input of resolution.missing) {
    const value = defaultValue(input);
    if (value === undefined) missing.push(input);
    else resolved.push({name: input.name, value, source: 'default', secret: input.secret});
  }
  return {...resolution, resolved, missing};
}
