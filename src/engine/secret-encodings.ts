// Shorter values are not masked at all: masking every `abc` or `1` that
// happens to be a secret would blank out unrelated output, and a value that
// short is no real protection anyway. The same floor applies to each encoding.
export const minimumSecretLength = 4;

// The forms a secret takes when a tool re-encodes it before printing:
// base64 (standard and URL-safe, padded or not, also as part of a longer
// encoded value), URL-encoded and JSON-escaped.
export function secretVariants(value: string): string[] {
  if (value.length < minimumSecretLength) return [];
  const variants = new Set<string>([
    value,
    ...base64Forms(Buffer.from(value, 'utf8')),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
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
