// The sandbox's stand-in for Postgres answers over HTTP on the host and port
// of DATABASE_URL, with the URL's credentials; a wrong password is refused
// just like Postgres would refuse it. The password is never printed.

export class DatabaseError extends Error {}

export function connect(raw = process.env.DATABASE_URL) {
  if (raw === undefined || raw === '') throw new DatabaseError('DATABASE_URL is not set');
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new DatabaseError('DATABASE_URL is not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new DatabaseError(`DATABASE_URL has protocol ${url.protocol}, expected postgres:`);
  if (url.password === '') throw new DatabaseError('DATABASE_URL has no password');
  const user = decodeURIComponent(url.username);
  const authorization = `Basic ${Buffer.from(`${user}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  const display = `${url.protocol}//${user}:***@${url.host}${url.pathname}`;

  const call = async (method, path, body) => {
    let response;
    try {
      response = await fetch(`http://${url.host}/__sandbox/db${path}`, {
        method,
        headers: {authorization, ...(body === undefined ? {} : {'content-type': 'application/json'})},
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new DatabaseError(`connection to ${url.host} failed: ${cause}`);
    }
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new DatabaseError(json.detail ?? `database answered ${response.status}`);
    return json;
  };
  return {display, get: (path) => call('GET', path), post: (path, body) => call('POST', path, body)};
}
