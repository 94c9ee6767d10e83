import type {AssertionSubject, HttpAssertion, HttpHeader, HttpRequestSpec} from './model.js';

// Parses an `http` block in REST Client syntax: optional comments, a request
// line (`METHOD URL [HTTP/1.1]`), headers, a blank line, a body, and httpyac
// style `?? subject [target] operator [expected]` assertions on any line.

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

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
  readonly problems: HttpParseProblem[];
}

const isComment = (line: string): boolean => /^\s*(#|\/\/)/.test(line);

export function parseHttpRequest(code: string): HttpParseResult {
  const lines = code.split('\n');
  const problems: HttpParseProblem[] = [];
  const assertions: HttpAssertion[] = [];
  const headers: HttpHeader[] = [];
  const bodyLines: string[] = [];
  let method: string | undefined;
  let url: string | undefined;
  let section: 'start' | 'headers' | 'body' = 'start';

  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*\?\?\s/.test(line) || /^\s*\?\?$/.test(line)) {
      const assertion = parseAssertion(line, index, problems);
      if (assertion) assertions.push(assertion);
      return;
    }
    if (section === 'start') {
      if (line.trim() === '' || isComment(line)) return;
      const parts = line.trim().split(/\s+/);
      const first = parts[0] ?? '';
      const indent = line.length - line.trimStart().length;
      if (methodSet.has(first.toUpperCase()) && parts.length >= 2) {
        method = first.toUpperCase();
        url = parts[1];
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
        const column = line.indexOf(version) + 1;
        problems.push({line: index, column, endColumn: column + version.length,
          message: `Unexpected \`${version}\` after the URL, expected \`HTTP/1.1\` or the end of the line (encode spaces in the URL as %20)`});
      }
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
      headers.push({name: match[1] ?? '', value: (match[2] ?? '').trim()});
      return;
    }
    bodyLines.push(line);
  });

  if (method === undefined || url === undefined) {
    if (problems.length === 0) {
      problems.push({line: 0, column: 1, endColumn: 1, message: 'Unexpected empty http block, expected a request line such as `GET https://host/path`'});
    }
    return {problems};
  }
  while (bodyLines.length > 0 && (bodyLines.at(-1) ?? '').trim() === '') bodyLines.pop();
  return {request: {method, url, headers, body: bodyLines.join('\n'), assertions}, problems};
}

function parseAssertion(line: string, index: number, problems: HttpParseProblem[]): HttpAssertion | undefined {
  const start = line.indexOf('??');
  const text = line.slice(start + 2).trim();
  const columnOf = (fragment: string): number => line.indexOf(fragment, start) + 1;
  const words = text.split(/\s+/).filter((word) => word !== '');
  const subject = words[0];
  const fail = (message: string, fragment: string): undefined => {
    const column = fragment === '' ? start + 1 : columnOf(fragment);
    problems.push({line: index, column, endColumn: column + Math.max(fragment.length, 2), message});
    return undefined;
  };
  if (subject === undefined) return fail('Unexpected empty assertion, expected `?? status == 200`', '');
  if (!['status', 'header', 'body', 'duration'].includes(subject)) {
    return fail(`Unexpected assertion subject \`${subject}\`, expected \`status\`, \`header NAME\`, \`body [$.path]\` or \`duration\``, subject);
  }
  let rest = words.slice(1);
  let target = '';
  if (subject === 'header') {
    target = rest[0] ?? '';
    if (target === '' || operatorSet.has(target)) return fail('Unexpected assertion without a header name, expected `?? header content-type includes json`', subject);
    rest = rest.slice(1);
  } else if (subject === 'body' && rest[0] !== undefined && rest[0].startsWith('$')) {
    target = rest[0];
    rest = rest.slice(1);
  }
  const operator = rest[0];
  if (operator === undefined) return fail(`Unexpected end of assertion, expected an operator such as \`==\` after \`${subject}\``, subject);
  if (!operatorSet.has(operator)) {
    return fail(`Unexpected operator \`${operator}\`, expected one of ${assertionOperators.map((op) => `\`${op}\``).join(', ')}`, operator);
  }
  const expected = text.slice(text.indexOf(operator, text.indexOf(subject) + subject.length + target.length) + operator.length).trim();
  if (unaryOperators.has(operator) && expected !== '') {
    return fail(`Unexpected \`${expected}\` after \`${operator}\`, expected nothing`, expected);
  }
  if (!unaryOperators.has(operator) && expected === '') {
    return fail(`Unexpected end of assertion, expected a value after \`${operator}\``, operator);
  }
  if (subject === 'status' || subject === 'duration') {
    if (['>', '>=', '<', '<='].includes(operator) && !/^\d+$/.test(expected)) {
      return fail(`Unexpected \`${expected}\`, expected a number to compare ${subject} with`, expected);
    }
  }
  if (operator === 'matches') {
    try {
      new RegExp(expected);
    } catch {
      return fail(`Unexpected \`${expected}\`, expected a valid regular expression`, expected);
    }
  }
  return {source: text, subject: subject as AssertionSubject, target, operator, expected, line: index};
}
