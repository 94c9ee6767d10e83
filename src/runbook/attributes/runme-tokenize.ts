import {tokenizeAttributes, type AttributeToken, type TokenizeError, type TokenizeResult} from './tokenize.js';

// Runme writes fence attributes as JSON (`{"name":"x","interactive":"false"}`)
// and, in older files, mixes its `key=value` form with JSON members
// (`{ cwd=.. "id":"01HP…"}`). This reads both into the same tokens our own
// `{…}` gives, so one schema types them. Offsets are indexes into `text`.

// A JSON member starts where a name could start: `"key"` then `:`.
const jsonMember = /"(?:[^"\\\r\n]|\\.)*"\s*:/y;

// Whether `text[from, to)` holds at least one JSON member, which our own
// syntax never has (a `"` where a name goes is an error), so reading it as
// Runme's cannot change what a runbook written in ours means.
export function hasJsonMembers(text: string, from: number, to: number): boolean {
  return nextJsonMember(text, from, to) !== undefined;
}

// The offset of the next JSON member from `from`, past our own quoted
// values (`confirm='Type "yes": then'` holds none).
function nextJsonMember(text: string, from: number, to: number): number | undefined {
  let index = from;
  while (index < to) {
    const char = text[index];
    if (char === '=' && (text[index + 1] === '"' || text[index + 1] === "'")) {
      index = quotedEnd(text, index + 1, to);
      continue;
    }
    if (char === '"' && (index === from || /[\s,{]/.test(text[index - 1] ?? ''))) {
      jsonMember.lastIndex = index;
      const match = jsonMember.exec(text);
      if (match !== null && index + match[0].length <= to) return index;
    }
    index += 1;
  }
  return undefined;
}

// Just past the quote closing the one at `start` (or `to`), as tokenize.ts
// reads our values: `\` escapes in double quotes only.
function quotedEnd(text: string, start: number, to: number): number {
  const quote = text[start];
  let index = start + 1;
  while (index < to) {
    if (text[index] === '\\' && quote === '"') {
      index += 2;
      continue;
    }
    if (text[index] === quote) return index + 1;
    index += 1;
  }
  return to;
}

// Tokenizes the inside of `{…}` when it holds JSON members; undefined when
// it does not (then it is ours, for `tokenizeAttributes`). The words between
// JSON members (`cwd=..` above) are read by `tokenizeAttributes`.
export function tokenizeRunmeAttributes(text: string, from = 0, to = text.length): TokenizeResult | undefined {
  if (!hasJsonMembers(text, from, to)) return undefined;
  const tokens: AttributeToken[] = [];
  const errors: TokenizeError[] = [];
  let index = from;
  const skipSeparators = (): void => {
    while (index < to && (/\s/.test(text[index] ?? '') || text[index] === ',')) index += 1;
  };
  while (index < to) {
    skipSeparators();
    if (index >= to) break;
    const member = nextJsonMember(text, index, to);
    if (member !== index) {
      // our own words up to the next JSON member, less the `,` before it
      let end = member ?? to;
      while (end > index && (/\s/.test(text[end - 1] ?? '') || text[end - 1] === ',')) end -= 1;
      const words = tokenizeAttributes(text, index, end);
      tokens.push(...words.tokens);
      errors.push(...words.errors);
      index = member ?? to;
      continue;
    }
    const key = readJsonString(text, index, to);
    if (key === undefined) break;
    index = key.end;
    while (index < to && /\s/.test(text[index] ?? '')) index += 1;
    // `:` is there: nextJsonMember matched it
    index += 1;
    while (index < to && /\s/.test(text[index] ?? '')) index += 1;
    const value = readJsonValue(text, index, to);
    if (!value.ok) {
      errors.push(value.error);
      index = value.resume;
      continue;
    }
    index = value.end;
    // `null` is Runme's way of leaving an attribute out
    if (value.text !== null) {
      const text = sharedBooleans.has(key.value) ? goBoolean(value.text) : value.text;
      tokens.push({kind: 'pair', key: key.value, value: text, quoted: value.quoted, start: key.start, end: value.end, valueStart: value.start, escapes: value.escapes});
    }
  }
  return {tokens, errors};
}

// Runme's booleans that are ours too, and the spellings Runme takes for
// them (Go's strconv.ParseBool): `"1"`, `"True"`, `"t"` are `true`.
const sharedBooleans = new Set(['interactive', 'background']);
const goTrue = new Set(['1', 't', 'T', 'TRUE', 'True']);
const goFalse = new Set(['0', 'f', 'F', 'FALSE', 'False']);
function goBoolean(text: string): string {
  return goTrue.has(text) ? 'true' : goFalse.has(text) ? 'false' : text;
}

interface JsonString {
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly escapes: number[];
}

const simpleEscapes: Readonly<Record<string, string>> = {'"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'};

// A JSON string from its opening quote at `start`; undefined when it is
// never closed before `to`.
function readJsonString(text: string, start: number, to: number): JsonString | undefined {
  let index = start + 1;
  let value = '';
  const escapes: number[] = [];
  while (index < to) {
    const char = text[index] ?? '';
    if (char === '"') return {value, start, end: index + 1, escapes};
    if (char === '\\' && index + 1 < to) {
      const next = text[index + 1] ?? '';
      const hex = /^[0-9A-Fa-f]{4}$/.exec(text.slice(index + 2, index + 6));
      escapes.push(value.length);
      if (next === 'u' && hex !== null) {
        value += String.fromCharCode(Number.parseInt(hex[0], 16));
        index += 6;
        continue;
      }
      value += simpleEscapes[next] ?? next;
      index += 2;
      continue;
    }
    value += char;
    index += 1;
  }
  return undefined;
}

type JsonValue =
  | {readonly ok: true; readonly text: string | null; readonly quoted: boolean; readonly start: number; readonly end: number; readonly escapes: number[]}
  | {readonly ok: false; readonly error: TokenizeError; readonly resume: number};

// A member's value as Runme reads it: a string as it is, anything else as
// its JSON text (`true`, `15`, `{"a":1}`), `null` as no value.
function readJsonValue(text: string, start: number, to: number): JsonValue {
  const first = text[start];
  if (first === '"') {
    const string = readJsonString(text, start, to);
    if (string === undefined) {
      return {ok: false, resume: to, error: {message: 'Unexpected end of attributes, expected a closing `"` for the JSON string opened here', start, end: to}};
    }
    return {ok: true, text: string.value, quoted: true, start, end: string.end, escapes: string.escapes};
  }
  if (first === '{' || first === '[') {
    const end = balancedEnd(text, start, to);
    if (end === undefined) {
      return {ok: false, resume: to, error: {message: `Unexpected end of attributes, expected a closing \`${first === '{' ? '}' : ']'}\` for the JSON value opened here`, start, end: to}};
    }
    return {ok: true, text: text.slice(start, end), quoted: false, start, end, escapes: []};
  }
  let end = start;
  while (end < to && !/[\s,}]/.test(text[end] ?? '')) end += 1;
  const literal = text.slice(start, end);
  if (literal === 'null') return {ok: true, text: null, quoted: false, start, end, escapes: []};
  if (literal === 'true' || literal === 'false' || /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(literal)) {
    return {ok: true, text: literal, quoted: false, start, end, escapes: []};
  }
  const expected = 'expected a string in quotes such as `"true"`, a number, `true`, `false` or `null`';
  if (start >= to) return {ok: false, resume: to, error: {message: `Unexpected end of attributes, ${expected}`, start: to, end: to}};
  const stop = Math.min(Math.max(end, start + 1), to);
  return {ok: false, resume: stop, error: {message: `Unexpected \`${literal === '' ? text.slice(start, stop) : literal}\` as a JSON value, ${expected}`, start, end: stop}};
}

// The offset just past the `}`/`]` that closes the one at `start`.
function balancedEnd(text: string, start: number, to: number): number | undefined {
  let depth = 0;
  let index = start;
  while (index < to) {
    const char = text[index];
    if (char === '"') {
      const string = readJsonString(text, index, to);
      if (string === undefined) return undefined;
      index = string.end;
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
    index += 1;
  }
  return undefined;
}
