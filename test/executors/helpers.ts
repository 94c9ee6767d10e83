import {mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ExecutionContext, ExecutionResult, Executor, OutputChunk} from '../../src/executors/types.js';
import type {ExecNode} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {execNodes} from '../../src/runbook/walk.js';

// The first executable node of a one-block runbook, as the parser builds it.
export function blockNode(info: string, code: string): ExecNode {
  const source = `# Test\n\n## Step\n\n~~~~${info}\n${code}\n~~~~\n`;
  const node = execNodes(parseRunbook(source, 'test.md').runbook)[0];
  if (node === undefined) throw new Error(`no executable node in:\n${source}`);
  return node;
}

export interface Run {
  readonly result: ExecutionResult;
  readonly chunks: OutputChunk[];
}

export type ContextOptions = Partial<Omit<ExecutionContext, 'node' | 'onOutput'>> & {
  readonly onOutput?: (chunk: OutputChunk, chunks: readonly OutputChunk[]) => void;
};

export async function run(executor: Executor, node: ExecNode, options: ContextOptions = {}): Promise<Run> {
  const chunks: OutputChunk[] = [];
  const {onOutput, ...rest} = options;
  const context: ExecutionContext = {
    node,
    env: stringEnv(),
    resolve: () => undefined,
    cwd: process.cwd(),
    shell: 'bash',
    signal: new AbortController().signal,
    ...rest,
    onOutput: (chunk) => {
      chunks.push(chunk);
      onOutput?.(chunk, chunks);
    },
  };
  const result = await executor.execute(context);
  return {result, chunks};
}

export function stringEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return {...env, ...extra};
}

export const joined = (chunks: readonly OutputChunk[], stream: OutputChunk['stream']): string =>
  chunks.filter((chunk) => chunk.stream === stream).map((chunk) => chunk.text).join('');

export function temporaryDirectory(): {readonly path: string; readonly remove: () => void} {
  const path = realpathSync(mkdtempSync(join(tmpdir(), 'runbook-executors-')));
  return {path, remove: () => rmSync(path, {recursive: true, force: true})};
}

// A zombie waiting for its reaper (a container's PID 1 can be slow) counts as gone.
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return procState(pid) !== 'Z';
}

// Processes of a process group that are not zombies (Linux /proc).
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    const stat = procStat(pid);
    return stat !== undefined && stat.group === pgid && stat.state !== 'Z';
  });
}

function procState(pid: number): string | undefined {
  return procStat(pid)?.state;
}

function procStat(pid: number): {state: string; group: number} | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {state: state ?? '', group: Number(group)};
  } catch {
    return undefined;
  }
}

// Living processes whose environment carries RUNBOOK_RUN_ID=`runId` (Linux /proc).
export function markedProcesses(runId: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`RUNBOOK_RUN_ID=${runId}`) && procState(pid) !== 'Z';
    } catch {
      return false;
    }
  });
}
