import {describe, expect, it} from 'vitest';
import {evaluateAssertion, evaluateAssertions, type HttpResponseFacts} from '../../../../src/executors/kinds/http/assertions.js';
import type {HttpAssertion} from '../../../../src/executors/kinds/http/request.js';
import {parseHttpRequest} from '../../../../src/executors/kinds/http/request.js';

const json = {
  status: 'ok', count: 3, ratio: 0.5, version: '2', flag: true, off: false, name: 'api-1',
  tags: ['prod', 'eu'], items: [{id: 1}, {id: 2}], nothing: null,
};
const response: HttpResponseFacts = {
  status: 200,
  headers: {'content-type': 'application/json; charset=utf-8', 'x-count': '42', 'x-flag': 'true'},
  body: JSON.stringify(json),
  json,
  durationMs: 120,
};

function assertion(line: string): HttpAssertion {
  const parsed = parseHttpRequest(`GET http://127.0.0.1/\n?? ${line}`);
  const first = parsed.request?.assertions[0];
  if (first === undefined) throw new Error(`not an assertion: ${line} (${parsed.problems.map((p) => p.message).join('; ')})`);
  return first;
}

describe('http assertions', () => {
  it.each([
    ['status == 200', true, '200'],
    ['status equals 200', true, '200'],
    ['status != 200', false, '200'],
    ['status > 199', true, '200'],
    ['status >= 200', true, '200'],
    ['status < 200', false, '200'],
    ['status <= 200', true, '200'],
    ['status isNumber', true, '200'],
    ['header content-type includes json', true, 'application/json; charset=utf-8'],
    ['header Content-Type startsWith application/json', true, 'application/json; charset=utf-8'],
    ['header content-type endsWith utf-8', true, 'application/json; charset=utf-8'],
    ['header content-type contains xml', false, 'application/json; charset=utf-8'],
    ['header content-type matches ^application/(.+\\+)?json', true, 'application/json; charset=utf-8'],
    ['header x-count > 40', true, '42'],
    ['header x-count == 42', true, '42'],
    ['header x-count isNumber', true, '42'],
    ['header x-count isString', true, '42'],
    ['header x-flag isTrue', true, 'true'],
    ['header x-flag isFalse', false, 'true'],
    ['header x-flag isBoolean', true, 'true'],
    ['header x-count exists', true, '42'],
    ['header x-missing exists', false, '(missing)'],
    ['header x-missing != anything', false, '(missing)'],
    ['body includes "ok"', true, JSON.stringify(json)],
    ['body includes \'"status":"ok"\'', true, JSON.stringify(json)],
    ['body startsWith {', true, JSON.stringify(json)],
    ['body exists', true, JSON.stringify(json)],
    ['body matches "count":\\s*3', true, JSON.stringify(json)],
    ['body $.status == ok', true, 'ok'],
    ['body $.status == "ok"', true, 'ok'],
    ['body $.status != ok', false, 'ok'],
    ['body $.status isString', true, 'ok'],
    ['body $.status isArray', false, 'ok'],
    ['body $.count == 3', true, '3'],
    ['body $.count == 3.0', true, '3'],
    ['body $.count == "3.0"', false, '3'],
    ['body $.count > 2', true, '3'],
    ['body $.count <= 2', false, '3'],
    ['body $.count isNumber', true, '3'],
    ['body $.ratio < 1', true, '0.5'],
    ['body $.version == 2', true, '2'],
    ['body $.version isNumber', false, '2'],
    ['body $.flag isTrue', true, 'true'],
    ['body $.flag == true', true, 'true'],
    ['body $.flag isBoolean', true, 'true'],
    ['body $.flag isFalse', false, 'true'],
    ['body $.off isFalse', true, 'false'],
    ['body $.tags isArray', true, '["prod","eu"]'],
    ['body $.tags includes prod', true, '["prod","eu"]'],
    ['body $.tags contains us', false, '["prod","eu"]'],
    ['body $.items[*].id includes 2', true, '[1,2]'],
    ['body $.items[0] exists', true, '{"id":1}'],
    ['body $.name startsWith api', true, 'api-1'],
    ['body $.name endsWith -1', true, 'api-1'],
    ['body $.name matches ^api-\\d+$', true, 'api-1'],
    ['body $.name > api-0', true, 'api-1'],
    ['body $.name < api-0', false, 'api-1'],
    ['body $.nothing exists', true, 'null'],
    ['body $.missing exists', false, '(missing)'],
    ['body $.missing == 1', false, '(missing)'],
    ['duration < 1000', true, '120'],
    ['duration >= 200', false, '120'],
  ])('?? %s → %s (actual %s)', (line, passed, actual) => {
    expect(evaluateAssertion(assertion(line), response)).toEqual({source: line, passed, actual});
  });

  it('finds no JSON value in a body that is not JSON', () => {
    const text = {...response, body: 'plain', json: undefined};
    expect(evaluateAssertion(assertion('body $.status exists'), text)).toEqual({source: 'body $.status exists', passed: false, actual: '(missing)'});
    expect(evaluateAssertion(assertion('body == plain'), text)).toEqual({source: 'body == plain', passed: true, actual: 'plain'});
    expect(evaluateAssertion(assertion('body isNumber'), {...text, body: '12.5'})).toEqual({source: 'body isNumber', passed: true, actual: '12.5'});
  });

  it('treats an empty body as not existing', () => {
    expect(evaluateAssertion(assertion('body exists'), {...response, body: '', json: undefined}))
      .toEqual({source: 'body exists', passed: false, actual: ''});
  });

  it('shortens a long actual value', () => {
    const body = 'x'.repeat(300);
    expect(evaluateAssertion(assertion('body == y'), {...response, body, json: undefined}).actual).toBe(`${'x'.repeat(200)}…`);
  });

  it('evaluates a list in order', () => {
    expect(evaluateAssertions([assertion('status == 200'), assertion('status == 201')], response).map((result) => result.passed)).toEqual([true, false]);
  });
});
