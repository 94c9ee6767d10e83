import {createReadStream} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import type {RunEvent, RunOutcome} from '../engine/events.js';
import type {EventSink} from '../engine/sink.js';
import type {Runbook, Step} from '../runbook/model.js';
import {parseRunbook} from '../runbook/parse.js';
import {allSteps} from '../runbook/walk.js';
import {shownLine} from '../text/terminal-text.js';
import {isRunEventRecord, shownHead, type TranscriptHeader} from '../transcript/format.js';
import {readTranscriptItems, sideOutputPath, type TranscriptEntry} from '../transcript/read.js';
import {AsciicastEncoder, CastClock, type AsciicastVersion} from './asciicast.js';
import {createPlainReporter} from './plain.js';

export interface CastOptions {
  readonly version: AsciicastVersion;
  // the transcript's head and whether it verified, for the title
  readonly head: string | undefined;
  readonly verdict: 'intact' | 'not sealed' | 'NOT intact';
  readonly cols?: number;
  readonly rows?: number;
}

// The exit status `runbook play` gives each outcome (src/cli/errors.ts).
export const exitStatusOf: Record<RunOutcome, number> = {passed: 0, failed: 1, aborted: 1, interrupted: 130};

// Pauses longer than this play shortened (a confirm gate that waited ten
// minutes plays in 3 s); the times in the file are the recorded ones.
export const castIdleTimeLimit = 3;

// side files are read in pieces of this size: memory stays flat however large
const sideChunkBytes = 64 * 1024;

// A recorded run as asciicast lines, as a headless `runbook play` showed it
// (the plain reporter, without colour: output is shown inert), built from the
// transcript's events, which are already masked, never from terminal bytes.
// One marker per step and per decision, and per resumed attempt; v3 ends
// with the exit status `play` gave. Streams the transcript and side files.
export async function* castFromTranscript(path: string, options: CastOptions): AsyncGenerator<string> {
  const encoder = new AsciicastEncoder(options.version);
  const clock = new CastClock();
  let pending = '';
  let reporter: EventSink | undefined;
  // until the header is read (a transcript always starts with it)
  let newReporter = (): EventSink => ({onEvent: () => undefined});
  let steps = new Map<string, Step>();
  let lastOutcome: RunOutcome | undefined;
  let attemptEnded = true;
  let attempt: number | undefined;
  // who played the attempt (run-start's operator), named in decision markers
  let operator: string | undefined;

  // Each attempt is shown by a reporter of its own, as each `play` process
  // had. It is told the earlier attempts' events (as play is on resume) only
  // to say what a rehearsal going live plays again: they are held only from
  // the first attempt that rehearsed on, so a live run holds none.
  let held: RunEvent[] | undefined;
  const feed = (event: RunEvent): void => {
    if (event.type === 'run-start') {
      reporter = newReporter();
      for (const earlier of held ?? []) reporter.onReplay?.(earlier);
      if (event.readOnly) held ??= [];
    }
    reporter?.onEvent(event);
    if (event.type !== 'output') held?.push(event);
  };
  const flush = (atMs: number): string => {
    if (pending === '') return '';
    const text = pending;
    pending = '';
    return encoder.output(atMs, text);
  };

  for await (const item of readTranscriptItems(path)) {
    if (item.kind === 'problem') continue;
    if (item.kind === 'header') {
      const runbook = parseRunbook(item.header.source, item.header.runbookPath).runbook;
      steps = new Map(allSteps(runbook).map((step) => [step.id, step]));
      // no colour: output is shown inert, as in a pipe
      newReporter = () => createPlainReporter(runbook, {write: (text) => (pending += text), color: (_format, text) => text, outputColour: false});
      reporter = newReporter();
      yield encoder.header({
        cols: options.cols ?? 120, rows: options.rows ?? 35,
        ...timestampOf(item.header.startedAt),
        title: titleOf(item.header, runbook, options),
        tags: item.header.incident === undefined ? ['runbook'] : ['runbook', shownLine(item.header.incident)],
        idleTimeLimit: castIdleTimeLimit,
      });
      continue;
    }
    const {entry} = item;
    const at = clock.at(entry.attempt, entry.mono);
    const {event} = entry;
    if (entry.attempt !== attempt) {
      if (attempt !== undefined) yield encoder.marker(at, shownLine(`attempt ${entry.attempt}, resumed ${entry.time}`));
      attempt = entry.attempt;
      attemptEnded = false;
      lastOutcome = undefined;
    }
    if (event.type === 'output-ref') {
      yield* sideOutput(path, entry, (text) => {
        feed({type: 'output', nodeId: event.nodeId, stream: 'stdout', text});
        return flush(at);
      });
      continue;
    }
    if (!isRunEventRecord(event)) continue;
    if (event.type === 'run-start') operator = event.operator;
    const label = markerLabel(event, steps, operator);
    if (label !== undefined) yield encoder.marker(at, shownLine(label));
    feed(event);
    const output = flush(at);
    if (output !== '') yield output;
    if (event.type === 'run-end') {
      lastOutcome = event.outcome;
      attemptEnded = true;
    }
  }
  if (attemptEnded && lastOutcome !== undefined) {
    const exit = encoder.exit(clock.lastMs, exitStatusOf[lastOutcome]);
    if (exit !== '') yield exit;
  } else if (attempt !== undefined) {
    yield encoder.marker(clock.lastMs, 'the transcript ends without the end of the run (the process was killed, or the run is still going)');
  }
}

// The side file's text in pieces, each shown through `show`; a piece never
// ends inside a UTF-8 character.
async function* sideOutput(path: string, entry: TranscriptEntry, show: (text: string) => string): AsyncGenerator<string> {
  if (entry.event.type !== 'output-ref') return;
  const decoder = new StringDecoder('utf8');
  let stream;
  try {
    stream = createReadStream(sideOutputPath(path, entry.event), {highWaterMark: sideChunkBytes});
    for await (const chunk of stream) {
      const line = show(decoder.write(chunk as Buffer));
      if (line !== '') yield line;
    }
  } catch {
    // a missing side file is verify's to report (the title says NOT intact)
    const line = show(`[side file ${entry.event.file} cannot be read]\n`);
    if (line !== '') yield line;
    return;
  }
  const line = show(decoder.end());
  if (line !== '') yield line;
}

function markerLabel(event: RunEvent, steps: ReadonlyMap<string, Step>, operator: string | undefined): string | undefined {
  if (event.type === 'step-start') {
    const step = steps.get(event.stepId);
    return `step ${[step?.number ?? null, step?.title ?? event.stepId].filter((part) => part !== null).join(' ')}`;
  }
  if (event.type === 'decision-taken') {
    const where = event.nodeId ?? event.stepId;
    const who = event.by === 'auto' ? 'auto-approved (--yes)' : operator === undefined ? 'operator' : `operator ${operator}`;
    return `${event.kind}${where === undefined ? '' : ` ${where}`}: ${event.decision} — ${who}`;
  }
  return undefined;
}

function titleOf(header: TranscriptHeader, runbook: Runbook, options: CastOptions): string {
  const parts = [
    runbook.title ?? header.runbookPath,
    `run ${header.runId}`,
    ...(header.incident === undefined ? [] : [`incident ${header.incident}`]),
    options.head === undefined ? 'no transcript head' : `transcript head ${shownHead(options.head)}${options.verdict === 'intact' ? '' : ` (${options.verdict})`}`,
  ];
  return shownLine(parts.join(' — '));
}

function timestampOf(startedAt: string): {timestamp?: number} {
  const ms = Date.parse(startedAt);
  return Number.isFinite(ms) ? {timestamp: Math.floor(ms / 1000)} : {};
}
