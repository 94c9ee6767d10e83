import {Environment, ParseError} from '@marcbachmann/cel-js';

// `if=` conditions are CEL expressions (https://cel.dev): safe by design,
// no loops, no side effects, no access to anything but the names we pass in.

export interface ConditionProblem {
  readonly message: string;
  // index into the expression text
  readonly offset: number;
  readonly kind: 'syntax' | 'unknown-name' | 'type';
}

// A checker for one runbook: every name a condition may use, declared once.
export class ConditionChecker {
  readonly #environment: Environment;

  constructor(names: Iterable<string>) {
    this.#environment = new Environment({unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false});
    for (const name of new Set(names)) {
      if (isConditionName(name)) this.#environment.registerVariable(name, 'dyn');
    }
  }

  check(expression: string): ConditionProblem | undefined {
    try {
      const result = this.#environment.check(expression);
      if (result.valid) return undefined;
      return describe(result.error, 'type');
    } catch (error) {
      return describe(error, 'syntax');
    }
  }
}

// Names CEL already owns (`int`, `string`, `optional`, …) cannot name a
// variable or a block in a condition; they are left out rather than shadowed.
const builtins = new Set<string>();
{
  const probe = new Environment();
  for (const name of ['bool', 'bytes', 'double', 'duration', 'dyn', 'int', 'list', 'map', 'null_type', 'optional', 'string', 'timestamp', 'type', 'uint']) {
    try {
      probe.registerVariable(name, 'dyn');
    } catch {
      builtins.add(name);
    }
  }
}

// Whether `name` (a variable, capture or block id) can be used in a condition.
export function isConditionName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !reserved.has(name) && !builtins.has(name);
}

// Where `expression` names one of `defined` (the runbook's variables,
// captures and block ids) that CEL reserves: there the name means CEL's own
// (`type`, `int`, …), so the condition would read something else than meant.
// Calls (`int(x)`), fields (`a.type`) and string literals are not names.
export function reservedNamesUsed(expression: string, defined: ReadonlySet<string>): {name: string; offset: number}[] {
  const found: {name: string; offset: number}[] = [];
  let index = 0;
  while (index < expression.length) {
    const char = expression[index] ?? '';
    if (char === '"' || char === "'") {
      const quote = expression.startsWith(char.repeat(3), index) ? char.repeat(3) : char;
      const raw = /[rR]/.test(expression[index - 1] ?? '') && !/\w/.test(expression[index - 2] ?? '');
      index += quote.length;
      while (index < expression.length && !expression.startsWith(quote, index)) index += !raw && expression[index] === '\\' ? 2 : 1;
      index += quote.length;
      continue;
    }
    identifier.lastIndex = index;
    const name = identifier.exec(expression)?.[0];
    if (name === undefined) {
      index += 1;
      continue;
    }
    let before = index - 1;
    while (/\s/.test(expression[before] ?? '')) before -= 1;
    spaceThenParenthesis.lastIndex = index + name.length;
    const member = expression[before] === '.';
    const call = spaceThenParenthesis.test(expression);
    if (!member && !call && defined.has(name) && (reserved.has(name) || builtins.has(name))) found.push({name, offset: index});
    index += name.length;
  }
  return found;
}

const identifier = /[A-Za-z_]\w*/y;
const spaceThenParenthesis = /\s*\(/y;

const reserved = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

function describe(error: unknown, fallbackKind: ConditionProblem['kind']): ConditionProblem {
  const node = (error as {node?: {pos?: number; start?: number}} | undefined)?.node;
  const offset = node?.start ?? node?.pos ?? 0;
  const firstLine = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
  const kind = error instanceof ParseError ? 'syntax' : /Unknown variable/.test(firstLine) ? 'unknown-name' : fallbackKind;
  return {message: firstLine, offset, kind};
}

export interface ConditionContext {
  readonly [name: string]: unknown;
}

// Evaluates a condition over results and variables; a CEL error (say, a
// field missing at run time) is returned, never thrown.
export function evaluateCondition(expression: string, context: ConditionContext): {ok: true; value: boolean} | {ok: false; message: string} {
  const environment = new Environment({unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false});
  try {
    const value: unknown = environment.evaluate(expression, context as Record<string, unknown>);
    if (typeof value !== 'boolean') return {ok: false, message: `condition \`${expression}\` gave ${typeof value === 'bigint' ? 'an int' : typeof value}, expected true or false`};
    return {ok: true, value};
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    return {ok: false, message};
  }
}
