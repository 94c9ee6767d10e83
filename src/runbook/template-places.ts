import type {HttpHeader, HttpRequestSpec} from '../executors/kinds/http/request.js';
import {findTemplateReferences, type TemplateReference} from './templates.js';

// Where in an http request a `{{…}}` sits decides how its value is pasted
// (see template-paste.ts): the place is read from the block's own text,
// never from the values, so a value cannot change what it is taken for.
export type TemplatePlace =
  // the template begins the URL and more follows: a base URL (`{{API_ORIGIN}}/health`)
  | 'url-base'
  // the template is the whole URL
  | 'url-whole'
  // in `https://…@`, before the `@`
  | 'url-userinfo'
  // in the host or port (`https://{{HOST}}:{{PORT}}/`)
  | 'url-host'
  | 'url-path'
  | 'url-query'
  | 'url-fragment'
  | 'header'
  | 'json-string'
  | 'json-value'
  | 'form'
  | 'text'
  // a body neither JSON, form-encoded nor text/plain
  | 'body';

export interface PlacedTemplate extends TemplateReference {
  readonly place: TemplatePlace;
}

export type BodyKind = 'json' | 'form' | 'text' | 'other';

type UrlPart = 'scheme' | 'authority' | 'path' | 'query' | 'fragment';

export function urlTemplates(url: string): PlacedTemplate[] {
  const placed: PlacedTemplate[] = [];
  let part = 'scheme' as UrlPart;
  let inAuthority: number[] = [];
  let position = 0;
  const scanLiteral = (text: string): void => {
    for (let index = 0; index < text.length; index += 1) {
      const char = text[index];
      if (part === 'scheme' && char === ':' && text.startsWith('//', index + 1)) {
        part = 'authority';
        index += 2;
      } else if (char === '#' && part !== 'fragment') {
        part = 'fragment';
      } else if (char === '?' && part !== 'query' && part !== 'fragment') {
        part = 'query';
      } else if (char === '/' && (part === 'scheme' || part === 'authority')) {
        part = 'path';
      } else if (char === '@' && part === 'authority') {
        for (const at of inAuthority) placed[at] = {...(placed[at] as PlacedTemplate), place: 'url-userinfo'};
        inAuthority = [];
      }
    }
  };
  for (const reference of findTemplateReferences(url)) {
    scanLiteral(url.slice(position, reference.index));
    position = reference.index + reference.length;
    if (reference.index === 0) {
      placed.push({...reference, place: position === url.length ? 'url-whole' : 'url-base'});
      // a base URL is checked to end before any `?` or `#`
      part = 'path';
      continue;
    }
    if (part === 'scheme' || part === 'authority') inAuthority.push(placed.length);
    placed.push({...reference, place: urlPlaces[part]});
  }
  return placed;
}

const urlPlaces: Record<UrlPart, TemplatePlace> = {
  scheme: 'url-host', authority: 'url-host', path: 'url-path', query: 'url-query', fragment: 'url-fragment',
};

export function headerTemplates(header: HttpHeader): PlacedTemplate[] {
  return findTemplateReferences(header.value).map((reference) => ({...reference, place: 'header'}));
}

// The body's kind from its Content-Type, or, without one (or with one that
// is itself a template), JSON when the body is JSON once its templates are
// filled in with placeholders.
export function bodyKind(request: Pick<HttpRequestSpec, 'headers' | 'body'>): BodyKind {
  const contentType = request.headers.findLast((header) => header.name.toLowerCase() === 'content-type')?.value;
  if (contentType !== undefined && !contentType.includes('{{')) {
    const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
    if (essence.endsWith('json')) return 'json';
    if (essence === 'application/x-www-form-urlencoded') return 'form';
    if (essence === 'text/plain') return 'text';
    return 'other';
  }
  try {
    JSON.parse(scanJson(request.body).placeholder);
    return 'json';
  } catch {
    return 'other';
  }
}

export function bodyTemplates(request: Pick<HttpRequestSpec, 'headers' | 'body'>): PlacedTemplate[] {
  const kind = bodyKind(request);
  if (kind === 'json') return scanJson(request.body).placed;
  const place = bodyPlaces[kind];
  return findTemplateReferences(request.body).map((reference) => ({...reference, place}));
}

const bodyPlaces: Record<Exclude<BodyKind, 'json'>, TemplatePlace> = {form: 'form', text: 'text', other: 'body'};

// Reads a JSON text just far enough to know which templates sit inside a
// string literal; `placeholder` is the text with each template replaced by
// something of its kind, to tell whether the body is JSON at all.
function scanJson(body: string): {placed: PlacedTemplate[]; placeholder: string} {
  const placed: PlacedTemplate[] = [];
  let inString = false;
  let placeholder = '';
  let position = 0;
  const scanLiteral = (text: string): void => {
    for (let index = 0; index < text.length; index += 1) {
      const char = text[index];
      if (inString && char === '\\') index += 1;
      else if (char === '"') inString = !inString;
    }
    placeholder += text;
  };
  for (const reference of findTemplateReferences(body)) {
    scanLiteral(body.slice(position, reference.index));
    position = reference.index + reference.length;
    placed.push({...reference, place: inString ? 'json-string' : 'json-value'});
    placeholder += inString ? '' : '0';
  }
  scanLiteral(body.slice(position));
  return {placed, placeholder};
}
