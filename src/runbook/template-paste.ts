import type {PlacedTemplate, TemplatePlace} from './template-places.js';

// A template's value as pasted at its place, or why it cannot be: a value
// is data, so it is encoded for where it lands and can never add a query
// parameter, end a header or change the shape of a JSON body. `{{raw X}}`
// pastes X as it is (a header value still may not hold a line break).
export type Paste = {readonly text: string} | {readonly problem: string};

export function pasteTemplateValue(template: PlacedTemplate, value: string): Paste {
  const written = `\`{{${template.raw ? 'raw ' : ''}${template.expression}}}\``;
  if (template.place === 'header') {
    return /[\r\n\0]/.test(value)
      ? {problem: `${written} in a header resolves to a value with a line break or NUL, which would end the header; expected a value on one line`}
      : {text: value};
  }
  if (template.raw) return {text: value};
  return pasters[template.place](value, written, template.expression);
}

type Paster = (value: string, written: string, expression: string) => Paste;

const percentEncoded: Paster = (value, written) => {
  try {
    return {text: encodeURIComponent(value)};
  } catch {
    return {problem: `${written} resolves to text that is not valid Unicode (an unpaired surrogate), expected text that can be percent-encoded`};
  }
};

const asIs: Paster = (value) => ({text: value});

const pasters: Record<Exclude<TemplatePlace, 'header'>, Paster> = {
  'url-base': (value, written) => baseUrl(value, written, true),
  'url-whole': (value, written) => baseUrl(value, written, false),
  'url-host': (value, written) => {
    const bad = /[^\p{L}\p{N}._~:[\]-]/u.exec(value)?.[0];
    return bad === undefined
      ? {text: value}
      : {problem: `${written} sits in the URL's host or port, expected a host name, an address or a port, not a value holding ${describeCharacter(bad)}`};
  },
  'url-userinfo': percentEncoded,
  'url-path': percentEncoded,
  'url-query': percentEncoded,
  'url-fragment': percentEncoded,
  form: percentEncoded,
  'json-string': (value) => ({text: JSON.stringify(value).slice(1, -1)}),
  'json-value': (value, written, expression) => {
    try {
      JSON.parse(value);
      return {text: value};
    } catch {
      return {problem: `${written} sits where the JSON body expects a value, expected JSON (a number, \`true\`, \`false\`, \`null\`, a quoted string, an array or an object); write \`"{{${expression}}}"\` to send it as a string`};
    }
  },
  text: asIs,
  body: asIs,
};

// A base URL is pasted as it is, so it must be one: an absolute http(s) URL
// (a path prefix such as `/v1` allowed), and, when the block's URL goes on
// after it, without a query or fragment the rest would be appended to.
function baseUrl(value: string, written: string, followed: boolean): Paste {
  const expected = `expected an absolute http or https URL such as \`https://api.example.com\``;
  const space = /[\s\p{Cc}]/u.exec(value)?.[0];
  if (space !== undefined) return {problem: `${written} begins the URL but its value holds ${describeCharacter(space)}, ${expected}`};
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return {problem: `${written} begins the URL but its value is not a URL, ${expected}`};
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return {problem: `${written} begins the URL but its value has the scheme \`${parsed.protocol}\`, ${expected}`};
  }
  if (followed && /[?#]/.test(value)) {
    return {problem: `${written} begins the URL, which goes on after it, but its value holds \`${/[?#]/.exec(value)?.[0] ?? '?'}\`, expected a base URL without a query or fragment such as \`https://api.example.com/v1\``};
  }
  return {text: value};
}

function describeCharacter(char: string): string {
  if (char === ' ') return 'a space';
  if (/[\s\p{Cc}]/u.test(char)) return `\`${JSON.stringify(char).slice(1, -1)}\``;
  return `\`${char}\``;
}
