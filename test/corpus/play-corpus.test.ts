import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {repositoryRoot, runCli} from '../cli/run-cli.js';

// Three runbooks of the corpus, as their authors wrote them, played headless
// against stand-in `oc` and `kubectl` that record what they are given: `$ `
// prompts stripped, `<placeholders>` given with --set, a variable one block
// exports read by the next. The stand-ins must receive exactly the commands
// the runbook shows, with the values filled in, and nothing else (no sample
// output, no prompt).
const standIns = fileURLToPath(new URL('stand-ins/', import.meta.url));

async function play(file: string, sets: readonly string[]): Promise<{code: number | null; stdout: string; stderr: string; calls: string[]}> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-corpus-'));
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  const result = await runCli(['play', join(repositoryRoot, 'test/fixtures/corpus', file), '--yes', '--transcript-dir', join(dir, 'runs'), ...sets.flatMap((set) => ['--set', set])], {
    cwd: dir, env: {PATH: `${standIns}${delimiter}${process.env.PATH ?? ''}`, STAND_IN_LOG: log},
  });
  return {...result, calls: readFileSync(log, 'utf8').split('\n').filter((line) => line !== '')};
}

describe('corpus runbooks played against stand-ins', () => {
  it('KubeVirt CDINotReady: the exported CDI_NAMESPACE reaches the later blocks, <pod> comes from --set', async () => {
    const result = await play('kubevirt-monitoring/docs__runbooks__CDINotReady.md', ['pod=cdi-apiserver-7d9']);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      'kubectl get deployment -A',
      'kubectl -n cdi get deploy -l cdi.kubevirt.io',
      'kubectl -n cdi describe pods cdi-apiserver-7d9',
      'kubectl -n cdi logs cdi-apiserver-7d9',
    ]);
  });

  it('OpenShift VirtOperatorRESTErrorsBurst: diagnosis and the mitigation that deletes the pod', async () => {
    const result = await play('openshift-runbooks/openshift-virtualization-operator__VirtOperatorRESTErrorsBurst.md', ['virt-operator=virt-operator-5f6b']);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      'oc get kubevirt -A -o custom-columns=:.metadata.namespace',
      'oc -n openshift-cnv get pods -l kubevirt.io=virt-operator',
      'oc -n openshift-cnv logs virt-operator-5f6b',
      'oc -n openshift-cnv describe pod virt-operator-5f6b',
      'oc delete -n openshift-cnv virt-operator-5f6b',
    ]);
  });

  it('prometheus-operator KubeNodeNotReady: $NODE, which nothing in the runbook sets, comes from --set', async () => {
    const result = await play('prometheus-operator-runbooks/content__runbooks__kubernetes__KubeNodeNotReady.md', ['NODE=node1.example.com']);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual(['kubectl get node node1.example.com -o yaml']);
  });

  it('stops before the first node, exit 2, naming every value a headless run lacks', async () => {
    const result = await play('kubevirt-monitoring/docs__runbooks__CDINotReady.md', []);
    expect(result.code).toBe(2);
    expect(result.calls).toEqual([]);
    expect(result.stderr).toMatch(/no value for POD \(<pod> at .*docs__runbooks__CDINotReady\.md:34:46\)/);
  });
});
