import type {ContentBlock, ExecNode, Runbook, RunbookNode, Step} from './model.js';

export function isNode(block: ContentBlock): block is RunbookNode {
  return block.kind !== 'prose';
}

export function stepNodes(step: Step): RunbookNode[] {
  return step.content.filter(isNode);
}

// Steps in the order they run: a step's own content, then its sub-steps.
export function allSteps(runbook: Pick<Runbook, 'steps'>): Step[] {
  const out: Step[] = [];
  const visit = (steps: readonly Step[]): void => {
    for (const step of steps) {
      out.push(step);
      visit(step.steps);
    }
  };
  visit(runbook.steps);
  return out;
}

export function allNodes(runbook: Pick<Runbook, 'steps'>): RunbookNode[] {
  return allSteps(runbook).flatMap(stepNodes);
}

export function execNodes(runbook: Pick<Runbook, 'steps'>): ExecNode[] {
  return allNodes(runbook).filter((node): node is ExecNode => node.kind === 'exec');
}
