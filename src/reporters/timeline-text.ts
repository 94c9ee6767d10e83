import {shownText} from '../text/terminal-text.js';
import {humanDuration} from './incident-markdown.js';
import type {TimelineEntry} from './incident-schema.js';

// The incident record's timeline as plain lines, one per row, for a reader
// without a terminal (`runbook replay` piped): the same rows as the
// report's table, each field made inert.
export function timelineTextLines(timeline: readonly TimelineEntry[]): string[] {
  return timeline.map((entry) => {
    const fields = [
      entry.time,
      `attempt ${entry.attempt}`,
      entry.step,
      entry.nodeId === null ? entry.event : `${entry.nodeId} ${entry.event}`,
      entry.who,
      entry.result,
      entry.durationMs === null ? null : humanDuration(entry.durationMs),
      entry.details,
    ];
    // a note's line breaks stay visible, as ⏎, and the row stays one line
    return shownText(fields.filter((field): field is string => field !== null && field !== '').join(' · ').replace(/\r?\n/g, ' ⏎ '));
  });
}
