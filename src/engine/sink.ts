import type {RunEvent} from './events.js';

// A consumer of run events. The engine calls every sink, in order, for each
// event before it goes on, so a sink that writes synchronously (the
// transcript) has recorded a node's start before the node's side effect begins.
export interface EventSink {
  onEvent(event: RunEvent): void;
  // events of an earlier attempt, shown again when a run resumes; the
  // transcript does not implement it (those events are already written)
  onReplay?(event: RunEvent): void;
}
