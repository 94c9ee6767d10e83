import {slug} from 'github-slugger';
import type {ContentBlock, Position} from '../model.js';
import type {DraftStep} from './state.js';

// Derived ids: steps by their title's slug, nodes as `<step-id>-<n>`
// (`intro-<n>` before the first step), unique against every explicit id.
export function assignIds(steps: DraftStep[], introduction: ContentBlock[], explicitIds: ReadonlyMap<string, Position>): void {
  const used = new Set(explicitIds.keys());
  // The next suffix to try per base, so a thousand steps titled alike stay linear.
  const nextSuffix = new Map<string, number>();
  const unique = (base: string): string => {
    let id = base;
    let suffix = nextSuffix.get(base) ?? 1;
    if (used.has(id)) {
      do id = `${base}-${suffix++}`; while (used.has(id));
    }
    nextSuffix.set(base, suffix);
    used.add(id);
    return id;
  };
  // Steps first, in document order, so node ids can build on step ids.
  const visitSteps = (list: DraftStep[]): void => {
    for (const step of list) {
      if (!step.explicitId) step.id = unique(slug(step.title) || 'step');
      visitSteps(step.steps);
    }
  };
  visitSteps(steps);
  const assignNodes = (content: ContentBlock[], prefix: string): void => {
    let index = 0;
    for (const block of content) {
      if (block.kind === 'prose') continue;
      index += 1;
      if (block.explicitId) continue;
      (block as {id: string}).id = unique(`${prefix}-${index}`);
    }
  };
  assignNodes(introduction, 'intro');
  const visitNodes = (list: DraftStep[]): void => {
    for (const step of list) {
      assignNodes(step.content, step.id);
      visitNodes(step.steps);
    }
  };
  visitNodes(steps);
}
