import {describe, expect, it} from 'vitest';
import {hardWrap, lineText, rule, seg, spread, textWidth, truncate, wrap} from '../../../src/ui/view/lines.js';

const texts = (lines: ReturnType<typeof wrap>): string[] => lines.map(lineText);

describe('wrap', () => {
  it('fills rows word by word and keeps each word its style', () => {
    const lines = wrap([seg('Roll back the '), seg('api', {bold: true}), seg(' service now')], 16);
    expect(texts(lines)).toEqual(['Roll back the', 'api service now']);
    expect(lines[1]).toEqual([seg('api', {bold: true}), seg(' service now')]);
  });

  it('breaks words longer than a row, and starts a row at each newline', () => {
    expect(texts(wrap([seg('abcdefghij klm\nnext')], 4))).toEqual(['abcd', 'efgh', 'ij', 'klm', 'next']);
  });

  it('puts a prefix before the first row and another before the rest', () => {
    expect(texts(wrap([seg('one two three four')], 12, {first: [seg('• ')], rest: [seg('  ')]}))).toEqual(['• one two', '  three four']);
  });
});

describe('widths', () => {
  it('counts wide characters as two columns and combining marks as none', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('回滚')).toBe(4);
    expect(textWidth('é')).toBe(1);
  });

  it('truncates to the width with an ellipsis', () => {
    expect(lineText(truncate([seg('abc'), seg('defgh')], 5))).toBe('abcd…');
    expect(lineText(truncate([seg('abc')], 5))).toBe('abc');
    expect(lineText(truncate([seg('回滚回滚')], 5))).toBe('回滚…');
  });

  it('aligns text right and cuts the left side first', () => {
    expect(lineText(spread([seg('left')], [seg('right')], 16))).toBe('left       right');
    expect(lineText(spread([seg('a long left side')], [seg('right')], 16))).toBe('a long le… right');
  });

  it('hard-wraps code at the width, keeping spaces', () => {
    expect(hardWrap('a  b  c  d', 4).map(lineText)).toEqual(['a  b', '  c ', ' d']);
  });

  it('labels a rule', () => {
    expect(lineText(rule(16, 'Steps'))).toBe('── Steps ───────');
  });
});
