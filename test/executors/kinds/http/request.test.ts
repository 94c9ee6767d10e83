import {describe, expect, it} from 'vitest';
import {parseHttpRequest} from '../../../../src/executors/kinds/http/request.js';

describe('parseHttpRequest', () => {
  it('reads comments, the request line, headers, body and assertions', () => {
    const code = [
      '# create an item',
      'POST {{API}}/items HTTP/1.1',
      'Content-Type: application/json',
      '// a comment among headers',
      'X-Empty:',
      '',
      '{"name": "a"}',
      '?? status == 201',
      '',
      '?? header content-type includes json',
      '?? body $.name == a b',
      '?? body exists',
      '?? duration < 500',
      '?? body matches ^\\{',
    ].join('\n');
    expect(parseHttpRequest(code)).toEqual({
      request: {
        method: 'POST',
        url: '{{API}}/items',
        headers: [{name: 'Content-Type', value: 'application/json'}, {name: 'X-Empty', value: ''}],
        body: '{"name": "a"}',
        assertions: [
          {source: 'status == 201', subject: 'status', target: '', operator: '==', expected: '201', line: 7},
          {source: 'header content-type includes json', subject: 'header', target: 'content-type', operator: 'includes', expected: 'json', line: 9},
          {source: 'body $.name == a b', subject: 'body', target: '$.name', operator: '==', expected: 'a b', line: 10},
          {source: 'body exists', subject: 'body', target: '', operator: 'exists', expected: '', line: 11},
          {source: 'duration < 500', subject: 'duration', target: '', operator: '<', expected: '500', line: 12},
          {source: 'body matches ^\\{', subject: 'body', target: '', operator: 'matches', expected: '^\\{', line: 13},
        ],
      },
      layout: {url: {line: 1, index: 5}, headers: [{line: 2, index: 14}, {line: 4, index: 8}], body: [6]},
      problems: [],
    });
  });

  it('takes a bare URL as GET and accepts lower-case methods', () => {
    expect(parseHttpRequest('https://x.test/a').request).toMatchObject({method: 'GET', url: 'https://x.test/a'});
    expect(parseHttpRequest('delete https://x.test/a').request).toMatchObject({method: 'DELETE', url: 'https://x.test/a'});
  });

  it('positions problems by 0-based line and 1-based columns', () => {
    expect(parseHttpRequest('GET https://x.test/a b\nBad header\n\n?? status isTrue yes\n?? body matches (').problems).toEqual([
      {line: 0, column: 22, endColumn: 23, message: 'Unexpected `b` after the URL, expected `HTTP/1.1` or the end of the line (encode spaces in the URL as %20)'},
      {line: 1, column: 1, endColumn: 11, message: 'Unexpected `Bad header` in the headers, expected `Name: value` or a blank line before the body'},
      {line: 3, column: 18, endColumn: 21, message: 'Unexpected `yes` after `isTrue`, expected nothing'},
      {line: 4, column: 17, endColumn: 18, message: 'Unexpected `(`, expected a valid regular expression'},
    ]);
  });

  it('keeps every problem inside its line', () => {
    expect(parseHttpRequest('GET https://x.test\n?? !').problems).toEqual([
      {line: 1, column: 4, endColumn: 5, message: 'Unexpected assertion subject `!`, expected `status`, `header NAME`, `body [$.path]` or `duration`'},
    ]);
  });

  it('finds the URL version after the URL, not inside it', () => {
    expect(parseHttpRequest('GET https://x.test/HTTP2 HTTP/9x').problems.map((problem) => problem.column)).toEqual([26]);
  });

  it('reports an empty block and incomplete assertions', () => {
    expect(parseHttpRequest('').problems.map((problem) => problem.message)).toEqual([
      'Unexpected empty http block, expected a request line such as `GET https://host/path`',
    ]);
    expect(parseHttpRequest('GET https://x.test\n??\n?? status\n?? status ==').problems.map((problem) => [problem.line, problem.column, problem.message])).toEqual([
      [1, 1, 'Unexpected empty assertion, expected `?? status == 200`'],
      [2, 4, 'Unexpected end of assertion, expected an operator such as `==` after `status`'],
      [3, 11, 'Unexpected end of assertion, expected a value after `==`'],
    ]);
  });
});
