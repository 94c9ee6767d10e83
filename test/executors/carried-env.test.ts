import {spawnSync} from 'node:child_process';
import fc from 'fast-check';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {envChanges, envReportFor, readEnvReport} from '../../src/executors/carried-env.js';
import {shellExecutor} from '../../src/executors/shell.js';
import {blockNode, joined, run, stringEnv, temporaryDirectory} from './helpers.js';

const hasZsh = spawnSync('zsh', ['-c', 'true']).status === 0;
const hasDash = spawnSync('dash', ['-c', 'true']).status === 0;
let dir: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  dir = temporaryDirectory();
});
afterEach(() => dir.remove());

const tricky = 'two\nlines, "double" \'single\' $dollar `tick` \\ back ünïcödé ✓ \t tab \x01';

describe('variables a shell block exports', () => {
  it('are reported as changes to the environment it was given; plain assignments and the working directory are not', async () => {
    const env = stringEnv({KEEP: 'same', CHANGE: 'old', DROP: 'gone soon'});
    const node = blockNode('bash', 'export NAMESPACE=prod\nexport CHANGE=new\nunset DROP\nPLAIN=1\nexport KEEP=same\ncd /\necho done');
    const {result, chunks} = await run(shellExecutor, node, {env, carry: true});
    expect(result.status).toBe('passed');
    expect(result.exports).toEqual({NAMESPACE: 'prod', CHANGE: 'new', DROP: null});
    // the trap writes nothing the block's output shows
    expect(joined(chunks, 'stdout')).toBe('done\n');
    expect(joined(chunks, 'stderr')).toBe('');
  });

  it('keeps values with newlines, quotes, backslashes, unicode and control characters whole', async () => {
    const {result} = await run(shellExecutor, blockNode('bash', 'export TRICKY="$VALUE"; export EMPTY='), {env: stringEnv({VALUE: tricky}), carry: true});
    expect(result.exports).toEqual({TRICKY: tricky, EMPTY: ''});
  });

  it('leaves the exit status, line numbers and `set -x` output of the block as they were', async () => {
    const {result, chunks} = await run(shellExecutor, blockNode('bash', 'echo "line $LINENO"\nset -x\nexport A=1\nexit 3'), {carry: true});
    expect(result).toMatchObject({status: 'failed', exitCode: 3, exports: {A: '1'}});
    expect(joined(chunks, 'stdout')).toBe('line 1\n');
    expect(joined(chunks, 'stderr')).toBe('+ export A=1\n+ A=1\n+ exit 3\n');
  });

  it('keeps the report out of a block that uses descriptor 3 itself', async () => {
    const file = join(dir.path, 'three');
    const {result} = await run(shellExecutor, blockNode('bash', `exec 3>'${file}'\necho mine >&3\nexport A=1`), {carry: true});
    expect(result.exports).toEqual({A: '1'});
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('reads the report though processes a `background` block leaves running hold its descriptor', async () => {
    const pidFile = join(dir.path, 'pid');
    const node = blockNode('bash {background}', `sleep 5 &\necho $! > '${pidFile}'\nexport A=1`);
    const started = performance.now();
    const {result} = await run(shellExecutor, node, {carry: true});
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    expect(result.exports).toEqual({A: '1'});
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('ends each block with its own exit status, however soon after the report it exits', async () => {
    const outcomes = await Promise.all(Array.from({length: 40}, () => run(shellExecutor, blockNode('bash', 'export A=1'), {carry: true})));
    expect(outcomes.map(({result}) => `${result.status} ${result.exitCode} ${result.signal}`)).toEqual(Array.from({length: 40}, () => 'passed 0 null'));
  });

  it('carries from an `interactive` block too', async () => {
    const {result} = await run(shellExecutor, blockNode('bash {interactive}', 'export A=1'), {carry: true});
    expect(result.exports).toEqual({A: '1'});
  });

  it('reports nothing when the block replaces the EXIT trap', async () => {
    const {result} = await run(shellExecutor, blockNode('bash', "trap 'echo bye' EXIT\nexport A=1"), {carry: true});
    expect(result.status).toBe('passed');
    expect(result.exports).toBeUndefined();
    expect(result.exportsUnknown).toBe(true);
  });

  it.skipIf(!hasZsh)('reports nothing, rather than an empty environment, when zsh\'s `env` cannot list it', async () => {
    const bin = join(dir.path, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'env'), '#!/bin/sh\nexit 1\n', {mode: 0o755});
    const {result} = await run(shellExecutor, blockNode('zsh', 'export A=1'), {env: stringEnv({PATH: `${bin}:${process.env['PATH'] ?? ''}`}), carry: true});
    expect(result.status).toBe('passed');
    expect(result.exports).toBeUndefined();
    expect(result.exportsUnknown).toBe(true);
  });

  it('is not read without `carry`', async () => {
    const {result} = await run(shellExecutor, blockNode('bash', 'export A=1'));
    expect(result.exports).toBeUndefined();
    expect(result.exportsUnknown).toBeUndefined();
  });

  it.skipIf(!hasDash)('works in POSIX sh (dash), whose `export -p` quotes with single quotes', async () => {
    const {result} = await run(shellExecutor, blockNode('sh', 'export TRICKY="$VALUE" B=2; unset GONE'), {env: stringEnv({VALUE: tricky, GONE: 'x'}), shell: 'dash', carry: true});
    expect(result.exports).toEqual({TRICKY: tricky, B: '2', GONE: null});
  });

  it.skipIf(!hasZsh)('works in zsh', async () => {
    const {result} = await run(shellExecutor, blockNode('zsh', 'export TRICKY="$VALUE" B=2; unset GONE'), {env: stringEnv({VALUE: tricky, GONE: 'x'}), carry: true});
    expect(result.exports).toEqual({TRICKY: tricky, B: '2', GONE: null});
  });
});

describe('values of every kind', () => {
  // any text without NUL (which the environment cannot hold), as bash and dash quote it
  const values = fc.string({unit: 'binary', maxLength: 40}).filter((text) => !text.includes('\0'));
  for (const shell of ['bash', ...(hasDash ? ['dash'] : [])]) {
    it(`come back whole from ${shell}`, async () => {
      await fc.assert(fc.asyncProperty(values, async (value) => {
        const {result} = await run(shellExecutor, blockNode('sh', 'export COPY="$VALUE"'), {env: stringEnv({VALUE: value}), shell, carry: true});
        expect(result.exports).toEqual({COPY: value});
      }), {numRuns: 40, seed: 20261202});
    });
  }
});

describe('reading an `export -p` report', () => {
  const report = envReportFor('bash');
  const read = (text: string) => readEnvReport(Buffer.from(`${text}\0`, 'latin1'), report);

  it('reads bash, bash in POSIX mode and dash forms, and skips arrays', () => {
    expect(read('declare -x A="1"\ndeclare -rx B=$\'x\\ny\\303\\274\'\ndeclare -ax ARR=([0]="a" [1]="b c")\ndeclare -x C="q\\"\\\\\\$\\`z"\ndeclare -x UNSET\n'))
      .toEqual({A: '1', B: 'x\nyü', C: 'q"\\$`z'});
    expect(read("export D='it'\"'\"'s'\nexport E=$'1\\n2'\n")).toEqual({D: "it's", E: '1\n2'});
  });

  it('gives up on what it cannot read, and on a report that did not end', () => {
    expect(read('something else\n')).toBeUndefined();
    expect(readEnvReport(Buffer.from('declare -x A="1"\n'), report)).toBeUndefined();
  });

  it('ignores what the shell manages and names that are not variables', () => {
    expect(envChanges({PWD: '/a', SHLVL: '1', 'odd.name': 'x'}, {PWD: '/b', SHLVL: '2', _: '/bin/env', RUNBOOK_NODE_ID: 'n', HOME: '/root', LOGNAME: 'root'})).toEqual({});
    expect(envChanges({HOME: '/root'}, {HOME: '/tmp/elsewhere'})).toEqual({HOME: '/tmp/elsewhere'});
  });
});
