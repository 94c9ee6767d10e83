import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {scriptCommand, scriptExecutor} from '../../src/executors/script.js';
import {captureLimit} from '../../src/executors/types.js';
import {blockNode, joined, run, stringEnv, temporaryDirectory} from './helpers.js';

const js = (code: string, info = 'js') => blockNode(info, code);

let dir: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  dir = temporaryDirectory();
});
afterEach(() => dir.remove());

describe('script executor', () => {
  it('runs the code as an ES module in the current node binary', () => {
    expect(scriptCommand({code: 'console.log(1)'})).toEqual({file: process.execPath, args: ['--input-type=module', '-e', 'console.log(1)']});
  });

  it('runs js and node blocks with imports and top-level await', async () => {
    const code = "import {basename} from 'node:path';\nawait new Promise((resolve) => setTimeout(resolve, 1));\nconsole.log(basename('/a/b.txt'));";
    for (const info of ['js', 'node']) {
      const {result, chunks} = await run(scriptExecutor, js(code, info), {cwd: dir.path});
      expect(result).toMatchObject({status: 'passed', exitCode: 0, signal: null, stdout: 'b.txt\n'});
      expect(chunks).toEqual([{stream: 'stdout', text: 'b.txt\n'}]);
    }
  });

  it('reads variables from the environment and runs in the cwd', async () => {
    const value = 'a "b" $(c) `d`\ne';
    const {result} = await run(scriptExecutor, js('console.log(JSON.stringify([process.env.WEIRD, process.cwd()]))'), {
      cwd: dir.path, env: stringEnv({WEIRD: value}),
    });
    expect(result.stdout).toBe(`${JSON.stringify([value, dir.path])}\n`);
  });

  it('fails with the exit code', async () => {
    const {result} = await run(scriptExecutor, js('process.exitCode = 4;'), {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: 4, reason: 'exit code 4'});
  });

  it('fails on an uncaught error, with the error on stderr', async () => {
    const {result, chunks} = await run(scriptExecutor, js("throw new Error('boom')"), {cwd: dir.path});
    expect(result).toMatchObject({status: 'failed', exitCode: 1, reason: 'exit code 1'});
    expect(joined(chunks, 'stderr')).toContain('Error: boom');
  });

  it('times out', async () => {
    const {result} = await run(scriptExecutor, js("console.log('started'); setTimeout(() => {}, 30_000);"), {cwd: dir.path, timeoutMs: 300});
    expect(result).toMatchObject({status: 'timed-out', reason: 'timed out after 300ms', signal: 'SIGTERM', stdout: 'started\n'});
  });

  it('is interrupted by the abort signal', async () => {
    const controller = new AbortController();
    const {result} = await run(scriptExecutor, js("console.log('started'); setTimeout(() => {}, 30_000);"), {
      cwd: dir.path, signal: controller.signal,
      onOutput: () => controller.abort(),
    });
    expect(result).toMatchObject({status: 'interrupted', reason: 'interrupted', signal: 'SIGINT'});
  });

  it('cuts a capture past the limit at a character boundary', async () => {
    const {result} = await run(scriptExecutor, js(`process.stdout.write('a' + 'é'.repeat(${captureLimit}));`), {cwd: dir.path});
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stdout).toBe(`a${'é'.repeat(captureLimit / 2 - 1)}`);
  });
});
