// A tiny HTTP client for the smoke and E2E scripts: JSON in and out, one
// session cookie carried along, every request bounded by a timeout.

const timeoutMs = 10_000;

export class Client {
  constructor(base) {
    this.base = base.replace(/\/+$/, '');
    this.cookie = undefined;
    this.csrfToken = undefined;
  }

  async request(method, path, body) {
    const headers = {accept: 'application/json, text/html;q=0.9'};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie !== undefined) headers.cookie = this.cookie;
    if (this.csrfToken !== undefined && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const setCookie = response.headers.getSetCookie?.() ?? [];
    for (const line of setCookie) {
      const pair = line.split(';')[0] ?? '';
      const value = pair.slice(pair.indexOf('=') + 1);
      this.cookie = value === '' ? undefined : pair;
    }
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (json !== undefined && typeof json.csrfToken === 'string') this.csrfToken = json.csrfToken;
    return {status: response.status, headers: response.headers, text, json};
  }
}

// One line describing an unexpected response, for failure messages.
export function describe(method, path, response) {
  const body = response.text.trim().replace(/\s+/g, ' ');
  return `${method} ${path} answered ${response.status}${body === '' ? '' : ` ${body.length > 160 ? `${body.slice(0, 160)}…` : body}`}`;
}

export function failureMessage(error) {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000}s`;
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}
