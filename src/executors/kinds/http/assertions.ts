import type {HttpAssertion} from './request.js';
import {jsonPathValue} from '../../../runbook/json-path.js';
import type {HttpAssertionResult} from '../../types.js';

// Evaluates `?? subject [target] operator [expected]` against a response.
// Values compare as numbers when both sides are numbers, otherwise as text;
// a quoted expected value (`"200"`) always compares as text. Header values
// and the whole body are text, so `isNumber` there means "reads as a
// number"; JSONPath values keep their JSON types. A missing value (absent
// header, no JSONPath match, no JSON body) satisfies no operator.

export interface HttpResponseFacts {
  readonly status: number;
  // lower-case names
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  // undefined when the body is not JSON
  readonly json: unknown;
  readonly durationMs: number;
}

type Operand = {readonly kind: 'text' | 'typed'; readonly value: unknown};

const numberPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const shownLimit = 200;

export function evaluateAssertions(assertions: readonly HttpAssertion[], response: HttpResponseFacts): HttpAssertionResult[] {
  return assertions.map((assertion) => evaluateAssertion(assertion, response));
}

export function evaluateAssertion(assertion: HttpAssertion, response: HttpResponseFacts): HttpAssertionResult {
  const operand = subjectValue(assertion, response);
  return {source: assertion.source, passed: holds(assertion.operator, operand, assertion.expected), actual: show(operand.value)};
}

function subjectValue(assertion: HttpAssertion, response: HttpResponseFacts): Operand {
  switch (assertion.subject) {
    case 'status':
      return {kind: 'typed', value: response.status};
    case 'duration':
      return {kind: 'typed', value: response.durationMs};
    case 'header':
      return {kind: 'text', value: response.headers[assertion.target.toLowerCase()]};
    case 'body':
      return assertion.target === ''
        ? {kind: 'text', value: response.body}
        : {kind: 'typed', value: jsonPathValue(response.json, assertion.target)};
  }
}

function holds(operator: string, {kind, value}: Operand, expectedSource: string): boolean {
  if (value === undefined) return false;
  const expected = parseExpected(expectedSource);
  const text = textOf(value);
  switch (operator) {
    case '==':
    case 'equals':
      return equal(value, expected);
    case '!=':
      return !equal(value, expected);
    case '>':
      return compare(value, expected) > 0;
    case '>=':
      return compare(value, expected) >= 0;
    case '<':
      return compare(value, expected) < 0;
    case '<=':
      return compare(value, expected) <= 0;
    case 'startsWith':
      return text.startsWith(expected.text);
    case 'endsWith':
      return text.endsWith(expected.text);
    case 'includes':
    case 'contains':
      return Array.isArray(value) ? value.some((item: unknown) => equal(item, expected)) : text.includes(expected.text);
    case 'matches':
      return matches(text, expected.text);
    case 'exists':
      return kind === 'typed' || value !== '';
    case 'isTrue':
      return kind === 'typed' ? value === true : value === 'true';
    case 'isFalse':
      return kind === 'typed' ? value === false : value === 'false';
    case 'isNumber':
      return kind === 'typed' ? typeof value === 'number' : numberPattern.test(text.trim());
    case 'isBoolean':
      return kind === 'typed' ? typeof value === 'boolean' : value === 'true' || value === 'false';
    case 'isString':
      return typeof value === 'string';
    case 'isArray':
      return Array.isArray(value);
    default:
      return false;
  }
}

interface Expected {
  readonly text: string;
  readonly number: number | undefined;
}

function parseExpected(source: string): Expected {
  const quoted = /^"(.*)"$|^'(.*)'$/s.exec(source);
  if (quoted) return {text: quoted[1] ?? quoted[2] ?? '', number: undefined};
  return {text: source, number: asNumber(source)};
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && numberPattern.test(value.trim())) return Number(value);
  return undefined;
}

function equal(value: unknown, expected: Expected): boolean {
  const actual = asNumber(value);
  if (actual !== undefined && expected.number !== undefined) return actual === expected.number;
  return textOf(value) === expected.text;
}

function compare(value: unknown, expected: Expected): number {
  const actual = asNumber(value);
  if (actual !== undefined && expected.number !== undefined) return Math.sign(actual - expected.number);
  const text = textOf(value);
  return text < expected.text ? -1 : text > expected.text ? 1 : 0;
}

function matches(text: string, pattern: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? String(value);
}

function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = textOf(value);
  return text.length > shownLimit ? `${text.slice(0, shownLimit)}…` : text;
}
