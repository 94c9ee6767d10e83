// Shorter values are not masked at all: masking every `abc` or `1` that
// happens to be a secret would blank out unrelated output, and a value that
// short is no real protection anyway. The same floor applies to each encoding
// and to each line of a multi-line secret.
export const minimumSecretLength = 4;

// A form of a secret is found across a line wrap only when it is at least
// this long: shorter ones would match pieces of unrelated lines.
export const minimumWrappedLength = 8;

// The forms a secret takes when a tool re-encodes it before printing:
// base64 (standard and URL-safe, padded or not, also as part of a longer
// encoded value), hex in either case, URL-encoded (`encodeURIComponent`,
// `quote()` keeping `/`, form encoding with `+` for space; either hex case),
// JSON-escaped and shell-quoted (`'…'` with `'\''`, `$'…'`), and each line
// of a multi-line secret on its own. Backslash and %-escapes and line wraps
// are undone by the view the redactor searches (see secret-view.ts), so
// these are the forms before any such escaping.
export function secretVariants(value: string): string[] {
  if (value.length < minimumSecretLength) return [];
  const bytes = Buffer.from(value, 'utf8');
  const hex = bytes.toString('hex');
  const variants = new Set<string>([
    value,
    ...value.split(/\r?\n/),
    ...base64Forms(bytes),
    hex,
    hex.toUpperCase(),
    ...percentForms(value),
    JSON.stringify(value).slice(1, -1),
    value.replaceAll('\'', '\'\\\'\''),
    ansiCQuoted(value),
  ]);
  return [...variants].filter((variant) => variant.length >= minimumSecretLength);
}

function base64Forms(bytes: Buffer): string[] {
  const padded = bytes.toString('base64');
  const forms = [padded, padded.replace(/=+$/, '')];
  // Inside a longer encoded value (a Basic auth pair, a docker config) the
  // secret's bytes start at one of the three offsets of a base64 group; the
  // characters it shares with its neighbours' bits are dropped.
  for (const offset of [0, 1, 2] as const) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    const lead = offset === 0 ? 0 : offset + 1;
    const trail = (offset + bytes.length) % 3 === 0 ? 0 : 1;
    forms.push(shifted.slice(lead, shifted.length - trail));
  }
  return forms.flatMap((form) => [form, form.replaceAll('+', '-').replaceAll('/', '_')]);
}

// ASCII %-escapes are decoded in the view; what is left differs by the
// case of the hex digits of non-ASCII bytes, and by `+` for space.
function percentForms(value: string): string[] {
  const component = encodeURIComponent(value);
  const form = component.replaceAll('%20', '+');
  return [component, form].flatMap((encoded) => [encoded, encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())]);
}

// bash's `$'…'`, as `printf %q` and `set -x` print values with control characters
function ansiCQuoted(value: string): string {
  const named: Record<string, string> = {'\\': '\\\\', '\'': '\\\'', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\E'};
  return [...value].map((character) => named[character] ?? character).join('');
}
