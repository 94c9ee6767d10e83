import {shellFactsOf} from './node-script.js';
import type {BlockExports} from './carried-names.js';
import type {ContentBlock, Frontmatter, Runbook, Step} from './model.js';
import {execNodes, isNode} from './walk.js';

// The shape `runbook list --json` prints (documented in docs/dialect.md):
// steps carry `nodes` (executable, display and checklist) and `prose`,
// each with its source position, so document order can be rebuilt.
export const jsonModelVersion = 1;

// What `runbook list` shows instead of the default of a `secret` input.
export const maskedSecret = '••••••';

// `exports`: what each shell block carries to later blocks, by node id
// (`runbookExports`), shown as `carried`.
export function toJsonModel(runbook: Runbook, exports?: ReadonlyMap<string, BlockExports>): unknown {
  return {
    version: jsonModelVersion,
    path: runbook.path,
    title: runbook.title,
    frontmatter: frontmatterJson(runbook.frontmatter),
    // every placeholder of the shell blocks, in document order, with the id of its block
    placeholders: execNodes(runbook).flatMap((node) => (shellFactsOf(node)?.placeholders ?? []).map((placeholder) => ({...placeholder, nodeId: node.id}))),
    introduction: contentJson(runbook.introduction),
    steps: runbook.steps.map(stepJson),
    ...(exports === undefined ? {} : {carried: Object.fromEntries([...exports].filter(([, block]) => carriesSomething(block)))}),
    ...(runbook.runme === true ? {runme: true} : {}),
  };
}

export function carriesSomething(block: BlockExports): boolean {
  return block.exports.length > 0 || block.unsets.length > 0 || block.opaque;
}

// Secret defaults never reach the screen, even in JSON.
function frontmatterJson(frontmatter: Frontmatter): Frontmatter {
  const inputs = Object.fromEntries(Object.entries(frontmatter.inputs).map(([name, input]) =>
    [name, input.secret && input.default !== undefined ? {...input, default: maskedSecret} : input]));
  return {...frontmatter, inputs};
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
