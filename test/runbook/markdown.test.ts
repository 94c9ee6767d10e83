import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseMarkdown, parseMarkdownWhole} from '../../src/runbook/markdown.js';
import {sectionedMarkdown as document} from './arbitrary-markdown.js';

describe('parseMarkdown', () => {
  it('builds the same tree as one parse of the whole text', () => {
    fc.assert(fc.property(document, fc.constantFrom(0, 0, 12, 40), fc.boolean(), (source, minimumSection, autolinkLiterals) => {
      expect(parseMarkdown(source, {minimumSection, autolinkLiterals}).tree).toEqual(parseMarkdownWhole(source, {autolinkLiterals}).tree);
    }), {numRuns: 1500});
  });

  it('parses each top-level section on its own, at least `minimumSection` characters at a time', () => {
    const source = '# T\n\n## A\n\n- [ ] a\n\n## B\n\n- [ ] b\n\n### C\n\ntext\n';
    expect(parseMarkdown(source, {minimumSection: 0}).parses).toBe(4);
    expect(parseMarkdown(source, {minimumSection: 12}).parses).toBe(3);
    expect(parseMarkdown(source).parses).toBe(1);
    expect(parseMarkdown(`[ref]: https://x.test\n${source}`, {minimumSection: 0}).parses).toBe(1);
    // definitions inside containers and labels across lines count too
    for (const definition of ['> [ref]: https://x.test', '- [ref]: https://x.test', '1. > [^1]: note', '[multi\nline]: https://x.test']) {
      expect(parseMarkdown(`${definition}\n${source}`, {minimumSection: 0}).parses).toBe(1);
    }
    expect(parseMarkdown(`- [ ] task\n- [x] done\n${source}`, {minimumSection: 0}).parses).toBe(5);
  });

  it('resolves references to a definition in another section, in a container or with a label across lines', () => {
    const sources = [
      '> [ref]: https://x.test\n\n## A\n\nsee [ref]\n',
      '- [ref]: https://x.test\n\n## A\n\nsee [ref]\n',
      '[multi\nline]: https://x.test\n\n## A\n\nsee [multi line]\n',
      '## A\n\ntext[^1]\n\n## B\n\n> [^1]: the note\n',
    ];
    for (const source of sources) expect(parseMarkdown(source, {minimumSection: 0}).tree).toEqual(parseMarkdownWhole(source).tree);
  });

  it('parses again past a fence that runs across a heading', () => {
    expect(parseMarkdown('## A\n```\n## in code\n## in code\n```\n## B\n## C\n', {minimumSection: 0}).parses).toBe(4);
  });

  it('resumes a section inside a fence, an HTML block or the frontmatter that runs across headings', () => {
    const sources = [
      '# T\n\n```sh\n## not a heading\n```\n\n## Step\n\ntext\n',
      '## A\n<!--\n## inside a comment\n-->\n## B\n',
      '## A\n<div>\n## inside the div\n\n## B\n',
      '---\n# a YAML comment\ntitle: x\n---\n## A\n',
      '## A\n- item\n  ```\n## ends the list and the fence\n```\n## inside the top-level fence\n```\n',
    ];
    for (const source of sources) expect(parseMarkdown(source, {minimumSection: 0}).tree).toEqual(parseMarkdownWhole(source).tree);
  });
});
