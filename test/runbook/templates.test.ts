import {describe, expect, it} from 'vitest';
import {findTemplateReferences, renderTemplate} from '../../src/runbook/templates.js';

describe('templates', () => {
  it('finds references with their root name and offset', () => {
    expect(findTemplateReferences('GET {{API}}/x?id={{ health.response.body.$.items[0].id }}')).toEqual([
      {expression: 'API', root: 'API', offset: 6, index: 4, length: 7, raw: false},
      {expression: 'health.response.body.$.items[0].id', root: 'health', offset: 20, index: 17, length: 40, raw: false},
    ]);
  });

  it('reads `{{raw NAME}}` as NAME pasted as it is; a variable named raw stays one', () => {
    expect(findTemplateReferences('/{{raw PATH}}/{{ raw }}')).toEqual([
      {expression: 'PATH', root: 'PATH', offset: 7, index: 1, length: 12, raw: true},
      {expression: 'raw', root: 'raw', offset: 17, index: 14, length: 9, raw: false},
    ]);
  });

  it('renders references through a paste function', () => {
    const text = '{{A}}-{{ B }}-{{raw C}}';
    expect(renderTemplate(text, findTemplateReferences(text), (reference) => `${reference.expression.toLowerCase()}${reference.raw ? '!' : ''}`)).toBe('a-b-c!');
  });
});
