import type {Heading, Html, PhrasingContent} from 'mdast';
import {typeAttributes, type TypedAttributes} from '../attributes/schema.js';
import {tokenizeAttributes} from '../attributes/tokenize.js';
import {commentNeverClosed} from '../document-rules.js';
import type {Point} from '../model.js';
import type {ParseState} from './state.js';

export const stepCommentPattern = /^\s*<!--\s*runbook:([\s\S]*?)-->\s*$/;
const runbookCommentStart = /<!--\s*runbook:/;
const misplacedCommentMessage = 'Unexpected `<!-- runbook: … -->` comment, expected it directly under a step heading or right before a task list; it is ignored';

export function warnMisplacedComment(state: ParseState, html: Html): void {
  if (commentNeverClosed(html, state.source.text)) {
    state.sink.error('Unexpected `<!--` comment that is never closed, expected `-->` at its end: as it is, everything after it to the end of the file, later steps included, is this comment',
      'unclosed-comment', state.source.pointAt(html.position?.start.offset ?? 0));
    return;
  }
  const match = runbookCommentStart.exec(html.value);
  if (match) state.sink.warning(misplacedCommentMessage, 'misplaced-step-attributes', state.source.pointAt((html.position?.start.offset ?? 0) + match.index));
}

export function warnInlineComments(state: ParseState, node: Heading | PhrasingContent): void {
  if (node.type === 'html') warnMisplacedComment(state, node);
  if ('children' in node) for (const child of node.children) warnInlineComments(state, child);
}

// The attributes of a `<!-- runbook: … -->` comment, typed for `host`;
// undefined when `html` is not such a comment.
export function commentAttributes(state: ParseState, html: Html, host: 'step' | 'checklist', label: string): {typed: TypedAttributes; at: (offset: number) => Point} | undefined {
  const match = stepCommentPattern.exec(html.value);
  if (!match) return undefined;
  const start = html.position?.start.offset ?? 0;
  const bodyOffset = html.value.indexOf('runbook:') + 'runbook:'.length;
  const body = match[1] ?? '';
  const {tokens, errors} = tokenizeAttributes(body);
  const at = (offset: number): Point => state.source.pointAt(start + bodyOffset + offset);
  for (const error of errors) state.sink.error(error.message, 'attribute-syntax', {start: at(error.start), end: at(error.end)});
  const typed = typeAttributes(tokens, host, label);
  state.attributeProblems(typed, at);
  if (typed.id !== undefined) state.registerExplicitId(typed.id.value, {start: at(typed.id.start), end: at(typed.id.end)});
  return {typed, at};
}
