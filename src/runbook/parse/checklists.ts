import type {List, ListItem, Paragraph, RootContent} from 'mdast';
import {toString} from 'mdast-util-to-string';
import type {ChecklistItem, ChecklistNode, ContentBlock, Position} from '../model.js';
import {codeNode, type CodePlace} from './code-node.js';
import {warnMisplacedComment} from './comments.js';
import type {ParseState} from './state.js';

const taskCheckbox = /\[[ xX]\]/;
const leadingCheckbox = /^\[[ xX]\][ \t]*/;

function checklistNode(items: ChecklistItem[], position: Position): ChecklistNode {
  return {kind: 'checklist', lang: null, id: '', explicitId: false, attributes: {}, items, position};
}

// Code blocks and task items nested in lists, quotes and other containers,
// in document order; task items gather into one checklist until a block
// interrupts them.
export function extractNested(state: ParseState, block: RootContent, out: ContentBlock[], where: CodePlace): void {
  let items: ChecklistItem[] = [];
  let firstItem: ListItem | undefined;
  let lastItem: ListItem | undefined;
  const flush = (): void => {
    if (items.length === 0 || firstItem === undefined || lastItem === undefined) return;
    out.push(checklistNode(items, {start: state.source.positionOf(firstItem).start, end: state.source.positionOf(lastItem).end}));
    items = [];
  };
  const visit = (node: RootContent): void => {
    if (node.type === 'html') warnMisplacedComment(state, node);
    if (node.type === 'code') {
      flush();
      out.push(codeNode(state, node, where));
      return;
    }
    if (node.type === 'listItem' && typeof node.checked === 'boolean') {
      const paragraph = node.children[0];
      const text = paragraph?.type === 'paragraph' ? taskText(state, node, paragraph).replace(/\s*[\r\n]\s*/g, ' ').trim() : toString(node);
      if (items.length === 0) firstItem = node;
      lastItem = node;
      items.push({text, checked: node.checked, position: state.source.positionOf(node)});
    }
    if ('children' in node) for (const child of node.children) visit(child as RootContent);
  };
  visit(block);
  flush();
}

// A task item's paragraph without its checkbox: remark's paragraph starts
// after the checkbox, except when a link follows it (then at the checkbox).
function taskText(state: ParseState, item: ListItem, paragraph: Paragraph): string {
  const text = state.source.sliceOf(paragraph);
  const before = state.source.text.slice(item.position?.start.offset ?? 0, paragraph.position?.start.offset ?? 0);
  return taskCheckbox.test(before) ? text : text.replace(leadingCheckbox, '');
}

export function isPureChecklist(list: List): boolean {
  return list.children.every((item) => typeof item.checked === 'boolean' && item.children.every((child) => child.type === 'paragraph' || (child.type === 'list' && isPureChecklist(child))));
}
