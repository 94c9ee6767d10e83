import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../src/runbook/parse.js';

const rules = (markdown: string): string[] =>
  parseRunbook(markdown, 'r.md').diagnostics.map((diagnostic) => `${diagnostic.start.line}:${diagnostic.start.column} ${diagnostic.ruleId}`);

describe('unclosed fences', () => {
  it('are found where the block runs to the end of the file, in any container', () => {
    expect(rules('## S\n```sh\necho\n')).toEqual(['2:1 unclosed-fence']);
    expect(rules('## S\n```sh')).toEqual(['2:1 unclosed-fence']);
    expect(rules('## S\n> ```sh\n> echo\n')).toEqual(['2:3 unclosed-fence']);
    expect(rules('## S\n- step\n\n  ~~~sh\n  echo\n  ```\n')).toEqual(['4:3 unclosed-fence']);
    expect(rules('## S\n````sh\n```\n## T\n')).toEqual(['2:1 unclosed-fence']);
  });

  it('are not reported when closed, by a longer fence too, at the end of the file or of a container', () => {
    expect(rules('## S\n```sh\necho\n```')).toEqual([]);
    expect(rules('## S\n```sh\necho\n`````\n')).toEqual([]);
    expect(rules('## S\n> ```sh\n> echo\n> ```\n')).toEqual([]);
    expect(rules('## S\n    indented code\n')).toEqual([]);
    // ends with its list item (valid CommonMark), later steps intact
    expect(rules('## S\n- ```sh\n  echo\n\n## T\n```sh\necho\n```\n')).toEqual([]);
  });
});

describe('fence language typos', () => {
  it('suggest the executable language one edit away, never for a display language', () => {
    expect(rules('## S\n```zhs\necho\n```\n```nod\n1\n```\n```shel\necho\n```\n')).toEqual(['2:4 language-typo', '5:4 language-typo', '8:4 language-typo']);
    expect(rules(['ts', 'rs', 'cs', 'hs', 'ksh', 'csh', 'dash', 'jsx', 'json', 'yaml', 'text', 'sql', 'console', 'html', 'bat'].map((lang) => `## ${lang}\n\`\`\`${lang}\nx\n\`\`\`\n`).join(''))).toEqual([]);
  });
});
