import type {ContentBlock, Runbook, Step} from './model.js';
import {isNode} from './walk.js';

// The shape `runbook list --json` prints (documented in docs/dialect.md):
// steps carry `nodes` (executable, display and checklist) and `prose`,
// each with its source position, so document order can be rebuilt.
export const jsonModelVersion = 1;

export function toJsonModel(runbook: Runbook): unknown {
  return {
    version: jsonModelVersion,
    path: runbook.path,
    title: runbook.title,
    frontmatter: runbook.frontmatter,
    introduction: contentJson(runbook.introduction),
    steps: runbook.steps.map(stepJson),
  };
}

function contentJson(content: readonly ContentBlock[]): {nodes: unknown[]; prose: unknown[]} {
  return {
    nodes: content.filter(isNode),
    prose: content.filter((block) => block.kind === 'prose'),
  };
}

function stepJson(step: Step): unknown {
  const {content, steps, ...rest} = step;
  return {...rest, ...contentJson(content), steps: steps.map(stepJson)};
}
