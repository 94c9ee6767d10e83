import type {RunEvent} from '../engine/events.js';
import type {EventSink} from '../engine/sink.js';
import {jsonForTerminal} from '../text/terminal-text.js';

// `--json`: one event per line, for tools that follow a run.
export function createJsonLinesReporter(write: (text: string) => void): EventSink {
  return {
    onEvent(event: RunEvent): void {
      write(`${jsonForTerminal(JSON.stringify(event))}\n`);
    },
  };
}
