import {describe, expect, it} from 'vitest';
import type {ExecNode} from '../../src/runbook/model.js';
import {runnableScript, shellFactsOf, type ShellNode} from '../../src/runbook/node-script.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {readShellBlocks} from '../../src/runbook/shell-reading.js';
import {execNodes} from '../../src/runbook/walk.js';

const read = async (markdown: string): Promise<ExecNode[]> => {
  const {runbook} = parseRunbook(markdown, 'r.md');
  await readShellBlocks(runbook, markdown);
  return execNodes(runbook);
};
const names = (node: ExecNode | undefined): string[] => ((node === undefined ? undefined : shellFactsOf(node))?.placeholders ?? []).map((placeholder) => `${placeholder.name} ${placeholder.position.line}:${placeholder.position.column}`);

describe('reading the shell blocks of a runbook', () => {
  it('a variable an earlier block sets, a capture, an input or the environment\'s own is not a placeholder', async () => {
    const nodes = await read([
      '---', 'env: {REGION: eu}', '---', '# R', '## A', '```sh {capture=SHA}', 'git rev-parse HEAD', '```',
      '```sh', 'export NAMESPACE=openshift-etcd', 'echo "$HOME $REGION $SHA $NAMESPACE $POD"', '```',
      '```sh', 'echo "$NAMESPACE $POD ${MAYBE:-x}"', '```', '',
    ].join('\n'));
    expect(names(nodes[1])).toEqual(['POD 11:37']);
    // the same input: listed where each block uses it
    expect(names(nodes[2])).toEqual(['POD 14:18']);
  });

  it('a block that opens a session runs up to it; placeholders in the lines for the session are not asked', async () => {
    const [node] = await read('# R\n## A\n```bash\noc project <namespace>\noc debug node/<node-name>\nchroot /host\ncat /etc/<file>\n```\n');
    expect(names(node)).toEqual(['NAMESPACE 4:12', 'NODE_NAME 5:15']);
    expect(shellFactsOf(node!)?.session).toEqual({command: 'oc debug node/<node-name>', position: {line: 5, column: 1}, lines: ['chroot /host', 'cat /etc/<file>']});
    expect(runnableScript(node as ShellNode)).toBe('oc project "${NAMESPACE}"\noc debug node/"${NODE_NAME}"\n');
  });

  it('a block with neither placeholders nor a session is left as it is', async () => {
    const [node] = await read('# R\n## A\n```sh\nkubectl get pods -n kube-system > pods.txt\n```\n');
    expect(shellFactsOf(node!)).toBeUndefined();
    expect(runnableScript(node as ShellNode)).toBe('kubectl get pods -n kube-system > pods.txt');
  });
});
