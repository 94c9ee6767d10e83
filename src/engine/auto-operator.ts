import type {Operator} from './operator.js';

// The headless operator behind `--yes`: approves confirm gates, acknowledges
// checklists (every decision is recorded as auto-approved), reruns an unknown
// node only when it is idempotent, and stops at the first failure so the run
// can be resumed: it never aborts, which would end the run for good.
export const autoOperator: Operator = {
  kind: 'auto',
  confirm: async () => ({decision: 'run'}),
  checklist: async ({node}) => ({decision: 'done', items: node.items.map((_item, index) => ({index, state: 'ticked' as const}))}),
  failure: async () => ({decision: 'stop'}),
  unknown: async ({idempotent}) => (idempotent ? {decision: 'rerun'} : {decision: 'stop'}),
  input: async () => ({decision: 'abort'}),
};
