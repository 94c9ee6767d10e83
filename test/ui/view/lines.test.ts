import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {codeWrap, continuationMark, hardWrap, lineText, lineWidth, rule, seg, spread, textWidth, truncate, wrap} from '../../../src/ui/view/lines.js';

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

describe('one width, string-width', () => {
  const samples = ['✅ healthy', '❌ failed', '⚠️ degraded', '🚀 deployed', '回滚 完成', 'e\u0301', '👩‍💻 on call', 'plain ascii'];

  it('measures every text as string-width does, emoji and CJK included', () => {
    for (const text of samples) expect(textWidth(text)).toBe(stringWidth(text));
  });

  it('never cuts a right-aligned status after emoji and CJK, and fills the row exactly', () => {
    const left = [seg('✅ 🚀 ⚠️ 回滚 check_emoji')];
    const line = spread(left, [seg('running 2.1s')], 40);
    expect(lineText(line).endsWith('running 2.1s')).toBe(true);
    expect(lineText(line)).toBe('✅ 🚀 ⚠️ 回滚 check_emoji   running 2.1s');
    expect(stringWidth(lineText(line))).toBe(40);
    expect(lineWidth(line)).toBe(40);
  });

  it('cuts by grapheme, never inside an emoji', () => {
    expect(lineText(truncate([seg('⚠️⚠️⚠️')], 4))).toBe('⚠️…');
    expect(lineText(truncate([seg('👩‍💻👩‍💻')], 3))).toBe('👩‍💻…');
  });
});

describe('codeWrap', () => {
  it('wraps a command at word boundaries, each continued row marked', () => {
    const rows = codeWrap('node scripts/smoke_post_deploy.mjs --origin "$API_ORIGIN" --strict', 30).map(lineText);
    expect(rows).toEqual([
      'node scripts/smoke_post_deploy',
      `${continuationMark}.mjs --origin "$API_ORIGIN"`,
      `${continuationMark}--strict`,
    ]);
  });

  it('keeps words whole when they fit, and the command\'s own spacing', () => {
    const rows = codeWrap('railway up  "$LKG_DIR" --service api --detach', 24).map(lineText);
    expect(rows).toEqual(['railway up  "$LKG_DIR"', `${continuationMark}--service api --detach`]);
    for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(24);
  });

  it('leaves a line that fits as it is', () => {
    expect(codeWrap('  echo ok', 20).map(lineText)).toEqual(['  echo ok']);
    expect(codeWrap('', 20).map(lineText)).toEqual(['']);
  });
});
