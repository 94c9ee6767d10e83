import type {Nodes, PhrasingContent, Root, RootContent, Table} from 'mdast';
import {toString} from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import {blank, plain, prefixed, seg, truncate, wrap, type Line, type Segment, type Style} from './lines.js';

// A step's prose for the terminal: headings, emphasis, lists, quotes, tables,
// inline code and links as text. Code blocks and task lists are left out:
// the player shows them as the step's nodes.

const processor = unified().use(remarkParse).use(remarkGfm);
const parsed = new Map<string, Root>();

function parse(markdown: string): Root {
  let tree = parsed.get(markdown);
  if (tree === undefined) {
    tree = processor.parse(markdown);
    parsed.set(markdown, tree);
  }
  return tree;
}

export function proseLines(markdown: string, width: number): Line[] {
  return blocks(parse(markdown).children, Math.max(10, width));
}

function blocks(nodes: readonly RootContent[], width: number, tight = false): Line[] {
  const out: Line[] = [];
  for (const node of nodes) {
    const lines = block(node, width);
    if (lines.length === 0) continue;
    if (out.length > 0 && !tight) out.push(blank);
    out.push(...lines);
  }
  return out;
}

function block(node: RootContent, width: number): Line[] {
  switch (node.type) {
    case 'paragraph':
      return wrap(inline(node.children), width);
    case 'heading':
      return wrap(inline(node.children, {bold: true, ...(node.depth <= 2 ? {underline: true} : {})}), width);
    case 'list': {
      const out: Line[] = [];
      let number = node.start ?? 1;
      for (const item of node.children) {
        if (typeof item.checked === 'boolean') continue;
        const marker = node.ordered === true ? `${number}. ` : '• ';
        number += 1;
        const body = blocks(item.children, width - marker.length, item.spread !== true);
        if (body.length === 0) continue;
        if (out.length > 0 && node.spread === true) out.push(blank);
        out.push([seg(marker), ...(body[0] ?? [])], ...prefixed([seg(' '.repeat(marker.length))], body.slice(1)));
      }
      return out;
    }
    case 'blockquote':
      return prefixed([seg('│ ', {dim: true})], blocks(node.children, width - 2));
    case 'thematicBreak':
      return [plain('─'.repeat(Math.min(width, 40)), {dim: true})];
    case 'table':
      return table(node, width);
    case 'html':
      return /^\s*<!--/.test(node.value) ? [] : wrap([seg(node.value, {dim: true})], width);
    case 'code':
    case 'definition':
    case 'footnoteDefinition':
    case 'yaml':
      return [];
    default:
      return wrap([seg(toString(node as Nodes))], width);
  }
}

function merge(style: Style | undefined, extra: Style): Style {
  return {...style, ...extra};
}

function inline(nodes: readonly PhrasingContent[], style?: Style): Segment[] {
  const out: Segment[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out.push(seg(node.value.replace(/\s*\n\s*/g, ' '), style));
        break;
      case 'emphasis':
        out.push(...inline(node.children, merge(style, {italic: true})));
        break;
      case 'strong':
        out.push(...inline(node.children, merge(style, {bold: true})));
        break;
      case 'delete':
        out.push(...inline(node.children, merge(style, {strikethrough: true})));
        break;
      case 'inlineCode':
        out.push(seg(node.value, merge(style, {color: 'cyan'})));
        break;
      case 'break':
        out.push(seg('\n', style));
        break;
      case 'link': {
        const text = toString(node);
        out.push(...inline(node.children, merge(style, {underline: true})));
        if (node.url !== text && node.url !== `mailto:${text}`) out.push(seg(` (${node.url})`, merge(style, {dim: true})));
        break;
      }
      case 'linkReference':
        out.push(...inline(node.children, style));
        break;
      case 'image':
      case 'imageReference':
        out.push(seg(`[image: ${node.alt ?? ''}]`, merge(style, {dim: true})));
        break;
      case 'html':
        if (/^<br\s*\/?>$/i.test(node.value)) out.push(seg('\n', style));
        break;
      case 'footnoteReference':
        out.push(seg(`[^${node.label ?? node.identifier}]`, style));
        break;
      default:
        out.push(seg(toString(node), style));
    }
  }
  return out;
}

function table(node: Table, width: number): Line[] {
  const rows = node.children.map((row) => row.children.map((cell) => toString(cell).trim()));
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({length: columns}, (_, column) => Math.max(0, ...rows.map((row) => [...(row[column] ?? '')].length)));
  const render = (row: readonly string[], style?: Style): Line =>
    truncate(row.flatMap((cell, column) => [seg(column === 0 ? '' : ' │ ', {dim: true}), seg(column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0), style)]), width);
  const [head, ...body] = rows;
  if (head === undefined) return [];
  const separator = truncate([seg(widths.map((columnWidth) => '─'.repeat(columnWidth)).join('─┼─'), {dim: true})], width);
  return [render(head, {bold: true}), separator, ...body.map((row) => render(row))];
}
