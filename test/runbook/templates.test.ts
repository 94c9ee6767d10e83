import {describe, expect, it} from 'vitest';
import {findTemplateReferences, renderTemplate} from '../../src/runbook/templates.js';

describe('templates', () => {
  it('finds references with their root name and offset', () => {
    expect(findTemplateReferences('GET {{API}}/x?id={{ health.response.body.$.items[0].id }}')).toEqual([
      {expression: 'API', root: 'API', offset: 6},
      {expression: 'health.response.body.$.items[0].id', root: 'health', offset: 20},
    ]);
  });

  it('renders references through a resolver', () => {
    expect(renderTemplate('{{A}}-{{ B }}', (expression) => expression.toLowerCase())).toBe('a-b');
  });
});
