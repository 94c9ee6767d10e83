import {describe, expect, it} from 'vitest';
import {blockExports, definedByEarlierBlocks} from '../../src/runbook/carried-names.js';
import {parseRunbook} from '../../src/runbook/parse.js';

describe('what a shell block carries, read from its text', () => {
  it('finds exports, declare -x, unsets and plain assignments; subshells, pipelines and functions set nothing', async () => {
    expect(await blockExports([
      'export NAMESPACE=prod KUBECONFIG',
      'declare -x REGION=eu; typeset -rx ZONE=a; declare LOCALISH=1; readonly FIXED=1',
      'PLAIN=1',
      'PREFIX=1 kubectl get pods',
      'unset OLD; unset -v OLDER',
      '(export INNER=1); echo "$(export SUB=1)"; true | export PIPED=1',
      'f() { export LATER=1; }',
      'if true; then export INSIDE=1; fi',
    ].join('\n'))).toEqual({
      exports: ['NAMESPACE', 'KUBECONFIG', 'REGION', 'ZONE', 'INSIDE'],
      unsets: ['OLD', 'OLDER'],
      sets: ['LOCALISH', 'FIXED', 'PLAIN'],
      opaque: false,
    });
  });

  it('counts assignments after `set -a` as exports, and says when `source` or `eval` may export anything', async () => {
    expect(await blockExports('set -a\nA=1\nset +a\nB=2\nset -o allexport\nC=3\n. ./env.sh')).toEqual({exports: ['A', 'C'], unsets: [], sets: ['B'], opaque: true});
    expect(await blockExports('echo hello')).toEqual({exports: [], unsets: [], sets: [], opaque: false});
  });
});

describe('the variables earlier blocks define', () => {
  it('are the exports of the shell blocks before each node that carry, less what they unset', async () => {
    const {runbook} = parseRunbook([
      '# R', '## S',
      '```bash {#one}', 'export A=1 B=2', '```',
      '```bash {#quiet carry=false}', 'export C=3', '```',
      '```bash {#two}', 'unset B', '```',
      '```bash {#three}', 'echo "$A"', '```',
    ].join('\n'), 'r.md');
    const defined = await definedByEarlierBlocks(runbook);
    const names = (id: string): string[] => [...(defined.get(id) ?? [])];
    expect(names('one')).toEqual([]);
    expect(names('quiet')).toEqual(['A', 'B']);
    expect(names('two')).toEqual(['A', 'B']);
    expect(names('three')).toEqual(['A']);
  });
});
