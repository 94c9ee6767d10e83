// Small request/response helpers shared by the sandbox's API, web and control routes.

const maxBodyBytes = 1024 * 1024;

export class HttpError extends Error {
  constructor(status, code, detail) {
    super(detail ?? code);
    this.status = status;
    this.code = code;
  }
}

export function sendJson(res, status, body, headers = {}) {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers});
  res.end(text);
}

export function sendText(res, status, text, type, headers = {}) {
  res.writeHead(status, {'content-type': type, 'content-length': Buffer.byteLength(text), ...headers});
  res.end(text);
}

// The body as JSON ({} when empty); a body over 1 MiB or not JSON is a 4xx.
export async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new HttpError(413, 'body_too_large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    throw new HttpError(400, 'invalid_json', 'expected a JSON object body');
  }
}

export function cookies(req) {
  const result = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) result[part.slice(0, index).trim()] = part.slice(index + 1).trim();
  }
  return result;
}

export function bearer(req) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

// Routes are `METHOD /path/:param` patterns tried in order.
export function router(routes, notFound = (res, status) => sendJson(res, status, {error: status === 405 ? 'method_not_allowed' : 'not_found'})) {
  const compiled = routes.map(([pattern, handler]) => {
    const [method, path] = pattern.split(' ');
    const names = [];
    const source = path.replace(/:(\w+)/g, (_match, name) => {
      names.push(name);
      return '([^/]+)';
    });
    return {method, regex: new RegExp(`^${source}$`), names, handler};
  });
  const find = (method, pathname) => {
    let allowed = false;
    for (const route of compiled) {
      const match = route.regex.exec(pathname);
      if (!match) continue;
      if (route.method !== method) {
        allowed = true;
        continue;
      }
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
      return {handler: route.handler, params};
    }
    return allowed ? {status: 405} : {status: 404};
  };
  return async (req, res, url) => {
    const found = find(req.method ?? 'GET', url.pathname);
    if (found.handler === undefined) {
      notFound(res, found.status);
      return;
    }
    await found.handler(req, res, {params: found.params, url});
  };
}
