import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../../src/runbook/parse.js';
import {readShellBlocks} from '../../../src/runbook/shell-reading.js';
import {execNodes} from '../../../src/runbook/walk.js';
import {execBlock} from '../../../src/ui/view/node-block.js';

describe('a block that opens a session, in the player', () => {
  it('is shown interactive before it runs, and says which of its lines are for the session', async () => {
    const markdown = '# R\n## S\n```bash\noc debug node/<node-name>\nchroot /host\njournalctl -u kubelet\n```\n';
    const {runbook} = parseRunbook(markdown, 'r.md');
    await readShellBlocks(runbook, markdown);
    const [node] = execNodes(runbook);
    const rows = execBlock(node!, undefined, {width: 100, now: 0, outputRows: 5, commandRows: 5}).map((line) => line.map((segment) => segment.text).join(''));
    expect(rows[0]).toContain(' · interactive');
    expect(rows).toContain('    the last 2 lines are for the session it opens: type them there (not run here)');
  });
});
