// Tokenizes Pandoc-style attributes: `#id .class key=value key="quoted \" value" flag`.
// Offsets are indexes into the text given, so callers can turn them into
// line/column positions in the Markdown source.

export type AttributeToken =
  | {readonly kind: 'id'; readonly value: string; readonly start: number; readonly end: number}
  | {readonly kind: 'class'; readonly value: string; readonly start: number; readonly end: number}
  | {readonly kind: 'flag'; readonly key: string; readonly start: number; readonly end: number}
  | {
      readonly kind: 'pair';
      readonly key: string;
      readonly value: string;
      readonly quoted: boolean;
      readonly start: number;
      readonly end: number;
      // offset of the value's first character (its opening quote when quoted)
      readonly valueStart: number;
      // indexes into `value` of characters written with a backslash escape
      readonly escapes: readonly number[];
    };

export interface TokenizeError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface TokenizeResult {
  readonly tokens: AttributeToken[];
  readonly errors: TokenizeError[];
}

// Line breaks separate attributes too: a step comment may span lines.
const isSpace = (char: string | undefined): boolean => char === ' ' || char === '\t' || char === '\n' || char === '\r';
const isBareChar = (char: string | undefined): boolean =>
  char !== undefined && !isSpace(char) && char !== '"' && char !== "'" && char !== '=' && char !== '}' && char !== '{';

// Tokenizes the inside of `{…}` (or a comment body) from `from` to `to`.
export function tokenizeAttributes(text: string, from = 0, to = text.length): TokenizeResult {
  const tokens: AttributeToken[] = [];
  const errors: TokenizeError[] = [];
  let index = from;

  const readBare = (): string => {
    const begin = index;
    while (index < to && isBareChar(text[index])) index += 1;
    return text.slice(begin, index);
  };

  let escapes: number[] = [];
  const readQuoted = (): string | undefined => {
    const quote = text[index];
    const begin = index;
    index += 1;
    let value = '';
    escapes = [];
    while (index < to) {
      const char = text[index];
      if (char === '\\' && quote === '"' && index + 1 < to) {
        escapes.push(value.length);
        value += text[index + 1];
        index += 2;
        continue;
      }
      if (char === quote) {
        index += 1;
        return value;
      }
      value += char;
      index += 1;
    }
    errors.push({message: `Unexpected end of attributes, expected a closing \`${quote ?? ''}\` for the value opened here`, start: begin, end: to});
    return undefined;
  };

  while (index < to) {
    const char = text[index];
    if (isSpace(char)) {
      index += 1;
      continue;
    }
    const start = index;
    if (char === '#' || char === '.') {
      index += 1;
      const value = readBare();
      if (value === '') {
        errors.push({message: `Unexpected \`${char}\` without a name, expected \`${char}name\``, start, end: index});
        continue;
      }
      tokens.push({kind: char === '#' ? 'id' : 'class', value, start, end: index});
      continue;
    }
    if (char === '"' || char === "'" || char === '=' || char === '{' || char === '}') {
      index += 1;
      errors.push({message: `Unexpected \`${char}\`, expected an attribute name`, start, end: index});
      if (char === '"' || char === "'") {
        index = start;
        readQuoted();
      }
      continue;
    }
    const key = readBare();
    const keyEnd = index;
    let afterKey = index;
    while (afterKey < to && isSpace(text[afterKey])) afterKey += 1;
    // `=` counts only inside the range: `{a}=b` is the flag `a`
    if (afterKey >= to || text[afterKey] !== '=') {
      tokens.push({kind: 'flag', key, start, end: keyEnd});
      continue;
    }
    index = afterKey + 1;
    while (index < to && isSpace(text[index])) index += 1;
    // `key = value` is one mistake, reported once, then read as `key=value`.
    if (index - keyEnd > 1 && index < to) {
      errors.push({message: `Unexpected space around \`=\` after \`${key}\`, expected \`${key}=value\``, start: keyEnd, end: index});
    }
    const valueStart = index;
    const next = text[index];
    if (next === '"' || next === "'") {
      const value = readQuoted();
      if (value !== undefined) tokens.push({kind: 'pair', key, value, quoted: true, start, end: index, valueStart, escapes});
      continue;
    }
    const value = readBare();
    if (value === '') {
      errors.push({message: `Unexpected empty value for \`${key}\`, expected \`${key}=value\``, start, end: index});
      continue;
    }
    tokens.push({kind: 'pair', key, value, quoted: false, start, end: index, valueStart, escapes: []});
  }
  return {tokens, errors};
}

// The offset in the tokenized text of `value[index]`, through quotes and
// escapes, so a problem found inside a value (an `if=` condition) points at
// the exact column. `index` may be `value.length` (just past the value).
export function valueOffset(token: Extract<AttributeToken, {kind: 'pair'}>, index: number): number {
  let escaped = 0;
  for (const at of token.escapes) if (at <= index) escaped += 1;
  return token.valueStart + (token.quoted ? 1 : 0) + index + escaped;
}
