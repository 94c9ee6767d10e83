import {spawn} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../cli/run-cli.js';
import {malformedCases, type MalformedCase} from './malformed-cases.js';

// Every malformed or odd runbook of the table goes through the built CLI:
// `check` and `list` (and `play` for some) must end within the time limit,
// without a stack trace, with exit 2 and a positioned message for what is
// wrong, or exit 0 and the meaning the table states.

const timeLimitMs = 10_000;

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

// The CLI with a deadline: a runbook that makes it hang (a FIFO, a device,
// a pathological text) fails the test instead of stalling the suite.
function runWithDeadline(args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--', cliPath, ...args], {cwd, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeLimitMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code, stdout, stderr, timedOut});
    });
  });
}

const internals = /^\s+at .+[:(]|\b(?:Type|Range|Reference|Syntax|Internal|)Error: |node:internal|ERR_[A-Z_]+/m;

function expectClean(outcome: Outcome, what: string): void {
  expect(outcome.timedOut, `${what} did not finish within ${timeLimitMs / 1000} s`).toBe(false);
  expect(`${outcome.stdout}${outcome.stderr}`, `${what} showed internals`).not.toMatch(internals);
}

interface ListedStep {
  readonly nodes: readonly {kind: string; executor?: string}[];
  readonly steps: readonly ListedStep[];
}

// The node kinds of each step, sub-steps in document order after their parent.
function nodeKinds(steps: readonly ListedStep[]): string[][] {
  return steps.flatMap((step) => [
    step.nodes.map((node) => (node.kind === 'exec' ? {shell: 'sh', http: 'http', script: 'js'}[node.executor ?? 'shell'] ?? 'sh' : node.kind)),
    ...nodeKinds(step.steps),
  ]);
}

let dir = '';
const paths = new Map<string, string>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-malformed-'));
  for (const item of malformedCases) {
    const file = `${item.name}.md`;
    if (typeof item.content === 'function') {
      paths.set(item.name, item.content(dir, file));
    } else {
      writeFileSync(join(dir, file), item.content);
      paths.set(item.name, file);
    }
  }
});

async function checkCase(item: MalformedCase): Promise<void> {
  const path = paths.get(item.name) ?? '';
  const [check, list] = await Promise.all([runWithDeadline(['check', path], dir), runWithDeadline(['list', '--json', path], dir)]);
  expectClean(check, 'check');
  expectClean(list, 'list');
  const {expected} = item;
  if ('refused' in expected) {
    for (const outcome of [check, list]) {
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(new RegExp(`^runbook: ${escape(path)}: cannot read the runbook \\(`));
      expect(outcome.stderr).toMatch(expected.refused);
    }
    return;
  }
  if ('error' in expected) {
    const place = `${path}:${expected.line}:${expected.column}`;
    const line = check.stdout.split('\n').find((each) => each.startsWith(`${place}:`) || each.startsWith(`${place}-`));
    expect(line, `no error at ${place} in:\n${check.stdout}`).toBeDefined();
    expect(line).toMatch(new RegExp(`: error: .*\\[${expected.error}\\]$`));
    expect(line).toMatch(expected.message);
    expect(check.code).toBe(2);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain(line);
    if (expected.alone === true) expect(check.stdout).toBe(`${line}\n`);
    return;
  }
  expect(check.code, check.stdout).toBe(0);
  expect(check.stdout).not.toMatch(/: error: /);
  if (expected.warning === undefined) expect(check.stdout).toBe('');
  else expect(check.stdout).toMatch(expected.warning);
  expect(list.code).toBe(0);
  const model = JSON.parse(list.stdout) as {steps: ListedStep[]};
  expect(nodeKinds(model.steps)).toEqual(expected.accepted);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.concurrent(`${malformedCases.length} malformed or odd runbooks through check and list`, () => {
  for (const item of malformedCases) {
    const skip = item.skip?.();
    it.skipIf(skip !== undefined)(`${item.name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => checkCase(item));
  }
});

describe.concurrent('play refuses what check refuses, before anything runs', () => {
  const played = ['bom-utf16le', 'png', 'invalid-utf8', 'fence-unclosed-backtick', 'yaml-not-at-top', 'yaml-unclosed-frontmatter', 'fifo', 'device-zero', 'nested-emphasis-10000', 'http-relative-url'];
  for (const name of played) {
    it(name, async () => {
      const outcome = await runWithDeadline(['play', '--yes', '--transcript-dir', 'runs', paths.get(name) ?? ''], dir);
      expectClean(outcome, 'play');
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain(paths.get(name));
    });
  }
});
