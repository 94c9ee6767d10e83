import {evaluate} from '@marcbachmann/cel-js';
import {parseDuration} from './duration.js';

// The types a variable (an `env` value, an input or a capture) can declare.
// Values stay strings everywhere (shell nodes receive them as environment
// variables); the type says which strings are valid, checked where a value
// enters the run, and what a condition sees: a CEL int, double, bool or
// duration instead of a string.
export const variableTypes = ['string', 'integer', 'number', 'boolean', 'duration'] as const;
export type VariableType = (typeof variableTypes)[number];

// The CEL type a condition sees for a variable of each type.
export const celTypeNames: Readonly<Record<VariableType, string>> = {
  string: 'string',
  integer: 'int',
  number: 'double',
  boolean: 'bool',
  duration: 'google.protobuf.Duration',
};

// What each type accepts, as the end of "expected …".
export const typeExpectations: Readonly<Record<VariableType, string>> = {
  string: 'any text',
  integer: 'an integer such as `42` or `-3`',
  number: 'a number such as `0.75`, `12` or `1e3`',
  boolean: '`true` or `false`',
  duration: 'a duration such as `500ms`, `10s`, `1.5m` or `1h`',
};

// Each type in a word, for messages.
export const typeNouns: Readonly<Record<VariableType, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  duration: 'a duration',
};

const integerText = /^[+-]?\d+$/;
const numberText = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
// CEL ints are 64-bit
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

export function isVariableType(name: unknown): name is VariableType {
  return typeof name === 'string' && (variableTypes as readonly string[]).includes(name);
}

// Why `text` is not a value of `type` ("expected …"), or undefined when it is.
export function typeProblem(type: VariableType, text: string): string | undefined {
  return celValue(type, text) === undefined ? `expected ${typeExpectations[type]}` : undefined;
}

// The value a condition sees for `text` of `type`; undefined when `text` is
// not a value of that type.
export function celValue(type: VariableType, text: string): unknown {
  switch (type) {
    case 'string':
      return text;
    case 'integer': {
      if (!integerText.test(text)) return undefined;
      const value = BigInt(text);
      return value < int64Min || value > int64Max ? undefined : value;
    }
    case 'number': {
      if (!numberText.test(text)) return undefined;
      const value = Number(text);
      return Number.isFinite(value) ? value : undefined;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'duration':
      // our spelling (`1.5m`) is a subset of CEL's (Go's), so CEL reads it
      if (text.trim() !== text || parseDuration(text) === undefined) return undefined;
      try {
        return evaluate('duration(text)', {text});
      } catch {
        return undefined;
      }
  }
}
