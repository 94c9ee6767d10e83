import {describe, expect, it} from 'vitest';
import {resolvedCommand} from '../../src/engine/resolved-command.js';
import type {ExecNode} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {readShellBlocks} from '../../src/runbook/shell-reading.js';
import {execNodes} from '../../src/runbook/walk.js';

const node = async (markdown: string): Promise<ExecNode> => {
  const {runbook} = parseRunbook(markdown, 'r.md');
  await readShellBlocks(runbook, markdown);
  return execNodes(runbook)[0]!;
};

describe('the command an operator reads at a gate', () => {
  it('shows placeholders with their values filled in, secrets masked', async () => {
    const block = await node("# R\n## S\n```sh\nTOKEN='<insert-token-here>'\noc debug node/<node-name> -n $NS\n```\n");
    const text = resolvedCommand(block, {
      variables: new Map([['NODE_NAME', 'worker-1'], ['NS', 'prod'], ['TOKEN', 's3cret']]), results: new Map(), secrets: new Set(['TOKEN']), redact: (value) => value,
    });
    expect(text).toBe('TOKEN=••••••\noc debug node/worker-1 -n prod');
  });
});
