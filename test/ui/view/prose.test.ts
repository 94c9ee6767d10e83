import {describe, expect, it} from 'vitest';
import {lineText} from '../../../src/ui/view/lines.js';
import {proseLines} from '../../../src/ui/view/prose.js';

const render = (markdown: string, width = 40): string[] => proseLines(markdown, width).map(lineText);

describe('proseLines', () => {
  it('renders emphasis, inline code and links as text', () => {
    const lines = proseLines('Call the *health* endpoint with `curl`; see [the docs](https://example.com).', 80);
    expect(lines.map(lineText)).toEqual(['Call the health endpoint with curl; see the docs (https://example.com).']);
    expect(lines[0]).toContainEqual({text: 'health', style: {italic: true}});
    expect(lines[0]).toContainEqual({text: 'curl', style: {color: 'cyan'}});
    expect(lines[0]).toContainEqual({text: 'the docs', style: {underline: true}});
  });

  it('does not repeat a link whose text is its address', () => {
    expect(render('<https://example.com>')).toEqual(['https://example.com']);
  });

  it('renders headings, lists with hanging indents, quotes and rules', () => {
    expect(render([
      '### Before you start',
      '',
      '- Re-deploy the last good commit for web, api and worker.',
      '- Keep the schema:',
      '  1. no downgrades',
      '  2. no drops',
      '',
      '> Mutating commands ask first.',
      '',
      '---',
    ].join('\n'))).toEqual([
      'Before you start',
      '',
      '• Re-deploy the last good commit for',
      '  web, api and worker.',
      '• Keep the schema:',
      '  1. no downgrades',
      '  2. no drops',
      '',
      '│ Mutating commands ask first.',
      '',
      '────────────────────────────────────────',
    ]);
  });

  it('leaves out code blocks and task items: they are shown as nodes', () => {
    expect(render(['- Check the dashboards:', '', '  ```sh', '  curl x', '  ```', '- [ ] ticked by hand'].join('\n'))).toEqual([
      '• Check the dashboards:',
    ]);
    expect(render('<!-- runbook: if="x" -->')).toEqual([]);
  });

  it('renders tables with aligned columns', () => {
    expect(render('| service | id |\n| --- | --- |\n| api | 42 |\n| worker | 7 |')).toEqual([
      'service │ id',
      '────────┼───',
      'api     │ 42',
      'worker  │ 7',
    ]);
  });
});
