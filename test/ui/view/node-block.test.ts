import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../../src/runbook/parse.js';
import {execNodes} from '../../../src/runbook/walk.js';
import {execBlock} from '../../../src/ui/view/node-block.js';
import {lineText} from '../../../src/ui/view/lines.js';

const nodeOf = (code: string) => {
  const node = execNodes(parseRunbook(`# R\n\n## S\n\n\`\`\`bash {#pods}\n${code}\n\`\`\`\n`, 'r.md').runbook)[0];
  if (node === undefined) throw new Error('no node');
  return node;
};

describe('the player\'s node view', () => {
  it('shows a transcript\'s commands without prompts and its sample output as expected, marked not run', () => {
    const lines = execBlock(nodeOf('$ oc get pods\nNAME   READY\napi-1  1/1\n$ oc whoami'), undefined, {width: 60, now: 0, outputRows: 5, commandRows: 5}).map(lineText);
    expect(lines.slice(1)).toEqual([
      '  │ oc get pods',
      '  │ oc whoami',
      '    expected (as written, not run):',
      '    ┆ NAME   READY',
      '    ┆ api-1  1/1',
    ]);
  });

  it('shows no expected output for a block without prompts', () => {
    const lines = execBlock(nodeOf('echo hi'), undefined, {width: 60, now: 0, outputRows: 5, commandRows: 5}).map(lineText);
    expect(lines.slice(1)).toEqual(['  │ echo hi']);
  });
});
