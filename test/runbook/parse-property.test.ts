import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../src/runbook/parse.js';

// Markdown-ish text built from the fragments the parser cares about, mixed
// with arbitrary text, so the generator reaches the tricky paths often.
const words = fc.constantFrom(
  'timeout', 'retries', 'interval', 'confirm', 'mutates', 'if', 'capture', 'secret', 'allow-failure', 'run', 'cwd',
  '10s', '5m', 'x', 'true', 'false', 'health.ok', 'A_B', '1)', '2.1', 'GET', 'https://x.test', '{{API}}', '{{', '}}', '??', 'status', '==',
  'runbook:', '-->', '<!--', '---', 'é', '✓', '🚀', '\u0000', '\u200b', 'int', 'optional', 'true', 'in', '#int', '#true',
);
const punctuation = fc.constantFrom('#', '.', '=', '"', "'", '\\', '{', '}', ' ', '\t', '`', '~', '[', ']', ':', '-', '>', '*', '\n', '\r\n', '\r');
const soup = fc.array(fc.oneof(words, punctuation, fc.string({maxLength: 4})), {maxLength: 14}).map((parts) => parts.join(''));
const text = fc.oneof(soup, fc.string({maxLength: 30}), fc.string({unit: 'grapheme', maxLength: 12}));
const lineEnd = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
const prefix = fc.constantFrom('', '', '', ' ', '   ', '    ', '\t', '> ', '>', '- ', '1. ', '  - ', '> - ', '   > ');
const language = fc.constantFrom('sh', 'bash', 'http', 'js', 'node', 'zsh', 'shell', 'python', 'console', '', 'SH', 'sh{#a}', '{.sh}');

const heading = fc.tuple(fc.integer({min: 1, max: 7}), text).map(([depth, title]) => `${'#'.repeat(depth)} ${title}`);
const info = fc.oneof(text, soup.map((inside) => `{${inside}}`), soup.map((inside) => `{${inside}`));
const fence = fc.tuple(fc.constantFrom('```', '````', '~~~'), language, fc.constantFrom('', ' '), info, fc.array(text, {maxLength: 4}), fc.boolean())
  .map(([marker, lang, space, infoText, body, closed]) => [`${marker}${lang}${space}${infoText}`, ...body, ...(closed ? [marker] : [])].join('\n'));
const httpBlock = fc.tuple(fc.constantFrom('GET', 'POST', 'FETCH', ''), text, fc.array(fc.oneof(text, soup.map((line) => `?? ${line}`), soup.map((line) => `X-H: ${line}`)), {maxLength: 4}))
  .map(([method, url, lines]) => ['```http', `${method} ${url}`, ...lines, '```'].join('\n'));
const comment = fc.tuple(fc.constantFrom('<!-- runbook:', '<!--runbook:', '<!-- ', '  <!-- runbook: '), soup, fc.constantFrom(' -->', '', '-->\n-->'))
  .map(([open, body, close]) => `${open}${body}${close}`);
const task = fc.tuple(fc.constantFrom('- [ ] ', '- [x] ', '* [X] ', '  - [ ] ', '1. [ ] '), text).map(([marker, item]) => `${marker}${item}`);
const yamlLine = fc.oneof(
  soup,
  fc.tuple(fc.constantFrom('title', 'shell', 'cwd', 'env', 'inputs', 'defaults', 'bogus', '  A', '  B', '    default', '  X'), fc.constantFrom(': ', ':', ': {', ': [', ': "', ': &a ', ': *a ', ':\n  '), soup)
    .map(([key, separator, value]) => `${key}${separator}${value}`),
);
const frontmatter = fc.array(yamlLine, {maxLength: 6}).map((lines) => ['---', ...lines, '---'].join('\n'));
const block = fc.tuple(prefix, fc.oneof(heading, heading, fence, fence, httpBlock, comment, task, task, text, soup)).map(([before, content]) => `${before}${content}`);
const markdown = fc.tuple(fc.option(frontmatter, {freq: 3}), fc.array(block, {maxLength: 14}), fc.array(lineEnd, {minLength: 14, maxLength: 14}))
  .map(([front, blocks, ends]) => `${front === null ? '' : `${front}\n`}${blocks.map((part, index) => `${part}${ends[index] ?? '\n'}${index % 3 === 0 ? '\n' : ''}`).join('')}`);

function lineLengths(source: string): number[] {
  return source.split(/\r\n|\r|\n/).map((line) => line.length);
}

describe('parseRunbook on arbitrary input', () => {
  it('never throws, and every diagnostic points inside the text (1-based)', () => {
    fc.assert(
      fc.property(fc.oneof(markdown, markdown, markdown, fc.string(), fc.string({unit: 'binary'})), (source) => {
        const {runbook, diagnostics} = parseRunbook(source, 'arbitrary.md');
        expect(Array.isArray(runbook.steps)).toBe(true);
        const lengths = lineLengths(source);
        for (const diagnostic of diagnostics) {
          for (const point of diagnostic.end === undefined ? [diagnostic.start] : [diagnostic.start, diagnostic.end]) {
            expect(point.line).toBeGreaterThanOrEqual(1);
            expect(point.column).toBeGreaterThanOrEqual(1);
            expect(point.line).toBeLessThanOrEqual(lengths.length);
            expect(point.column).toBeLessThanOrEqual((lengths[point.line - 1] ?? 0) + 1);
          }
        }
      }),
      {numRuns: 400},
    );
  });
});
