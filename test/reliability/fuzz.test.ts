import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {tokenizeAttributes, valueOffset, type AttributeToken} from '../../src/runbook/attributes/tokenize.js';
import {ConditionChecker, evaluateCondition, reservedNamesUsed} from '../../src/runbook/condition.js';
import type {Diagnostic} from '../../src/runbook/diagnostics.js';
import {sourceLimitProblem} from '../../src/runbook/limits.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {decodeRunbookBytes} from '../../src/runbook/source-encoding.js';
import {runbookMarkdown} from '../runbook/arbitrary-markdown.js';

// Property tests of the parts that read what a user wrote: none throws on
// any input, and every problem they report points inside that input.
// `RUNBOOK_SOAK=1` runs 10,000 cases a property; `RUNBOOK_SEED` replays a
// failure (the seed is in every failure message).

const soak = (process.env['RUNBOOK_SOAK'] ?? '') !== '';
const seed = Number(process.env['RUNBOOK_SEED'] ?? 20_261_202);
const runs = (ci: number): number => (soak ? 10_000 : ci);

function check<T>(property: fc.IPropertyWithHooks<T> | fc.IProperty<T>, numRuns: number): void {
  const details = fc.check(property, {seed, numRuns});
  if (details.failed) {
    throw new Error(`property failed with RUNBOOK_SEED=${seed} (path ${details.counterexamplePath ?? ''}) on ${fc.stringify(details.counterexample)}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
  }
  expect(details.numRuns).toBe(numRuns);
}

function lineLengths(source: string): number[] {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

function expectInside(diagnostics: readonly Diagnostic[], source: string): void {
  const lengths = lineLengths(source);
  for (const diagnostic of diagnostics) {
    for (const point of diagnostic.end === undefined ? [diagnostic.start] : [diagnostic.start, diagnostic.end]) {
      expect(point.line, diagnostic.message).toBeGreaterThanOrEqual(1);
      expect(point.line, diagnostic.message).toBeLessThanOrEqual(lengths.length);
      expect(point.column, diagnostic.message).toBeGreaterThanOrEqual(1);
      expect(point.column, diagnostic.message).toBeLessThanOrEqual((lengths[point.line - 1] ?? 0) + 1);
    }
  }
}

// Pieces that are easy to get wrong: markers, quotes, braces, line ends.
const awkward = fc.constantFrom('*', '_', '`', '```', '~~~', '---', '{', '}', '"', "'", '\\', '<!--', '-->', '<!-- runbook:', '[', ']', '(', ')',
  '#', '##', '- [ ] ', '> ', '\t', '\r', '\n', '\r\n', '\uFEFF', '\u0000', '\uFFFD', '\u200B', 'é', '😀', '{{', '}}', ':', ' ');
const awkwardText = fc.array(fc.oneof(awkward, fc.string({maxLength: 6})), {maxLength: 40}).map((parts) => parts.join(''));
const yamlish = fc.array(fc.oneof(
  fc.tuple(fc.constantFrom('title', 'shell', 'cwd', 'env', 'inputs', 'defaults', '  A', '  B', '    type', '    default', '    pattern', '    choices', 'x'),
    fc.constantFrom(': ', ':', ': {', ': [', ': "', ": '", ': &a ', ': *a ', ': !!binary ', ': |\n  ', ':\n\t'), awkwardText)
    .map(([key, separator, value]) => `${key}${separator}${value}`),
  awkwardText,
), {maxLength: 8}).map((lines) => lines.join('\n'));

describe('fuzz: parseRunbook', () => {
  it('never throws on markdown-ish text, and positions every diagnostic inside the text', () => {
    check(fc.property(fc.oneof(runbookMarkdown, runbookMarkdown, awkwardText, fc.string({unit: 'binary', maxLength: 200})), (source) => {
      const {runbook, diagnostics} = parseRunbook(source, 'fuzz.md');
      expect(Array.isArray(runbook.steps)).toBe(true);
      expectInside(diagnostics, source);
    }), runs(500));
  });

  it('never throws on any frontmatter, and positions every diagnostic inside the text', () => {
    check(fc.property(yamlish, fc.constantFrom('\n', '\r\n'), (yaml, end) => {
      const source = `---${end}${yaml.replaceAll('\n', end)}${end}---${end}# T${end}## A${end}\`\`\`http${end}GET {{A}}/x${end}\`\`\`${end}`;
      const {diagnostics} = parseRunbook(source, 'fuzz.md');
      expectInside(diagnostics, source);
    }), runs(500));
  });

  it('finds the same limit problems wherever they are, at an offset inside the text', () => {
    check(fc.property(awkwardText, fc.nat({max: 30}), (source, most) => {
      const problem = sourceLimitProblem(source, {maxNesting: most, maxEmphasisMarkers: most});
      if (problem !== undefined) {
        expect(problem.offset).toBeGreaterThanOrEqual(0);
        expect(problem.offset).toBeLessThanOrEqual(source.length);
      }
    }), runs(1000));
  });
});

// An attribute list as written, from tokens the tokenizer must read back.
const name = fc.stringMatching(/^[A-Za-z_][\w.-]{0,8}$/);
const quotedValue = fc.string({maxLength: 12}).filter((value) => !/[\r\n]/.test(value));
const writtenToken = fc.oneof(
  name.map((value) => ({text: `#${value}`, token: {kind: 'id', value}})),
  name.map((value) => ({text: `.${value}`, token: {kind: 'class', value}})),
  name.map((key) => ({text: key, token: {kind: 'flag', key}})),
  fc.tuple(name, name).map(([key, value]) => ({text: `${key}=${value}`, token: {kind: 'pair', key, value}})),
  fc.tuple(name, quotedValue).map(([key, value]) => ({text: `${key}="${value.replace(/["\\]/g, '\\$&')}"`, token: {kind: 'pair', key, value}})),
);

function shape(token: AttributeToken): unknown {
  return token.kind === 'id' || token.kind === 'class' ? {kind: token.kind, value: token.value}
    : token.kind === 'flag' ? {kind: token.kind, key: token.key} : {kind: token.kind, key: token.key, value: token.value};
}

describe('fuzz: tokenizeAttributes', () => {
  it('never throws, and every token and error lies inside the range read, in order', () => {
    check(fc.property(awkwardText, fc.nat({max: 5}), fc.nat({max: 5}), (text, skip, cut) => {
      const from = Math.min(skip, text.length);
      const to = Math.max(from, text.length - cut);
      const {tokens, errors} = tokenizeAttributes(text, from, to);
      let previous = from;
      for (const token of tokens) {
        expect(token.start).toBeGreaterThanOrEqual(previous);
        expect(token.end).toBeGreaterThan(token.start);
        expect(token.end).toBeLessThanOrEqual(to);
        previous = token.end;
      }
      for (const error of errors) {
        expect(error.start).toBeGreaterThanOrEqual(from);
        expect(error.end).toBeGreaterThanOrEqual(error.start);
        expect(error.end).toBeLessThanOrEqual(to);
      }
    }), runs(1000));
  });

  it('reads back what was written: same tokens, no errors, and valueOffset points at each value character', () => {
    check(fc.property(fc.array(writtenToken, {maxLength: 8}), fc.constantFrom(' ', '  ', '\t', '\n'), (written, space) => {
      const text = written.map((each) => each.text).join(space);
      const {tokens, errors} = tokenizeAttributes(text);
      expect(errors).toEqual([]);
      expect(tokens.map(shape)).toEqual(written.map((each) => each.token));
      for (const token of tokens) {
        if (token.kind !== 'pair') continue;
        [...token.value].forEach((char, index) => {
          // `value` counts UTF-16 units, as `valueOffset` does
          if (char.length === 1) expect(text[valueOffset(token, token.value.indexOf(char, index))]).toBe(char);
        });
      }
    }), runs(1000));
  });
});

const conditionPart = fc.constantFrom('a', 'a.ok', 'a.failed', 'b', 'B_1', 'size(a)', 'has(a.x)', '1', '1.5', '"s"', "'s'", 'r"x"', '"""t"""', 'true', 'null',
  '&&', '||', '!', '==', '!=', '<', '>=', '+', '-', '*', '/', '%', '?', ':', '(', ')', '[', ']', '{', '}', ',', '.', 'in', 'type', 'int', 'matches', "'^(a+)+$'",
  ' ', '\\', '"', "'", '\n', 'duration("5m")', 'x-y');
const conditionText = fc.oneof(fc.array(conditionPart, {maxLength: 20}).map((parts) => parts.join(' ')), fc.array(conditionPart, {maxLength: 20}).map((parts) => parts.join('')), fc.string({maxLength: 30}));

describe('fuzz: conditions', () => {
  const checker = new ConditionChecker(['a', 'b', 'B_1', 'x-y', 'type']);

  it('checking never throws, and a problem is at an offset inside the condition', () => {
    check(fc.property(conditionText, (expression) => {
      const problem = checker.check(expression);
      if (problem !== undefined) {
        expect(problem.offset).toBeGreaterThanOrEqual(0);
        expect(problem.offset).toBeLessThanOrEqual(expression.length);
        expect(problem.message).not.toBe('');
        if (problem.kind === 'type') {
          for (const each of checker.typeProblems(expression, problem)) expect(each.offset).toBeLessThanOrEqual(expression.length);
        }
      } else {
        expect(Array.isArray(checker.warnings(expression))).toBe(true);
      }
      for (const used of reservedNamesUsed(expression, new Set(['type', 'a']))) expect(used.offset).toBeLessThan(expression.length);
    }), runs(1000));
  });

  it('evaluating never throws: a boolean, or a failure as data', () => {
    const context = {a: {ok: true, failed: false, x: 1n}, b: 'text', B_1: 3n, type: 'x'};
    check(fc.property(conditionText, (expression) => {
      const result = evaluateCondition(expression, context);
      if (result.ok) expect(typeof result.value).toBe('boolean');
      else expect(typeof result.message).toBe('string');
    }), runs(500));
  });
});

describe('fuzz: the bytes of a runbook file', () => {
  it('never throws; UTF-8 text is read as it is, and the first bad byte is placed inside the text', () => {
    check(fc.property(fc.oneof(fc.uint8Array({maxLength: 64}), fc.string({unit: 'binary', maxLength: 64}).map((text) => new Uint8Array(Buffer.from(text)))), (bytes) => {
      const decoded = decodeRunbookBytes(bytes);
      if (!decoded.ok) {
        expect(decoded.why).toMatch(/UTF-16|UTF-32|NUL byte/);
        return;
      }
      expect(decoded.text).toBe(Buffer.from(bytes).toString('utf8'));
      if (decoded.invalid === undefined) {
        expect(Buffer.from(decoded.text).equals(Buffer.from(bytes))).toBe(true);
        return;
      }
      const lengths = lineLengths(decoded.text);
      expect(decoded.invalid.line).toBeLessThanOrEqual(lengths.length);
      expect(decoded.invalid.column).toBeLessThanOrEqual((lengths[decoded.invalid.line - 1] ?? 0) + 1);
      const lines = (decoded.text.startsWith('\uFEFF') ? decoded.text.slice(1) : decoded.text).split(/\r\n|\r|\n/);
      expect(lines[decoded.invalid.line - 1]?.[decoded.invalid.column - 1]).toBe('\uFFFD');
    }), runs(1000));
  });
});
