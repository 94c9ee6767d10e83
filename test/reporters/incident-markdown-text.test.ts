import fc from 'fast-check';
import type {Table, TableCell} from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import {describe, expect, it} from 'vitest';
import {cell, code, inline} from '../../src/reporters/incident-markdown.js';

// Whatever a run recorded, a cell stays one cell of one row, and nothing in
// it can act on a terminal.
const parser = unified().use(remarkParse).use(remarkGfm);
// eslint-disable-next-line no-control-regex
const terminalControl = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

function rowCells(row: string): TableCell[] {
  const tree = parser.parse(`| a | b | c |\n| --- | --- | --- |\n${row}\n`);
  const table = tree.children[0] as Table;
  expect(table.type).toBe('table');
  expect(table.children).toHaveLength(2);
  return table.children[1]?.children ?? [];
}

const hostile = fc.string({unit: fc.constantFrom('|', '`', '\\', '\n', '\r', '\u001B', '\u009B', '<', '>', '*', '_', '[', ']', '#', '-', '1', '.', ' ', 'a', '&', '\u202E', '~', '!')});

describe('incident record text', () => {
  it('keeps any text inside its table cell, inert', () => {
    fc.assert(fc.property(hostile, hostile, (left, right) => {
      const row = `| ${cell(left)} | ${code(right)} | x |`;
      expect(row).not.toMatch(terminalControl);
      expect(row).not.toContain('\u202E');
      expect(rowCells(row)).toHaveLength(3);
    }), {numRuns: 300});
  });

  it('keeps a list item one item, whatever its text starts with', () => {
    fc.assert(fc.property(hostile, (text) => {
      const tree = parser.parse(`- [ ] x ${inline(text)}\n`);
      expect(tree.children).toHaveLength(1);
      expect(tree.children[0]?.type).toBe('list');
    }), {numRuns: 300});
  });

  it('shows a table-breaking note as it was written', () => {
    const [first] = rowCells(`| ${cell('a | b `c`\nd <b>e</b> *f*')} | 2 | 3 |`);
    const text = (first?.children ?? []).map((node) => ('value' in node ? node.value : '')).join('');
    expect(text).toBe('a | b `c`<br>d <b>e</b> *f*');
  });
});
