import {createContext, runInContext} from 'node:vm';
import {Environment, ParseError} from '@marcbachmann/cel-js';
import {formatDuration} from './duration.js';
import {conditionTimeLimitMs, maxConditionDepth, maxConditionNodes} from './limits.js';
import {isSafePattern, isValidPattern} from './patterns.js';

// `if=` conditions are CEL expressions (https://cel.dev): safe by design,
// no loops, no side effects, no access to anything but the names we pass in.

export interface ConditionProblem {
  readonly message: string;
  // index into the expression text
  readonly offset: number;
  readonly kind: 'syntax' | 'unknown-name' | 'type';
}

// CEL's parse-time limits, so that no condition overflows the stack.
const limits = {maxAstNodes: maxConditionNodes, maxDepth: maxConditionDepth};

// A name's declared CEL type (`int`, `string`, …) for the checker; a
// string may be one for want of a `type`, which messages then suggest.
export interface DeclaredType {
  readonly cel: string;
  readonly implicit: boolean;
  // where the name is declared, to say how to give it a type
  readonly origin: 'env' | 'input' | 'capture';
}

// A checker for one runbook: every name a condition may use, declared once,
// with its type where it has one (`dyn`, anything, otherwise).
export class ConditionChecker {
  readonly #environment: Environment;
  readonly #types: ReadonlyMap<string, DeclaredType>;

  constructor(names: Iterable<string>, types: ReadonlyMap<string, DeclaredType> = new Map()) {
    this.#environment = new Environment({unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false, limits});
    this.#types = types;
    for (const name of new Set(names)) {
      if (isConditionName(name)) this.#environment.registerVariable(name, types.get(name)?.cel ?? 'dyn');
    }
  }

  // What is wrong with a whole condition: as `checkPart`, and it must give
  // a boolean (`if="'yes'"` type-checks, and can only fail when it runs).
  check(expression: string): ConditionProblem | undefined {
    const problem = this.#checkPart(expression);
    if (problem !== undefined || this.#resultType(expression) === undefined) return problem;
    const type = this.#resultType(expression) ?? '';
    if (type === 'bool' || type.startsWith('dyn')) return undefined;
    return {kind: 'type', offset: 0, message: `it gives ${typeWord(type)}, expected true or false (a condition such as \`health.failed\` or \`COUNT > 0\`)`};
  }

  #resultType(expression: string): string | undefined {
    try {
      return this.#environment.check(expression).type;
    } catch {
      return undefined;
    }
  }

  #checkPart(expression: string): ConditionProblem | undefined {
    try {
      const result = this.#environment.check(expression);
      if (result.valid) return undefined;
      const problem = describe(result.error, 'type');
      return problem.kind === 'type' ? {...problem, message: problem.message + typeHint(result.error, expression, this.#types)} : problem;
    } catch (error) {
      return describe(error, 'syntax');
    }
  }

  // Every type mistake of a condition whose first is `first`: each operand
  // of `&&` and `||` is checked on its own, so `A == 1 || B > 'x'` gives
  // two; where the operands are fine alone, the mistake is in combining
  // them (`ok && 'yes'`), and `first` stands.
  typeProblems(expression: string, first: ConditionProblem): ConditionProblem[] {
    let ast: unknown;
    try {
      ast = this.#environment.parse(expression).ast;
    } catch {
      return [first];
    }
    const logical = (node: unknown): node is {args: unknown[]} => {
      const {op, args} = (node ?? {}) as {op?: unknown; args?: unknown};
      return (op === '&&' || op === '||') && Array.isArray(args);
    };
    const found: ConditionProblem[] = [];
    const inside = (node: {args: unknown[]}, depth: number): void => {
      if (depth > maxConditionDepth * 4) return;
      for (const arg of node.args) {
        if (logical(arg)) {
          inside(arg, depth + 1);
          continue;
        }
        const {start, end} = arg as {start?: unknown; end?: unknown};
        if (typeof start !== 'number' || typeof end !== 'number') continue;
        // a part that does not read alone (a parenthesis cut off) is left to `first`
        const problem = this.#checkPart(expression.slice(start, end));
        if (problem?.kind === 'type') found.push({...problem, offset: problem.offset + start});
      }
    };
    if (logical(ast)) inside(ast, 0);
    if (!found.some((each) => each.offset === first.offset)) found.push(first);
    return found.sort((a, b) => a.offset - b.offset);
  }

  // What is probably wrong with a condition that type-checks: an ordering
  // (`<`, `<=`, `>`, `>=`) with a variable or capture that has no `type` (a
  // string) on one side, which compares text (`"24" > "100"` is true); a
  // `matches()` pattern that can backtrack catastrophically.
  warnings(expression: string): {message: string; offset: number; ruleId: 'untyped-comparison' | 'unsafe-pattern'}[] {
    let ast: unknown;
    try {
      ast = this.#environment.parse(expression).ast;
    } catch {
      return [];
    }
    const found: {message: string; offset: number; ruleId: 'untyped-comparison' | 'unsafe-pattern'}[] = [];
    const visit = (node: unknown, depth: number): void => {
      if (typeof node !== 'object' || node === null || depth > maxConditionDepth * 4) return;
      if (Array.isArray(node)) {
        for (const item of node) visit(item, depth + 1);
        return;
      }
      const {op, args, start} = node as {op?: unknown; args?: unknown; start?: unknown};
      if (typeof op === 'string' && ordering.has(op) && Array.isArray(args)) {
        const untyped = (args as {op?: unknown; args?: unknown}[]).find((arg) => arg.op === 'id' && typeof arg.args === 'string' && this.#types.get(arg.args)?.implicit === true);
        const name = untyped?.args as string | undefined;
        const type = name === undefined ? undefined : this.#types.get(name);
        if (name !== undefined && type !== undefined) {
          found.push({offset: typeof start === 'number' ? start : 0, ruleId: 'untyped-comparison',
            message: `Unexpected \`${op}\` on text in condition \`${expression}\`: \`${name}\` has no \`type\`, so it is a string and \`${op}\` compares text (\`"24" > "100"\` is true); ${howToType[type.origin](name)}`});
        }
      }
      const pattern = op === 'rcall' && Array.isArray(args) && args[0] === 'matches' ? (args[2] as unknown[] | undefined)?.[0]
        : op === 'call' && Array.isArray(args) && args[0] === 'matches' ? (args[1] as unknown[] | undefined)?.[1] : undefined;
      const {op: patternOp, args: text, start: at} = (pattern ?? {}) as {op?: unknown; args?: unknown; start?: unknown};
      if (patternOp === 'value' && typeof text === 'string' && isValidPattern(text) && !isSafePattern(text)) {
        found.push({offset: typeof at === 'number' ? at : 0, ruleId: 'unsafe-pattern',
          message: `Unexpected pattern \`${text}\` in \`matches()\`: it can backtrack catastrophically on some text (an unbounded repetition inside another); at run time the condition is stopped after ${formatDuration(conditionTimeLimitMs)} and cannot be evaluated, expected a pattern without nested repetition`});
      }
      if (Array.isArray(args)) visit(args, depth + 1);
    };
    visit(ast, 0);
    return found;
  }
}

const ordering = new Set(['<', '<=', '>', '>=']);

const celTypeWords: Readonly<Record<string, string>> = {
  string: 'a string', int: 'an integer', double: 'a number', bool: 'a boolean', 'google.protobuf.Duration': 'a duration',
};

const howToType: Readonly<Record<DeclaredType['origin'], (name: string) => string>> = {
  env: (name) => `declare its type, such as \`${name}: {value: 100, type: integer}\``,
  input: () => 'declare its type, such as `type: integer`',
  capture: (name) => `declare the capture's type, such as \`capture=${name}:integer\``,
};

// What to do about a type mistake whose operand is a variable: say what
// type it has, and for an untyped one (a string) how to give it another.
function typeHint(error: unknown, expression: string, types: ReadonlyMap<string, DeclaredType>): string {
  const args = (error as {node?: {args?: unknown}} | undefined)?.node?.args;
  if (!Array.isArray(args)) return '';
  for (const arg of args as {start?: unknown; end?: unknown}[]) {
    if (typeof arg.start !== 'number' || typeof arg.end !== 'number') continue;
    const name = expression.slice(arg.start, arg.end).trim();
    const type = types.get(name);
    if (type === undefined) continue;
    if (type.implicit) return `; \`${name}\` is a string (without a \`type\`, variables and captures are strings): ${howToType[type.origin](name)}, or compare it with a string`;
    const mixed = type.cel === 'double' && /\bint\b/.test(conditionMessage(error)) ? ' (write whole numbers compared with it as `1.0`)' : '';
    return `; \`${name}\` is ${celTypeWords[type.cel] ?? type.cel}${mixed}`;
  }
  return '';
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
  const firstLine = conditionMessage(error);
  const kind = error instanceof ParseError || error instanceof RangeError ? 'syntax' : /Unknown variable/.test(firstLine) ? 'unknown-name' : fallbackKind;
  return {message: firstLine, offset, kind};
}

const limitWords: Readonly<Record<string, string>> = {
  maxAstNodes: 'parts (names, operators and values)',
  maxDepth: 'levels of nesting',
  maxListElements: 'list elements',
  maxMapEntries: 'map entries',
  maxCallArguments: 'arguments in one call',
};

// The first line of a CEL error, in words for the operator: CEL's limits
// and a JavaScript stack overflow are not shown as they are.
function conditionMessage(error: unknown): string {
  const firstLine = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
  const limit = /^Exceeded (\w+) \((\d+)\)/.exec(firstLine);
  if (limit !== null) return `more than ${limit[2] ?? ''} ${limitWords[limit[1] ?? ''] ?? limit[1] ?? ''}, expected a shorter condition`;
  if (error instanceof RangeError) return 'too long or too deeply nested to read, expected a shorter condition';
  // CEL's name for the type `duration('5m')` returns
  return firstLine.replaceAll('google.protobuf.Duration', 'duration');
}

// At run time the operator reads the message at a failure decision: a type
// mistake is said in words, with what to do.
function runTimeMessage(error: unknown): string {
  const message = conditionMessage(error);
  const overload = /^no such overload: (\S+) (\S+) (\S+)$/.exec(message);
  if (overload === null) return message;
  const [, left = '', op = '', right = ''] = overload;
  return `\`${op}\` cannot take ${typeWord(left)} and ${typeWord(right)} (${message}); values without a \`type\` are strings: declare the type of the input, env value or capture`;
}

// `dyn<string>` (a value known only at run time) is a string to the operator.
function typeWord(celType: string): string {
  const type = /^dyn<(.+)>$/.exec(celType)?.[1] ?? celType;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export interface ConditionContext {
  readonly [name: string]: unknown;
}

// Evaluation runs under a time limit: `stdout.matches('^(a+)+$')` can
// backtrack for ever on some output.
const sandbox = createContext({});

// Evaluates a condition over results and variables; a CEL error (say, a
// field missing at run time) is returned, never thrown.
export function evaluateCondition(expression: string, context: ConditionContext, limitMs = conditionTimeLimitMs): {ok: true; value: boolean} | {ok: false; message: string} {
  const environment = new Environment({unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false, limits});
  try {
    sandbox['evaluate'] = () => environment.evaluate(expression, context as Record<string, unknown>);
    let value: unknown;
    try {
      value = runInContext('evaluate()', sandbox, {timeout: limitMs});
    } catch (error) {
      if ((error as {code?: unknown}).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
      return {ok: false, message: `took longer than ${formatDuration(limitMs)} to evaluate and was stopped (a \`matches()\` pattern that backtracks too much?)`};
    } finally {
      sandbox['evaluate'] = undefined;
    }
    if (typeof value !== 'boolean') return {ok: false, message: `condition \`${expression}\` gave ${typeof value === 'bigint' ? 'an int' : typeof value}, expected true or false`};
    return {ok: true, value};
  } catch (error) {
    return {ok: false, message: runTimeMessage(error)};
  }
}
