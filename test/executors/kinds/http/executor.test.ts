import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {httpExecutor} from '../../../../src/executors/kinds/http/executor.js';
import {captureLimit} from '../../../../src/executors/types.js';
import {blockNode, run, type ContextOptions} from '../../helpers.js';

interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

const json = {status: 'ok', count: 3, items: [{id: 1}, {id: 2}]};
let server: Server;
let base: string;
let seen: SeenRequest[] = [];
let onRequest: ((request: SeenRequest) => void) | undefined;

function route(request: IncomingMessage, body: string, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  switch (path) {
    case '/json':
      response.writeHead(200, {'content-type': 'application/json', 'x-request-id': 'req-1', 'set-cookie': ['a=1', 'b=2']});
      response.end(JSON.stringify(json));
      return;
    case '/json-as-text':
      response.writeHead(200, {'content-type': 'text/plain'});
      response.end('{"as": "text"}\n');
      return;
    case '/echo':
      response.writeHead(201, {'content-type': 'application/json'});
      response.end(JSON.stringify({method: request.method, body}));
      return;
    case '/missing':
      response.writeHead(404, {'content-type': 'text/plain'});
      response.end('no such thing\n');
      return;
    case '/redirect':
      response.writeHead(302, {location: '/json'});
      response.end();
      return;
    case '/big':
      response.writeHead(200, {'content-type': 'application/json'});
      response.end('x'.repeat(captureLimit * 3));
      return;
    case '/hang':
      return;
    default:
      response.writeHead(500);
      response.end();
  }
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = {method: request.method ?? '', url: request.url ?? '', headers: request.headers, body};
      seen.push(entry);
      onRequest?.(entry);
      route(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  onRequest = undefined;
});

const variables = (): Record<string, string> => ({BASE: base, WHO: 'ann', TOKEN: 's3cr3t'});
const http = (code: string, options: ContextOptions = {}) => {
  const values = variables();
  return run(httpExecutor, blockNode('http', code), {resolve: (expression) => values[expression], ...options});
};

describe('http executor', () => {
  it('sends the method, headers and body with every template rendered', async () => {
    const {result} = await http([
      'POST {{BASE}}/echo?who={{WHO}}',
      'Content-Type: application/json',
      'Authorization: Bearer {{ TOKEN }}',
      'X-Tag: one',
      'X-Tag: two',
      '',
      '{"name": "{{WHO}}"}',
    ].join('\n'));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST', url: '/echo?who=ann', body: '{"name": "ann"}',
      headers: expect.objectContaining({'content-type': 'application/json', authorization: 'Bearer s3cr3t', 'x-tag': 'one, two'}) as unknown,
    });
    expect(result).toMatchObject({status: 'passed', exitCode: null, signal: null, stdout: '{"method":"POST","body":"{\\"name\\": \\"ann\\"}"}'});
    expect(result.http).toMatchObject({method: 'POST', url: `${base}/echo?who=ann`, status: 201, json: {method: 'POST', body: '{"name": "ann"}'}});
  });

  it('returns status, lower-case joined headers, body and parsed JSON, and streams a readable response', async () => {
    const {result, chunks} = await http('GET {{BASE}}/json');
    const body = JSON.stringify(json);
    expect(result).toMatchObject({status: 'passed', exitCode: null, signal: null, stdout: body, stdoutTruncated: false});
    expect(result.reason).toBeUndefined();
    expect(result.http).toMatchObject({
      method: 'GET', url: `${base}/json`, status: 200, body, bodyTruncated: false, json, assertions: [],
      headers: expect.objectContaining({'content-type': 'application/json', 'x-request-id': 'req-1', 'set-cookie': 'a=1, b=2'}) as unknown,
    });
    expect(chunks).toEqual([
      {stream: 'stdout', text: 'HTTP 200 OK\n'},
      {stream: 'stdout', text: body},
      {stream: 'stdout', text: '\n'},
    ]);
  });

  it('parses a JSON body whatever its content type', async () => {
    const {result} = await http('GET {{BASE}}/json-as-text');
    expect(result.http?.json).toEqual({as: 'text'});
  });

  it('fails an unresolved template without sending anything', async () => {
    const {result, chunks} = await http('POST {{BASE}}/echo\nX-Token: {{ NOPE }}\n\n{{ALSO_NOPE}}');
    expect(result).toMatchObject({status: 'failed', reason: 'unresolved `{{NOPE}}`', exitCode: null, stdout: ''});
    expect(result.http).toBeUndefined();
    expect(chunks).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('fails a URL that is not one after rendering', async () => {
    const {result} = await http('GET {{raw WHO}}/x');
    expect(result).toMatchObject({status: 'failed', reason: 'invalid URL `ann/x`'});
    const base = await http('GET {{WHO}}/x');
    expect(base.result).toMatchObject({status: 'failed', reason: '`{{WHO}}` begins the URL but its value is not a URL, expected an absolute http or https URL such as `https://api.example.com`'});
    const ftp = await http('GET ftp://127.0.0.1/x');
    expect(ftp.result).toMatchObject({status: 'failed', reason: 'unsupported URL scheme `ftp:` in `ftp://127.0.0.1/x`, expected http or https'});
  });

  it('encodes a value for its place in the URL: it can neither add nor drop a query parameter, nor leave its path segment', async () => {
    const values = {...variables(), X: 'a&admin=1#frag', ID: '../admin?x=1'};
    const {result} = await http('GET {{BASE}}/echo?q={{X}}&limit=10', {resolve: (expression) => values[expression as keyof typeof values]});
    expect(result.status).toBe('passed');
    const sent = new URL(seen[0]?.url ?? '', base);
    expect([...sent.searchParams]).toEqual([['q', 'a&admin=1#frag'], ['limit', '10']]);
    expect(result.http?.url).toBe(`${base}/echo?q=a%26admin%3D1%23frag&limit=10`);
    await http('GET {{BASE}}/items/{{ID}}/tags', {resolve: (expression) => values[expression as keyof typeof values]});
    expect(seen[1]?.url).toBe('/items/..%2Fadmin%3Fx%3D1/tags');
  });

  it('escapes a value inside a JSON string and refuses text where the JSON body expects a value', async () => {
    const values = {...variables(), R: 'x", "admin": true, "y": "', N: '1, "admin": true'};
    const resolve = (expression: string): string | undefined => values[expression as keyof typeof values];
    const {result} = await http('POST {{BASE}}/echo\nContent-Type: application/json\n\n{"reason": "{{R}}"}', {resolve});
    expect(result.status).toBe('passed');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({reason: 'x", "admin": true, "y": "'});
    const number = await http('POST {{BASE}}/echo\nContent-Type: application/json\n\n{"n": {{N}}}', {resolve});
    expect(number.result).toMatchObject({status: 'failed', exitCode: null, stdout: '',
      reason: '`{{N}}` sits where the JSON body expects a value, expected JSON (a number, `true`, `false`, `null`, a quoted string, an array or an object); write `"{{N}}"` to send it as a string'});
    expect(seen).toHaveLength(1);
  });

  it('refuses a header value with a line break without sending anything', async () => {
    const values = {...variables(), NOTE: 'ok\r\nX-Admin: 1'};
    const {result, chunks} = await http('GET {{BASE}}/json\nX-Note: {{NOTE}}', {resolve: (expression) => values[expression as keyof typeof values]});
    expect(result).toMatchObject({status: 'failed',
      reason: '`{{NOTE}}` in a header resolves to a value with a line break or NUL, which would end the header; expected a value on one line'});
    expect(chunks).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('without assertions fails on 4xx/5xx and passes on 2xx/3xx, not following redirects', async () => {
    const missing = await http('GET {{BASE}}/missing');
    expect(missing.result).toMatchObject({status: 'failed', reason: 'HTTP 404 Not Found', stdout: 'no such thing\n'});
    expect(missing.chunks).toEqual([{stream: 'stdout', text: 'HTTP 404 Not Found\n'}, {stream: 'stdout', text: 'no such thing\n'}]);
    const redirect = await http('GET {{BASE}}/redirect');
    expect(redirect.result).toMatchObject({status: 'passed', http: {status: 302, headers: expect.objectContaining({location: '/json'}) as unknown}});
    expect(seen.map((request) => request.url)).toEqual(['/missing', '/redirect']);
  });

  it('passes when every assertion holds, whatever the status', async () => {
    const {result} = await http([
      'GET {{BASE}}/missing',
      '?? status == 404',
      '?? header content-type startsWith text/',
      '?? body includes such',
      '?? duration >= 0',
    ].join('\n'));
    expect(result.status).toBe('passed');
    expect(result.http?.assertions).toEqual([
      {source: 'status == 404', passed: true, actual: '404'},
      {source: 'header content-type startsWith text/', passed: true, actual: 'text/plain'},
      {source: 'body includes such', passed: true, actual: 'no such thing\n'},
      {source: 'duration >= 0', passed: true, actual: expect.stringMatching(/^\d+$/) as unknown},
    ]);
  });

  it('evaluates JSONPath assertions on the body', async () => {
    const {result} = await http([
      'GET {{BASE}}/json',
      '?? body $.status == ok',
      '?? body $.count > 2',
      '?? body $.items[*].id includes 2',
      '?? body $.items isArray',
    ].join('\n'));
    expect(result.status).toBe('passed');
    expect(result.http?.assertions.map((assertion) => [assertion.passed, assertion.actual])).toEqual([
      [true, 'ok'], [true, '3'], [true, '[1,2]'], [true, '[{"id":1},{"id":2}]'],
    ]);
  });

  it('fails with the failed assertions and their actual values as reason', async () => {
    const one = await http('GET {{BASE}}/json\n?? status == 200\n?? body $.status == degraded');
    expect(one.result).toMatchObject({status: 'failed', reason: 'assertion failed: body $.status == degraded (actual ok)'});
    const two = await http('GET {{BASE}}/json\n?? status == 503\n?? header x-missing exists');
    expect(two.result).toMatchObject({
      status: 'failed', reason: '2 assertions failed: status == 503 (actual 200); header x-missing exists (actual (missing))',
    });
  });

  it('times out against a server that never answers', async () => {
    const {result} = await http('GET {{BASE}}/hang', {timeoutMs: 200});
    expect(result).toMatchObject({status: 'timed-out', reason: 'timed out after 200ms', exitCode: null, stdout: ''});
    expect(seen.map((request) => request.url)).toEqual(['/hang']);
  });

  it('is interrupted by the abort signal', async () => {
    const controller = new AbortController();
    onRequest = () => controller.abort();
    const {result} = await http('GET {{BASE}}/hang', {signal: controller.signal});
    expect(result).toMatchObject({status: 'interrupted', reason: 'interrupted', exitCode: null});
  });

  it('does not send when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const {result} = await http('GET {{BASE}}/json', {signal: controller.signal});
    expect(result).toMatchObject({status: 'interrupted', reason: 'interrupted before it started'});
    expect(seen).toEqual([]);
  });

  it('fails with a clear reason when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const {result} = await http(`GET http://127.0.0.1:${port}/`);
    expect(result).toMatchObject({status: 'failed', reason: `connection refused by 127.0.0.1:${port}`, exitCode: null, stdout: ''});
    expect(result.http).toBeUndefined();
  });

  it('keeps at most captureLimit bytes of the body while streaming all of it', async () => {
    let streamed = 0;
    const {result} = await http('GET {{BASE}}/big\n?? body exists', {
      onOutput: (chunk) => {
        streamed += chunk.text.length;
      },
    });
    expect(result).toMatchObject({status: 'passed', stdoutTruncated: true, http: {bodyTruncated: true}});
    expect(result.stdout).toBe('x'.repeat(captureLimit));
    expect(result.http?.body).toBe(result.stdout);
    expect(result.http && 'json' in result.http).toBe(false);
    expect(streamed).toBe('HTTP 200 OK\n'.length + captureLimit * 3 + '\n'.length);
  });
});
