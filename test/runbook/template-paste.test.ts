import {describe, expect, it} from 'vitest';
import type {HttpHeader} from '../../src/executors/kinds/http/request.js';
import {pasteTemplateValue} from '../../src/runbook/template-paste.js';
import {bodyKind, bodyTemplates, urlTemplates, type PlacedTemplate} from '../../src/runbook/template-places.js';
import {renderTemplate} from '../../src/runbook/templates.js';

const fill = (text: string, templates: readonly PlacedTemplate[], values: Record<string, string>): string =>
  renderTemplate(text, templates, (template) => {
    const pasted = pasteTemplateValue(template, values[template.expression] ?? '');
    return 'text' in pasted ? pasted.text : `<${pasted.problem}>`;
  });
const url = (text: string, values: Record<string, string>): string => fill(text, urlTemplates(text), values);
const body = (text: string, values: Record<string, string>, headers: HttpHeader[] = []): string =>
  fill(text, bodyTemplates({headers, body: text}), values);
const json: HttpHeader[] = [{name: 'Content-Type', value: 'application/json'}];

describe('template places in a URL', () => {
  it('knows a base URL, the host, userinfo, path, query and fragment', () => {
    const places = (text: string): string[] => urlTemplates(text).map((template) => `${template.expression}:${template.place}`);
    expect(places('{{API}}/items/{{ID}}?q={{Q}}&{{K}}=1#{{F}}')).toEqual(['API:url-base', 'ID:url-path', 'Q:url-query', 'K:url-query', 'F:url-fragment']);
    expect(places('{{URL}}')).toEqual(['URL:url-whole']);
    expect(places('https://{{USER}}:{{PASS}}@{{HOST}}:{{PORT}}/{{P}}')).toEqual(['USER:url-userinfo', 'PASS:url-userinfo', 'HOST:url-host', 'PORT:url-host', 'P:url-path']);
    expect(places('http://localhost:{{PORT}}?a={{A}}')).toEqual(['PORT:url-host', 'A:url-query']);
    expect(places('https://h/a?x=/?{{A}}#?{{B}}')).toEqual(['A:url-query', 'B:url-fragment']);
  });

  it('percent-encodes a query value: `&`, `=`, `#`, `+` and spaces cannot add or drop a parameter', () => {
    expect(url('{{API}}/search?q={{X}}&limit=10', {API: 'https://api.example.com', X: 'a&admin=1#frag'}))
      .toBe('https://api.example.com/search?q=a%26admin%3D1%23frag&limit=10');
    expect(url('https://h/s?{{K}}={{V}}', {K: 'a b+c', V: '1=2'})).toBe('https://h/s?a%20b%2Bc=1%3D2');
  });

  it('percent-encodes a path segment: `/`, `?`, `#`, `%` and spaces stay in the segment', () => {
    expect(url('{{API}}/items/{{ID}}/tags', {API: 'https://h/v1', ID: '../admin?x=1#y %41'}))
      .toBe('https://h/v1/items/..%2Fadmin%3Fx%3D1%23y%20%2541/tags');
  });

  it('pastes a raw template as it is', () => {
    const text = '{{API}}/{{raw PATH}}?{{raw QUERY}}';
    expect(url(text, {API: 'https://h', PATH: 'a/b', QUERY: 'x=1&y=2'})).toBe('https://h/a/b?x=1&y=2');
  });

  it('pastes a base URL as it is when it is an absolute http(s) URL, and refuses anything else', () => {
    expect(url('{{API}}/health', {API: 'https://api.example.com/v1'})).toBe('https://api.example.com/v1/health');
    expect(url('{{URL}}', {URL: 'http://h/x?y=1'})).toBe('http://h/x?y=1');
    expect(url('{{API}}/health', {API: 'api.example.com'}))
      .toBe('<`{{API}}` begins the URL but its value is not a URL, expected an absolute http or https URL such as `https://api.example.com`>/health');
    expect(url('{{API}}/health', {API: 'file:///etc'})).toContain('has the scheme `file:`');
    expect(url('{{API}}/health', {API: 'https://h/?a=1'}))
      .toContain('`{{API}}` begins the URL, which goes on after it, but its value holds `?`, expected a base URL without a query or fragment');
    expect(url('{{API}}/health', {API: 'https://h\n.evil'})).toContain('its value holds `\\n`');
  });

  it('refuses a host or port that holds what would end it', () => {
    expect(url('https://{{HOST}}/x', {HOST: 'api.example.com'})).toBe('https://api.example.com/x');
    expect(url('https://{{HOST}}/x', {HOST: 'evil.com/?'}))
      .toBe('https://<`{{HOST}}` sits in the URL\'s host or port, expected a host name, an address or a port, not a value holding `/`>/x');
    expect(url('https://h:{{PORT}}/', {PORT: '80@evil'})).toContain('not a value holding `@`');
  });
});

describe('template places in a body', () => {
  it('takes the kind from Content-Type, or JSON when the body is JSON with its templates filled in', () => {
    expect(bodyKind({headers: json, body: 'x'})).toBe('json');
    expect(bodyKind({headers: [{name: 'content-type', value: 'application/merge-patch+json; charset=utf-8'}], body: ''})).toBe('json');
    expect(bodyKind({headers: [{name: 'Content-Type', value: 'application/x-www-form-urlencoded'}], body: ''})).toBe('form');
    expect(bodyKind({headers: [{name: 'Content-Type', value: 'text/plain'}], body: ''})).toBe('text');
    expect(bodyKind({headers: [{name: 'Content-Type', value: 'application/xml'}], body: '{}'})).toBe('other');
    expect(bodyKind({headers: [], body: '{"n": {{N}}, "s": "{{S}}"}'})).toBe('json');
    expect(bodyKind({headers: [], body: 'rollback to {{SHA}}'})).toBe('other');
  });

  it('escapes a value inside a JSON string, so it cannot close the string', () => {
    expect(body('{"reason": "to {{R}}", "{{K}}": 1}', {R: 'x", "admin": true, "y": "\n', K: 'k\\'}, json))
      .toBe('{"reason": "to x\\", \\"admin\\": true, \\"y\\": \\"\\n", "k\\\\": 1}');
    expect(body('{"a": "\\"{{R}}"}', {R: '"'}, json)).toBe('{"a": "\\"\\""}');
  });

  it('pastes a JSON value where the body expects one, and refuses text that is not JSON', () => {
    expect(body('{"n": {{N}}, "on": {{ON}}, "list": {{L}}}', {N: '42', ON: 'true', L: '[1, "two"]'}, json)).toBe('{"n": 42, "on": true, "list": [1, "two"]}');
    expect(body('{"n": {{N}}}', {N: '1, "admin": true'}, json))
      .toBe('{"n": <`{{N}}` sits where the JSON body expects a value, expected JSON (a number, `true`, `false`, `null`, a quoted string, an array or an object); write `"{{N}}"` to send it as a string>}');
    expect(body('{{PAYLOAD}}', {PAYLOAD: '{"a": 1}'})).toBe('{"a": 1}');
  });

  it('percent-encodes a form body and pastes text/plain and other bodies as they are', () => {
    const form: HttpHeader[] = [{name: 'Content-Type', value: 'application/x-www-form-urlencoded'}];
    expect(body('q={{X}}&limit=10', {X: 'a&admin=1 +'}, form)).toBe('q=a%26admin%3D1%20%2B&limit=10');
    expect(body('note: {{X}}', {X: 'a&b "c"'}, [{name: 'Content-Type', value: 'text/plain'}])).toBe('note: a&b "c"');
    expect(body('<a>{{X}}</a>', {X: '</a>'}, [{name: 'Content-Type', value: 'application/xml'}])).toBe('<a></a></a>');
  });
});

describe('template values in a header', () => {
  it('refuses a line break, also in a raw template', () => {
    for (const raw of [false, true]) {
      const template: PlacedTemplate = {expression: 'X', root: 'X', offset: 0, index: 0, length: 5, raw, place: 'header'};
      expect(pasteTemplateValue(template, 'a\r\nX-Admin: 1')).toEqual({problem: `\`{{${raw ? 'raw ' : ''}X}}\` in a header resolves to a value with a line break or NUL, which would end the header; expected a value on one line`});
      expect(pasteTemplateValue(template, 'Bearer a&b c')).toEqual({text: 'Bearer a&b c'});
    }
  });
});
