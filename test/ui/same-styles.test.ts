import {createRequire} from 'node:module';
import {pathToFileURL} from 'node:url';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {sameStyles, type AnsiCode} from '../../src/ui/same-styles.js';

// The ansi-tokenize Ink itself resolves: the one whose diff the bundle shortcuts.
const require = createRequire(import.meta.url);
const inkRequire = createRequire(require.resolve('ink'));
interface Tokens {
  tokenize(text: string): unknown[];
  styledCharsFromTokens(tokens: unknown[]): {styles: AnsiCode[]}[];
  diffAnsiCodes(from: readonly AnsiCode[], to: readonly AnsiCode[]): AnsiCode[];
}
const tokenizePackage = inkRequire.resolve('@alcalzone/ansi-tokenize/package.json');
const tokens = (await import(new URL('build/index.js', pathToFileURL(tokenizePackage)).href)) as Tokens;

// the styles of a cell after a run of SGR codes, as Ink's output keeps them
const sgr = fc.constantFrom('0', '1', '2', '3', '4', '7', '9', '22', '23', '24', '27', '29', '31', '32', '33', '36', '39', '90', '38;5;214', '38;2;1;2;3', '41', '49');
const styles = fc.array(sgr, {maxLength: 6}).map((codes) => {
  const [cell] = tokens.styledCharsFromTokens(tokens.tokenize(`${codes.map((code) => `\u001B[${code}m`).join('')}x`));
  return cell?.styles ?? [];
});

describe('sameStyles', () => {
  it('holds only when the diff between two cells is empty', () => {
    fc.assert(fc.property(styles, styles, (from, to) => {
      if (sameStyles(from, to)) expect(tokens.diffAnsiCodes(from, to)).toEqual([]);
      expect(sameStyles(from, [...from])).toBe(true);
      expect(tokens.diffAnsiCodes(from, [...from])).toEqual([]);
    }), {numRuns: 2000});
  });

  it('tells different codes apart', () => {
    const bold = {code: '\u001B[1m', endCode: '\u001B[22m'};
    const dim = {code: '\u001B[2m', endCode: '\u001B[22m'};
    expect(sameStyles([], [])).toBe(true);
    expect(sameStyles([bold], [bold])).toBe(true);
    expect(sameStyles([bold], [dim])).toBe(false);
    expect(sameStyles([bold], [bold, dim])).toBe(false);
    expect(sameStyles([bold, dim], [dim, bold])).toBe(false);
  });
});
