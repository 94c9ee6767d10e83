import {closest} from '../../../runbook/attributes/suggest.js';

// Parses an `http` block in REST Client syntax: optional comments, a request
// line (`METHOD URL [HTTP/1.1]`), headers, a blank line, a body, and httpyac
// style `?? subject [target] operator [expected]` assertions on any line.

export interface HttpHeader {
  readonly name: string;
  readonly value: string;
}

export type AssertionSubject = 'status' | 'header' | 'body' | 'duration';

export interface HttpAssertion {
  readonly source: string;
  readonly subject: AssertionSubject;
  // header name for `header`, JSONPath (`$.status`) or '' (whole body) for `body`
  readonly target: string;
  readonly operator: string;
  readonly expected: string;
  readonly line: number;
}

export interface HttpRequestSpec {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly HttpHeader[];
  readonly body: string;
  readonly assertions: readonly HttpAssertion[];
}

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const assertionSubjects = ['status', 'header', 'body', 'duration'] as const satisfies readonly AssertionSubject[];

export const assertionOperators = [
  '==', 'equals', '!=', '>', '>=', '<', '<=', 'startsWith', 'endsWith', 'includes', 'contains', 'matches',
  'exists', 'isTrue', 'isFalse', 'isNumber', 'isBoolean', 'isString', 'isArray',
] as const;

const unaryOperators: ReadonlySet<string> = new Set(['exists', 'isTrue', 'isFalse', 'isNumber', 'isBoolean', 'isString', 'isArray']);
const operatorSet: ReadonlySet<string> = new Set(assertionOperators);
const methodSet: ReadonlySet<string> = new Set(httpMethods);

export interface HttpParseProblem {
  readonly message: string;
  // 0-based line within the block, 1-based column
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

export interface HttpParseResult {
  readonly request?: HttpRequestSpec;
  // where each part of `request` was written, to place a message about a template in it
  readonly layout?: HttpLayout;
  readonly problems: HttpParseProblem[];
}

// 0-based lines of the block and 0-based indexes in them.
export interface HttpLayout {
  readonly url: {readonly line: number; readonly index: number};
  // where each header's value starts
  readonly headers: readonly {readonly line: number; readonly index: number}[];
  // the block line of each line of the body
  readonly body: readonly number[];
}

const isComment = (line: string): boolean => /^\s*(#|\/\/)/.test(line);
// what undici can request: http(s), or a template that fills in the origin
const absoluteUrl = /^(?:https?:\/\/[^\s/?#]|\{\{)/i;

export function parseHttpRequest(code: string): HttpParseResult {
  const lines = code.split(/\r\n|\r|\n/);
  const problems: HttpParseProblem[] = [];
  const assertions: HttpAssertion[] = [];
  const headers: HttpHeader[] = [];
  const bodyLines: string[] = [];
  const layout: {url: HttpLayout['url']; headers: HttpLayout['headers'][number][]; body: number[]} = {url: {line: 0, index: 0}, headers: [], body: []};
  let method: string | undefined;
  let url: string | undefined;
  let section: 'start' | 'headers' | 'body' = 'start';

  lines.forEach((line, index) => {
    if (/^\s*\?\?\s/.test(line) || /^\s*\?\?$/.test(line)) {
      const assertion = parseAssertion(line, index, problems);
      if (assertion) assertions.push(assertion);
      return;
    }
    if (section === 'start') {
      if (line.trim() === '' || isComment(line)) return;
      // a template is one word, spaces inside it (`{{raw PATH}}`) included
      const parts = line.match(/(?:\{\{[^{}]*\}\}|\S)+/g) ?? [];
      const first = parts[0] ?? '';
      const indent = line.length - line.trimStart().length;
      if (methodSet.has(first.toUpperCase()) && parts.length === 1) {
        problems.push({line: index, column: indent + 1, endColumn: indent + first.length + 1,
          message: `Unexpected \`${first}\` without a URL, expected a request line such as \`${first.toUpperCase()} https://host/path\``});
        section = 'body';
        return;
      }
      if (methodSet.has(first.toUpperCase()) && parts.length >= 2) {
        method = first.toUpperCase();
        url = parts[1];
        if (url !== undefined && !absoluteUrl.test(url)) {
          const column = line.indexOf(url, indent + first.length) + 1;
          problems.push({line: index, column, endColumn: column + url.length,
            message: `Unexpected URL \`${url}\`, expected an absolute \`http://\` or \`https://\` URL such as \`https://host/path\` (or one that starts with a variable, \`{{API_ORIGIN}}/path\`)`});
        }
      } else if (/^https?:\/\//i.test(first) || /^\{\{/.test(first)) {
        method = 'GET';
        url = first;
      } else {
        problems.push({line: index, column: indent + 1, endColumn: indent + first.length + 1,
          message: `Unexpected \`${first}\`, expected a request line such as \`GET https://host/path\``});
        section = 'body';
        return;
      }
      const version = parts[method === 'GET' && parts[0] === url ? 1 : 2];
      if (version !== undefined && !/^HTTP\/\d(\.\d)?$/i.test(version)) {
        const column = line.indexOf(version, line.indexOf(url ?? '') + (url ?? '').length) + 1;
        problems.push({line: index, column, endColumn: column + version.length,
          message: `Unexpected \`${version}\` after the URL, expected \`HTTP/1.1\` or the end of the line (encode spaces in the URL as %20)`});
      }
      layout.url = {line: index, index: line.indexOf(url ?? '')};
      section = 'headers';
      return;
    }
    if (section === 'headers') {
      if (line.trim() === '') {
        section = 'body';
        return;
      }
      if (isComment(line)) return;
      const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s?(.*)$/.exec(line);
      if (!match) {
        const indent = line.length - line.trimStart().length;
        problems.push({line: index, column: indent + 1, endColumn: line.length + 1,
          message: `Unexpected \`${line.trim()}\` in the headers, expected \`Name: value\` or a blank line before the body`});
        return;
      }
      const value = match[2] ?? '';
      headers.push({name: match[1] ?? '', value: value.trim()});
      layout.headers.push({line: index, index: line.length - value.trimStart().length});
      return;
    }
    bodyLines.push(line);
    layout.body.push(index);
  });

  if (method === undefined || url === undefined) {
    if (problems.length === 0) {
      problems.push({line: 0, column: 1, endColumn: 1, message: 'Unexpected empty http block, expected a request line such as `GET https://host/path`'});
    }
    return {problems};
  }
  while (bodyLines.length > 0 && (bodyLines.at(-1) ?? '').trim() === '') {
    bodyLines.pop();
    layout.body.pop();
  }
  return {request: {method, url, headers, body: bodyLines.join('\n'), assertions}, layout, problems};
}

interface Word {
  readonly text: string;
  // 1-based column in the line
  readonly column: number;
}

function wordsOf(line: string, from: number): Word[] {
  const words: Word[] = [];
  for (const match of line.slice(from).matchAll(/\S+/g)) words.push({text: match[0], column: from + (match.index ?? 0) + 1});
  return words;
}

function parseAssertion(line: string, index: number, problems: HttpParseProblem[]): HttpAssertion | undefined {
  const start = line.indexOf('??');
  const text = line.slice(start + 2).trim();
  const words = wordsOf(line, start + 2);
  const fail = (message: string, at: Word | undefined, endColumn?: number): undefined => {
    const column = at?.column ?? start + 1;
    problems.push({line: index, column, endColumn: endColumn ?? column + (at?.text.length ?? 2), message});
    return undefined;
  };
  const subjectWord = words[0];
  if (subjectWord === undefined) return fail('Unexpected empty assertion, expected `?? status == 200`', undefined);
  const subject = subjectWord.text;
  if (!(assertionSubjects as readonly string[]).includes(subject)) {
    const suggestion = closest(subject, assertionSubjects);
    return fail(suggestion === undefined
      ? `Unexpected assertion subject \`${subject}\`, expected \`status\`, \`header NAME\`, \`body [$.path]\` or \`duration\``
      : `Unexpected assertion subject \`${subject}\`, did you mean \`${suggestion}\`?`, subjectWord);
  }
  let rest = words.slice(1);
  let target = '';
  if (subject === 'header') {
    target = rest[0]?.text ?? '';
    if (target === '' || operatorSet.has(target)) return fail('Unexpected assertion without a header name, expected `?? header content-type includes json`', subjectWord);
    rest = rest.slice(1);
  } else if (subject === 'body' && rest[0] !== undefined && rest[0].text.startsWith('$')) {
    target = rest[0].text;
    rest = rest.slice(1);
  }
  const operatorWord = rest[0];
  if (operatorWord === undefined) return fail(`Unexpected end of assertion, expected an operator such as \`==\` after \`${subject}\``, subjectWord);
  const operator = operatorWord.text;
  if (!operatorSet.has(operator)) {
    const suggestion = closest(operator, assertionOperators);
    return fail(suggestion === undefined
      ? `Unexpected operator \`${operator}\`, expected one of ${assertionOperators.map((op) => `\`${op}\``).join(', ')}`
      : `Unexpected operator \`${operator}\`, did you mean \`${suggestion}\`?`, operatorWord);
  }
  const expectedWord = rest[1];
  const expected = expectedWord === undefined ? '' : line.slice(expectedWord.column - 1).trim();
  const expectedEnd = line.trimEnd().length + 1;
  if (unaryOperators.has(operator) && expected !== '') {
    return fail(`Unexpected \`${expected}\` after \`${operator}\`, expected nothing`, expectedWord, expectedEnd);
  }
  if (!unaryOperators.has(operator) && expected === '') {
    return fail(`Unexpected end of assertion, expected a value after \`${operator}\``, operatorWord);
  }
  if (subject === 'status' || subject === 'duration') {
    if (['>', '>=', '<', '<='].includes(operator) && !/^\d+$/.test(expected)) {
      return fail(`Unexpected \`${expected}\`, expected a number to compare ${subject} with`, expectedWord, expectedEnd);
    }
  }
  if (operator === 'matches') {
    try {
      new RegExp(expected);
    } catch {
      return fail(`Unexpected \`${expected}\`, expected a valid regular expression`, expectedWord, expectedEnd);
    }
  }
  return {source: text, subject: subject as AssertionSubject, target, operator, expected, line: index};
}
