import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../src/runbook/parse.js';
import {runbookMarkdown as markdown} from './arbitrary-markdown.js';

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

  it('builds the same model and diagnostics with autolink literals as without (the model is parsed without them)', () => {
    fc.assert(
      fc.property(fc.oneof(markdown, markdown, fc.string()), (source) => {
        expect(parseRunbook(source, 'arbitrary.md')).toEqual(parseRunbook(source, 'arbitrary.md', {autolinkLiterals: true}));
      }),
      {numRuns: 400},
    );
  });

  it.each([
    // a checkbox, then a bare CR and an autolink literal: the item's text was '\rWWW…' without autolinks and 'WWW…' with them
    '- [ ] \rWWW.x.test/a_b_\n\n',
    '- [ ] \r\nwww.example.test/x\n',
    '- [x]\n  https://example.test/a\n',
  ])('keeps a task item the same with autolink literals as without: %j', (source) => {
    expect(parseRunbook(source, 'arbitrary.md')).toEqual(parseRunbook(source, 'arbitrary.md', {autolinkLiterals: true}));
  });
});
