import {describe, expect, it} from 'vitest';
import {evaluateCondition} from '../../src/runbook/condition.js';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {validateInputValue} from '../../src/runbook/frontmatter.js';
import {parseWithinLimits} from '../../src/runbook/guard.js';
import {maxNesting, maxRunbookBytes} from '../../src/runbook/limits.js';
import type {InputSpec} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {isSafePattern, matchesPattern} from '../../src/runbook/patterns.js';

const messages = (source: string, options = {}): string[] => parseRunbook(source, 'limits.md', options).diagnostics.map(formatDiagnostic);

// Each limit is checked before the slow part starts, so none of these waits
// on the parser: a test that ran the parser on such a text would take minutes.
describe('limits', () => {
  it('refuses a runbook larger than the limit before parsing it, naming its size and the limit', () => {
    expect(maxRunbookBytes).toBe(4_000_000);
    const source = `# Big\n\n## 1) Step\n\n${'filler text. '.repeat(200)}\n`;
    expect(messages(source, {maxBytes: 1000})).toEqual([
      'limits.md:1:1: error: Unexpected runbook of 2.6 KB, expected at most 1 KB; split it into smaller runbooks [too-large]',
    ]);
    expect(messages(source)).toEqual([]);
    const {runbook} = parseRunbook(source, 'limits.md', {maxBytes: 1000});
    expect(runbook.steps).toEqual([]);
  });

  it('counts the size in UTF-8 bytes', () => {
    expect(messages(`## é\n${'é'.repeat(600)}\n`, {maxBytes: 1000})).toEqual([
      'limits.md:1:1: error: Unexpected runbook of 1.2 KB, expected at most 1 KB; split it into smaller runbooks [too-large]',
    ]);
  });

  it('refuses a 1,000-deep nested list at the first line past the limit, without parsing it', () => {
    expect(maxNesting).toBe(100);
    const lines = Array.from({length: 1000}, (_, depth) => `${'  '.repeat(depth)}- level ${depth + 1}`);
    const started = performance.now();
    expect(messages(`# Deep\n\n## 1) Nested\n\n${lines.join('\n')}\n`)).toEqual([
      'limits.md:105:201: error: Unexpected lists or block quotes nested more than 100 levels deep, expected at most 100; the runbook is not read [too-deep]',
    ]);
    // the parser needs minutes for this text; the check, milliseconds
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('accepts nesting up to the limit, and ordered lists and quotes count as levels', () => {
    const quotes = (depth: number): string => `## 1) Quoted\n\n${'> '.repeat(depth)}text\n`;
    expect(messages(quotes(10), {maxNesting: 10})).toEqual([]);
    expect(messages(quotes(11), {maxNesting: 10})).toEqual([
      'limits.md:3:1: error: Unexpected lists or block quotes nested more than 10 levels deep, expected at most 10; the runbook is not read [too-deep]',
    ]);
    expect(messages('## 1) Mixed\n\n> 1. - > * text\n', {maxNesting: 3})).toEqual([
      'limits.md:3:1: error: Unexpected lists or block quotes nested more than 3 levels deep, expected at most 3; the runbook is not read [too-deep]',
    ]);
  });

  it('turns a stack overflow while parsing into a too-deep diagnostic, and lets other errors through', () => {
    const overflow = (): never => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    const result = parseWithinLimits('## 1) Step\n', 'limits.md', {}, overflow);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'limits.md:1:1: error: Unexpected nesting too deep to read (lists, quotes, emphasis or links inside each other), expected a flatter document; the runbook is not read [too-deep]',
    ]);
    expect(() => parseWithinLimits('', 'limits.md', {}, () => {
      throw new TypeError('a bug');
    })).toThrow('a bug');
  });

  it('reports YAML nested too deeply for the yaml package in words, not as a stack overflow', () => {
    const source = `---\nenv: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n---\n## 1) Step\n`;
    const found = messages(source);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^limits\.md:2:\d+: error: Unexpected YAML in frontmatter: nested too deeply to read, expected a flatter frontmatter \[yaml-syntax\]$/);
  });

  it('reports an alias bomb in the frontmatter in words', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [index, name] of ['b', 'c', 'd', 'e', 'f'].entries()) {
      const previous = 'abcdef'[index] ?? 'a';
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    expect(messages(`---\n${levels.join('\n')}\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n---\n## 1) Step\n`)).toEqual([
      'limits.md:2:1: error: Unexpected YAML in frontmatter: too many aliases (`*name`) expanded, expected the values written out [yaml-syntax]',
    ]);
  });

  it('reports conditions past CEL\'s limits in words, in check and at run time', () => {
    const chain = Array(2000).fill('true').join(' && ');
    // a long condition is quoted by its first 60 characters
    expect(messages(`## 1) Step\n\n\`\`\`sh {if="${chain}"}\necho\n\`\`\`\n`).map((line) => line.replace(`${chain.slice(0, 60)}…`, '…'))).toEqual([
      'limits.md:3:12: error: Unexpected syntax in condition `…`: more than 1000 parts (names, operators and values), expected a shorter condition [condition-syntax]',
    ]);
    const nested = `${'('.repeat(60)}true${')'.repeat(60)}`;
    expect(messages(`## 1) Step\n\n\`\`\`sh {if="${nested}"}\necho\n\`\`\`\n`).map((line) => line.replace(`${nested.slice(0, 60)}…`, '…'))).toEqual([
      'limits.md:3:62: error: Unexpected syntax in condition `…`: more than 50 levels of nesting, expected a shorter condition [condition-syntax]',
    ]);
    expect(evaluateCondition(`${'!'.repeat(2000)}true`, {})).toEqual({ok: false, message: 'more than 1000 parts (names, operators and values), expected a shorter condition'});
    // so deep that CEL's parser overflows the stack before it counts the parts
    expect(evaluateCondition(`${'!'.repeat(20_000)}true`, {})).toEqual({ok: false, message: 'too long or too deeply nested to read, expected a shorter condition'});
  });
});

describe('input patterns', () => {
  it('counts only unbounded repetitions as nesting: optional and counted parts are safe', () => {
    expect(isSafePattern('^(a+)+$')).toBe(false);
    expect(isSafePattern('^(a*)*$')).toBe(false);
    expect(isSafePattern('^(a{2,})+$')).toBe(false);
    expect(isSafePattern('^[0-9a-f]{7,40}$')).toBe(true);
    expect(isSafePattern(String.raw`^v\d+\.\d+\.\d+(-[a-z0-9.]+)?$`)).toBe(true);
    expect(isSafePattern(String.raw`^(?:\d{1,3}\.){3}\d{1,3}$`)).toBe(true);
  });

  it('stops a match that runs away, which the static check misses, and says so', () => {
    // an alternation whose branches overlap: safe to safe-regex2, exponential to V8
    const pattern = '^(a|a)*$';
    expect(isSafePattern(pattern)).toBe(true);
    const value = `${'a'.repeat(40)}!`;
    expect(matchesPattern(pattern, value, 50)).toBe('too-slow');
    expect(matchesPattern(pattern, 'aaaa', 50)).toBe(true);
    const input: InputSpec = {name: 'TAG', pattern, secret: false, required: true, position: {start: {line: 1, column: 1, offset: 0}, end: {line: 1, column: 1, offset: 0}}};
    expect(validateInputValue(input, value)).toBe('expected a value matching /^(a|a)*$/ (matching took longer than 1s and was stopped: the pattern backtracks too much)');
  });
});

describe('condition evaluation', () => {
  it('stops a condition whose matches() runs away, and says so', () => {
    const context = {probe: {stdout: `${'a'.repeat(40)}!`}};
    expect(evaluateCondition("probe.stdout.matches('^(a+)+$')", context, 50)).toEqual({ok: false,
      message: 'took longer than 50ms to evaluate and was stopped (a `matches()` pattern that backtracks too much?)'});
    expect(evaluateCondition("probe.stdout.matches('^a+!$')", context, 50)).toEqual({ok: true, value: true});
  });
});
