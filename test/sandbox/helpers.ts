import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse} from 'dotenv';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const cliPath = join(repoRoot, 'sandbox', 'cli.mjs');

export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Runs a command to completion (bounded), never rejecting on a non-zero exit.
export function runProcess(file: string, args: readonly string[], options: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): Promise<ProcessResult> {
  return new Promise((done) => {
    execFile(file, args, {cwd: options.cwd ?? repoRoot, env: options.env ?? process.env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      done({code, stdout, stderr});
    });
  });
}

export interface Sandbox {
  readonly dir: string;
  readonly envFile: string;
  readonly env: Readonly<Record<string, string>>;
  // the process environment plus the env file, as a runbook's shell sees it
  readonly childEnv: NodeJS.ProcessEnv;
  control<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  state(): Promise<SandboxState>;
  setModes(modes: Record<string, string>): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<ProcessResult>;
}

export interface Deployment {
  readonly id: string;
  readonly status: string;
  readonly createdAt: string;
  readonly meta: {readonly commitHash: string; readonly commitMessage: string; readonly branch: string; readonly source: string};
}

export interface SandboxState {
  readonly pid: number;
  readonly origins: {readonly api: string; readonly web: string};
  readonly modes: Record<string, string | number>;
  readonly lkgSha: string;
  readonly badSha: string;
  readonly services: Record<'web' | 'api' | 'worker', {readonly release: string; readonly commitHash: string; readonly deployments: readonly Deployment[]}>;
  readonly variables: Record<'web' | 'api' | 'worker', Record<string, string>>;
  readonly ingestion: string;
  readonly queue: {readonly deadLetters: {readonly count: number}};
  readonly replays: readonly {readonly id: string; readonly status: string; readonly replayed: number; readonly succeeded: number; readonly failed: number}[];
  readonly backfill: {readonly missing: number; readonly enqueued: number};
  readonly events: readonly {readonly action: string; readonly service?: string}[];
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `runbook-${prefix}-`));
}

// Starts a sandbox in a fresh temporary directory through the real CLI.
export async function startSandbox(prefix: string, modes: readonly string[] = []): Promise<Sandbox> {
  const dir = makeTempDir(prefix);
  const started = await runProcess(process.execPath, [cliPath, 'start', '--dir', dir, ...modes]);
  if (started.code !== 0) throw new Error(`sandbox start failed (${started.code}): ${started.stderr}`);
  const envFile = join(dir, 'sandbox.env');
  const env = parse(readFileSync(envFile, 'utf8'));
  const origin = env['API_ORIGIN'] ?? '';
  const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${origin}${path}`, {
      method,
      ...(body === undefined ? {} : {body: JSON.stringify(body), headers: {'content-type': 'application/json'}}),
      signal: AbortSignal.timeout(10_000),
    });
    return await response.json() as T;
  };
  return {
    dir,
    envFile,
    env,
    childEnv: {...process.env, ...env},
    control,
    state: () => control<SandboxState>('GET', '/__sandbox/state'),
    setModes: async (changes) => {
      await control('POST', '/__sandbox/modes', changes);
    },
    reset: async () => {
      await control('POST', '/__sandbox/reset');
    },
    stop: async () => {
      const stopped = await runProcess(process.execPath, [cliPath, 'stop', '--dir', dir]);
      rmSync(dir, {recursive: true, force: true});
      return stopped;
    },
  };
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

export async function request(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const response = await fetch(url, {redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init});
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {status: response.status, headers: response.headers, text, json};
}

// Polls `check` until it returns a value (bounded: a safety net, not a speed claim).
export async function eventually<T>(check: () => Promise<T | undefined>, attempts = 100, intervalMs = 100): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, intervalMs));
  }
  throw new Error('condition not reached');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
