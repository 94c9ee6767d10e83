import {describe, expect, it} from 'vitest';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {parseRunbook} from '../../src/runbook/parse.js';

const step = '\n# R\n## Step\n\n```sh\necho hi\n```\n';

describe('the `mutating-commands` frontmatter key', () => {
  it('is read as a list of commands', () => {
    const {runbook, diagnostics} = parseRunbook(`---\nmutating-commands: [mytool deploy, ' dbctl migrate ']\n---\n${step}`, 'f.md');
    expect(diagnostics).toEqual([]);
    expect(runbook.frontmatter.mutatingCommands).toEqual(['mytool deploy', 'dbctl migrate']);
  });

  it('is refused, with its place, when it is not a list of commands', () => {
    const {diagnostics} = parseRunbook(`---\nmutating-commands: mytool deploy\n---\n${step}`, 'f.md');
    expect(diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^f\.md:2:\d+: error: .*a list of commands, such as `\[mytool deploy\]`.*\[frontmatter-schema\]$/) as string]);
  });
});
