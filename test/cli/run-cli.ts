import {spawn, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export const cliPath = fileURLToPath(new URL('../../bin/runbook.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// Runs the built CLI without a terminal, as CI does; `stdin` is piped in
// when given (stdin is otherwise closed).
export function runCli(args: readonly string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string} = {}): Promise<CliResult> {
  return runCollected(process.execPath, ['--', cliPath, ...args], {
    cwd: options.cwd ?? process.cwd(), env: {...process.env, NO_COLOR: '1', ...options.env}, ...(options.stdin === undefined ? {} : {stdin: options.stdin}),
  });
}

// Runs a command without a terminal and collects its exit code and output.
export function runCollected(command: string, args: readonly string[], options: {cwd: string; env: NodeJS.ProcessEnv; stdin?: string}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const {stdin, ...spawnOptions} = options;
    const child = spawn(command, args, {...spawnOptions, stdio: ['pipe', 'pipe', 'pipe']});
    child.stdin.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({code, stdout, stderr}));
  });
}

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

// `runCli`, synchronously, from the repository root (paths in fixtures are relative to it).
export function runCliSync(...args: string[]): CliResult {
  const result = spawnSync(process.execPath, ['--', cliPath, ...args], {
    cwd: repositoryRoot, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, timeout: 60_000,
  });
  return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}
