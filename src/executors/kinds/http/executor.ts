import {STATUS_CODES} from 'node:http';
import {request} from 'undici';
import type {HttpRequestSpec} from './request.js';
import {pasteTemplateValue} from '../../../runbook/template-paste.js';
import {bodyTemplates, headerTemplates, urlTemplates, type PlacedTemplate} from '../../../runbook/template-places.js';
import {renderTemplate} from '../../../runbook/templates.js';
import {evaluateAssertions} from './assertions.js';
import {OutputCapture, textForwarder} from '../../output-capture.js';
import {stopOutcome, watchForStop, type StopCause} from '../../stop.js';
import {captureLimit, type ExecutionContext, type ExecutionResult, type Executor, type HttpResult} from '../../types.js';

// Sends an `http` block's request. Every `{{…}}` in the URL, header values
// and body is resolved and encoded for its place first; one unresolved
// expression, or a value its place cannot hold, fails the node and nothing
// is sent. TLS certificates are always verified and redirects are
// not followed (a 3xx is the response). The node passes when every `??`
// assertion holds; a block without assertions passes on any status below 400.

interface RenderedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: string;
}

export const httpExecutor: Executor = {kind: 'http', execute: executeHttp};

async function executeHttp(context: ExecutionContext): Promise<ExecutionResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const node = context.node;
  if (node.executor !== 'http') throw new Error(`node \`${node.id}\` is not an http node`);
  const spec = node.request;
  const notSent = (status: 'failed' | 'interrupted', reason: string): ExecutionResult =>
    ({status, exitCode: null, signal: null, durationMs: elapsed(), stdout: '', stdoutTruncated: false, reason});

  const rendered = renderRequest(spec, context.resolve);
  if ('unresolved' in rendered) return notSent('failed', `unresolved \`{{${rendered.unresolved}}}\``);
  if ('problem' in rendered) return notSent('failed', rendered.problem);
  const urlProblem = checkUrl(rendered.url);
  if (urlProblem !== undefined) return notSent('failed', urlProblem);
  if (context.signal.aborted) return notSent('interrupted', 'interrupted before it started');

  const controller = new AbortController();
  let cause: StopCause | undefined;
  const stopWatching = watchForStop(context.signal, context.timeoutMs, (why) => {
    cause = why;
    controller.abort();
  });
  const capture = new OutputCapture(captureLimit);
  const output = textForwarder('stdout', context.onOutput);
  let status: number;
  let headers: Record<string, string>;
  let lastByte: number | undefined;
  try {
    const response = await request(rendered.url, {
      method: rendered.method,
      headers: rendered.headers,
      ...(rendered.body === '' ? {} : {body: rendered.body}),
      signal: controller.signal,
      // our own timer governs when there is one; undici's 300s defaults otherwise
      ...(context.timeoutMs === undefined ? {} : {headersTimeout: 0, bodyTimeout: 0}),
    });
    status = response.statusCode;
    headers = joinHeaders(response.headers);
    context.onOutput({stream: 'stdout', text: `${statusLine(status)}\n`});
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      capture.push(chunk);
      output.write(chunk);
      lastByte = chunk.at(-1) ?? lastByte;
    }
    output.end();
    if (lastByte !== undefined && lastByte !== 0x0a) context.onOutput({stream: 'stdout', text: '\n'});
  } catch (error) {
    stopWatching();
    output.end();
    const base = {exitCode: null, signal: null, durationMs: elapsed(), stdout: capture.text(), stdoutTruncated: capture.truncated};
    if (cause !== undefined) return {...base, ...stopOutcome(cause, context.timeoutMs)};
    return {...base, status: 'failed', reason: requestProblem(error, rendered.url)};
  }
  stopWatching();
  const durationMs = elapsed();
  const body = capture.text();
  const json = capture.truncated ? undefined : parseJson(body);
  const assertions = evaluateAssertions(spec.assertions, {status, headers, body, json, durationMs});
  const http: HttpResult = {
    method: rendered.method, url: rendered.url, status, headers, body, bodyTruncated: capture.truncated,
    ...(json === undefined ? {} : {json}),
    assertions,
  };
  const base = {exitCode: null, signal: null, durationMs, stdout: body, stdoutTruncated: capture.truncated, http};
  const failedAssertions = assertions.filter((assertion) => !assertion.passed);
  if (failedAssertions.length > 0) {
    const details = failedAssertions.map((assertion) => `${assertion.source} (actual ${assertion.actual})`).join('; ');
    const lead = failedAssertions.length === 1 ? 'assertion failed' : `${failedAssertions.length} assertions failed`;
    return {...base, status: 'failed', reason: `${lead}: ${details}`};
  }
  if (assertions.length === 0 && status >= 400) return {...base, status: 'failed', reason: statusLine(status)};
  return {...base, status: 'passed'};
}

function renderRequest(spec: HttpRequestSpec, resolve: (expression: string) => string | undefined): RenderedRequest | {unresolved: string} | {problem: string} {
  let unresolved: string | undefined;
  let problem: string | undefined;
  const fill = (text: string, templates: readonly PlacedTemplate[]): string => renderTemplate(text, templates, (template) => {
    const value = resolve(template.expression);
    if (value === undefined) {
      unresolved ??= template.expression;
      return '';
    }
    const pasted = pasteTemplateValue(template, value);
    if ('problem' in pasted) {
      problem ??= pasted.problem;
      return '';
    }
    return pasted.text;
  });
  const url = fill(spec.url, urlTemplates(spec.url));
  const headers: Record<string, string | string[]> = {};
  for (const header of spec.headers) {
    const value = fill(header.value, headerTemplates(header));
    const earlier = headers[header.name];
    headers[header.name] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
  }
  const body = fill(spec.body, bodyTemplates(spec));
  if (unresolved !== undefined) return {unresolved};
  if (problem !== undefined) return {problem};
  return {method: spec.method, url, headers, body};
}

function checkUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `invalid URL \`${url}\``;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `unsupported URL scheme \`${parsed.protocol}\` in \`${url}\`, expected http or https`;
  }
  return undefined;
}

function joinHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const joined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) joined[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return joined;
}

export function statusLine(status: number): string {
  const text = STATUS_CODES[status];
  return text === undefined ? `HTTP ${status}` : `HTTP ${status} ${text}`;
}

function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function requestProblem(error: unknown, url: string): string {
  const {host} = new URL(url);
  const code = (error as {code?: unknown}).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${host}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host \`${new URL(url).hostname}\``;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection to ${host} closed unexpectedly`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `no response from ${host} in time (${message})`;
    default:
      if (typeof code === 'string' && /CERT|SSL|TLS|SELF_SIGNED/.test(code)) return `TLS certificate of ${host} not trusted: ${message}`;
      return `request to ${host} failed: ${message}`;
  }
}
