import {describe, expect, it} from 'vitest';
import {workingDirectory} from '../../src/engine/working-directory.js';
import type {ExecNode, Runbook, Step} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {allNodes} from '../../src/runbook/walk.js';

// Every exec node's working directory, `play` started in /work.
const directories = (text: string, path = 'docs/r.md'): string[] => {
  const runbook: Runbook = parseRunbook(text, path).runbook;
  const step = runbook.steps[0] as Step;
  return allNodes(runbook).filter((node): node is ExecNode => node.kind === 'exec')
    .map((node) => workingDirectory(runbook, step, node, '/work', (cwd) => cwd.replace('$DIR', 'expanded')));
};

describe('working directory', () => {
  it('in ours: cwd from where play started, the block’s replacing the frontmatter’s', () => {
    expect(directories('---\ncwd: app\n---\n# R\n## S\n```sh\npwd\n```\n```sh {cwd=../web}\npwd\n```\n```sh {cwd=/opt}\npwd\n```\n```sh {cwd=$DIR}\npwd\n```\n'))
      .toEqual(['/work/app', '/work/../web', '/opt', '/work/expanded']);
    expect(directories('# R\n## S\n```sh\npwd\n```\n')).toEqual(['/work']);
  });

  it('in a Runme-annotated document: the document’s directory, then the frontmatter’s cwd, then the block’s, as Runme resolves them', () => {
    expect(directories('```sh {"name":"a"}\npwd\n```\n```sh {"name":"b","cwd":"sub"}\npwd\n```\n')).toEqual(['/work/docs', '/work/docs/sub']);
    // runme examples/frontmatter/cwd/ABSOLUTE.md
    expect(directories('---\ncwd: /tmp\nrunme:\n  id: 01HF7BT3HCDS1X1WJJJCRQRAMX\n---\n```sh {"name":"a"}\npwd\n```\n```sh {"cwd":"../","name":"b"}\npwd\n```\n```sh {"cwd":"/opt","name":"c"}\npwd\n```\n'))
      .toEqual(['/tmp', '/', '/opt']);
    expect(directories('---\ncwd: ..\nrunme: {id: x}\n---\n```sh\npwd\n```\n', 'a/b/r.md')).toEqual(['/work/a']);
  });
});
