import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../src/runbook/parse.js';
import {decodeRunbookBytes} from '../../src/runbook/source-encoding.js';

const rules = (text: string): string[] => parseRunbook(text, 'r.md').diagnostics.map((each) => `${each.start.line}:${each.start.column} ${each.ruleId}`);

describe('document shape rules', () => {
  it('report frontmatter never closed or not on line 1, and leave a plain `---` rule alone', () => {
    expect(rules('---\ntitle: T\n## A\n')).toEqual(['1:1 unclosed-frontmatter']);
    expect(rules('\n\n---\ntitle: T\n---\n## A\n')).toEqual(['3:1 misplaced-frontmatter']);
    expect(rules('---\n\nSome text.\n## A\n')).toEqual([]);
    expect(rules('# T\n\n---\ntitle: x\n---\n## A\n')).toEqual([]);
  });

  it('report a backtick in a ``` fence info string once, and leave code spans alone', () => {
    expect(rules('## A\n```sh `x`\necho\n```\n')).toEqual(['2:7 invalid-fence']);
    expect(rules('## A\n```code``` is inline\n')).toEqual([]);
    // a backtick is fine in a ~~~ fence's info string (only braces hold attributes)
    expect(rules('## A\n~~~sh `x`\necho\n~~~\n')).not.toContain('2:7 invalid-fence');
  });

  it('report a comment that swallows the rest of the file, not one closed later', () => {
    expect(rules('## A\n<!-- runbook: #a\n\n## B\n')).toEqual(['2:1 unclosed-comment']);
    expect(rules('## A\n<!-- note\nmore -->\n\n## B\n')).toEqual([]);
  });

  it('warn about empty headings and empty executable blocks, not empty display blocks', () => {
    expect(rules('## \n```sh\n```\n```text\n```\n')).toEqual(['1:1 empty-heading', '2:1 empty-block']);
  });

  it('count emphasis markers per paragraph, not inside words or fenced code', () => {
    const limits = {maxEmphasisMarkers: 4};
    expect(parseRunbook('## A\n\n*a* *b* *c*\n', 'r.md', limits).diagnostics.map((each) => `${each.start.line}:${each.start.column} ${each.ruleId}`)).toEqual(['3:9 too-deep']);
    expect(parseRunbook('## A\n\n*a* *b*\n\n*c* *d*\n', 'r.md', limits).diagnostics).toEqual([]);
    expect(parseRunbook('## A\n\nsnake_case_name_with_many_parts\n\n```\n*****\n```\n', 'r.md', limits).diagnostics).toEqual([]);
  });
});

describe('the bytes of a runbook file', () => {
  it('refuse UTF-16 and UTF-32 byte order marks and NUL bytes, and place the first byte that is not UTF-8', () => {
    expect(decodeRunbookBytes(Buffer.from('\uFEFF# T', 'utf16le'))).toMatchObject({ok: false, why: expect.stringContaining('UTF-16 LE') as string});
    expect(decodeRunbookBytes(Buffer.from([0, 0, 0xfe, 0xff]))).toMatchObject({ok: false, why: expect.stringContaining('UTF-32 BE') as string});
    expect(decodeRunbookBytes(Buffer.from('# T\r\nab\0'))).toMatchObject({ok: false, why: expect.stringContaining('NUL byte at 2:3') as string});
    expect(decodeRunbookBytes(Buffer.concat([Buffer.from('\uFEFF# \uFFFD\nx'), Buffer.from([0xe9])]))).toEqual({ok: true, text: '\uFEFF# \uFFFD\nx\uFFFD', invalid: {line: 2, column: 2}});
    expect(decodeRunbookBytes(Buffer.from('\uFEFF# Café'))).toEqual({ok: true, text: '\uFEFF# Café'});
  });
});
