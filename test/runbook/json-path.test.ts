import {describe, expect, it} from 'vitest';
import {jsonPathValue} from '../../src/runbook/json-path.js';

const json = {status: 'ok', count: 3, items: [{id: 1, up: true}, {id: 2, up: false}], tags: ['a', 'b'], none: null};

describe('jsonPathValue', () => {
  it.each([
    ['$.status', 'ok'],
    ['$.count', 3],
    ['$.items[0].id', 1],
    ['$.items[*].id', [1, 2]],
    ['$.tags', ['a', 'b']],
    ['$.none', null],
    ['$.items[?(@.up)].id', 1],
    ['$..id', [1, 2]],
    ['$.missing', undefined],
    ['$.items[5]', undefined],
  ])('%s → %j', (path, expected) => {
    expect(jsonPathValue(json, path)).toEqual(expected);
  });

  it('handles bodies that are not objects', () => {
    expect(jsonPathValue(null, '$')).toBe(null);
    expect(jsonPathValue(null, '$.a')).toBeUndefined();
    expect(jsonPathValue(42, '$')).toBe(42);
    expect(jsonPathValue(undefined, '$')).toBeUndefined();
  });

  it('does not run arbitrary code in filters', () => {
    expect(jsonPathValue(json, '$.items[?(process.exit(1))]')).toBeUndefined();
  });
});
