import {describe, expect, it} from 'vitest';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {parseRunbook} from '../../src/runbook/parse.js';

const text = [
  '---',
  'env: {REGION: eu}',
  '---',
  '# BOM',
  '## 1) Change',
  '<!-- runbook: #change_step confirm="Go?" -->',
  '```sh {#change mutates}',
  'touch changed',
  '```',
  '## 2) Shown',
  '```sh {#shown run=false}',
  'touch shown',
  '```',
  '## 3) Only if',
  '```sh {#conditional if="change.ok"}',
  'touch conditional',
  '```',
  '',
].join('\n');

describe('a UTF-8 byte order mark', () => {
  it('is not part of the text: the model equals that of the same file without it, attributes and positions included', () => {
    const withBom = parseRunbook(`\uFEFF${text}`, 'r.md');
    const without = parseRunbook(text, 'r.md');
    expect(withBom).toEqual(without);
    expect(without.diagnostics).toEqual([]);
    const [change, shown, onlyIf] = withBom.runbook.steps;
    expect(change?.attributes).toEqual({confirm: 'Go?'});
    expect(change?.content.find((block) => block.kind === 'exec')).toMatchObject({id: 'change', attributes: {mutates: true}, position: {start: {line: 7, column: 1}}});
    expect(shown?.content.find((block) => block.kind !== 'prose')).toMatchObject({kind: 'display', id: 'shown', attributes: {run: false}});
    expect(onlyIf?.content.find((block) => block.kind === 'exec')).toMatchObject({id: 'conditional', attributes: {if: 'change.ok'}});
    expect(withBom.runbook.frontmatter.env).toEqual({REGION: 'eu'});
  });

  it('does not move diagnostics: line 1 is line 1 and the first character after it is column 1', () => {
    const diagnostics = (source: string) => parseRunbook(source, 'r.md').diagnostics.map(formatDiagnostic);
    expect(diagnostics('\uFEFF## Step\n```sh {timout=5s}\necho\n```\n')).toEqual([
      'r.md:2:8-2:17: error: Unexpected attribute `timout` on a `sh` block, did you mean `timeout`? [unknown-attribute]',
    ]);
    expect(diagnostics('\uFEFF---\nshell: [x\n---\n## S\n')).toEqual(diagnostics('---\nshell: [x\n---\n## S\n'));
    expect(diagnostics('\uFEFFtext\n')).toEqual(['r.md:1:1: warning: Unexpected runbook without steps, expected at least one `##` heading [no-steps]']);
  });
});
