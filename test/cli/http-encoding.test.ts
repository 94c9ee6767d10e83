import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from './run-cli.js';

let server: Server;
let origin = '';
let seen: string[] = [];
let dir = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.url ?? '');
    response.writeHead(200, {'content-type': 'application/json'});
    response.end('{"ok": true}\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen = [];
  dir = mkdtempSync(join(tmpdir(), 'runbook-http-encoding-'));
});

const runbook = (frontmatter: string, request: string): string => {
  writeFileSync(join(dir, 'r.md'), `---\n${frontmatter}\n---\n# R\n## Ask\n\`\`\`http {#ask}\n${request}\n\`\`\`\n`);
  return 'r.md';
};

const transcript = (): string => {
  const runs = join(dir, '.runbook/runs');
  const [run] = readdirSync(runs);
  return readFileSync(join(runs, run ?? '', 'transcript.jsonl'), 'utf8');
};

describe('runbook play: templates in an http block', () => {
  it('sends a --set value as one query value: `&`, `=` and `#` neither add a parameter nor drop one', async () => {
    const file = runbook(`env:\n  API_ORIGIN: ${origin}\ninputs:\n  X: {description: search}`, 'GET {{API_ORIGIN}}/search?q={{X}}&limit=10');
    const result = await runCli(['play', file, '--yes', '--set', 'X=a&admin=1#frag'], {cwd: dir});
    expect(result.code).toBe(0);
    expect(seen).toEqual(['/search?q=a%26admin%3D1%23frag&limit=10']);
    expect([...new URL(seen[0] ?? '', origin).searchParams]).toEqual([['q', 'a&admin=1#frag'], ['limit', '10']]);
  });

  it('masks a secret in the URL it sent, in its percent-encoded form, on screen and in the transcript', async () => {
    const file = runbook(`env:\n  API_ORIGIN: ${origin}\ninputs:\n  TOKEN: {description: token, secret: true}`, 'GET {{API_ORIGIN}}/items?token={{TOKEN}}');
    const secret = 'p@ss w&rd/1';
    const result = await runCli(['play', file, '--yes', '--json', '--set', `TOKEN=${secret}`], {cwd: dir});
    expect(result.code).toBe(0);
    expect(seen).toEqual([`/items?token=${encodeURIComponent(secret)}`]);
    const nodeEnd = result.stdout.split('\n').filter((line) => line.includes('"node-end"'));
    expect(nodeEnd).toHaveLength(1);
    expect(nodeEnd[0]).toContain(`"url":"${origin}/items?token=••••••"`);
    for (const text of [result.stdout, result.stderr, transcript()]) {
      expect(text).not.toContain(encodeURIComponent(secret));
      expect(text).not.toContain(secret);
    }
  });

  it('fails the node, sending nothing, when a value cannot sit where its template is', async () => {
    const file = runbook(`env:\n  API_ORIGIN: ${origin}\n  N: "1, \\"admin\\": true"`, `POST {{API_ORIGIN}}/items\nContent-Type: application/json\n\n{"n": {{N}}}`);
    const result = await runCli(['play', file, '--yes'], {cwd: dir});
    expect(result.code).toBe(1);
    expect(seen).toEqual([]);
    expect(result.stdout).toMatch(/✗ ask FAILED \(\d+ms\) — `\{\{N\}\}` sits where the JSON body expects a value, expected JSON/);
  });
});
