import {shellFactsOf} from '../runbook/node-script.js';
import {formatDuration} from '../runbook/duration.js';
import type {Runbook, RunbookNode, Step} from '../runbook/model.js';
import {allSteps, stepNodes} from '../runbook/walk.js';
import {assertNever, type NodeEndEvent, type NodeOutcome, type RunEvent} from '../engine/events.js';
import {initialRunState, reduceRunEvent, reduceRunEvents, rehearsalRerun, type RunState} from '../engine/run-state.js';
import {exceptionMarks, exceptionText, nodeMarks, outcomeWords, runExceptions, stepMark, stepMarks, type Mark} from '../engine/status-marks.js';
import {outcomeTraits} from '../engine/outcomes.js';
import {kindDescriptor, type KindDescriptor} from '../executors/kinds/index.js';
import {expectedOutput} from '../runbook/node-text.js';
import type {EventSink} from '../engine/sink.js';
import {isInertOutput, shownLine as shown, shownOutputLine, shownText} from '../text/terminal-text.js';
import {DisplayLineSplitter, type DisplayLine} from './display-lines.js';

type Painter = (format: 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'blue' | 'gray', text: string) => string;

export interface PlainReporterOptions {
  readonly write: (text: string) => void;
  readonly color: Painter;
  // keep the colours of a command's own output (a terminal, colour not turned off)
  readonly outputColour?: boolean;
}

const outcomeLabels: Record<NodeOutcome, string> = {
  passed: 'passed',
  'allowed-failure': 'failed (allowed)',
  failed: 'FAILED',
  'timed-out': 'TIMED OUT',
  interrupted: 'INTERRUPTED',
  skipped: 'skipped',
  'marked-done': 'marked done',
};

// Plain lines for CI and pipes: step headers, each command as written
// (variables by name), prefixed output, each result, and a final summary.
// Whatever came from the runbook, a command or a person is made inert first
// (src/text/terminal-text.ts): a log viewer interprets escapes as a terminal does.
export function createPlainReporter(runbook: Runbook, options: PlainReporterOptions): EventSink {
  const {write, color} = options;
  const outputLine = (line: string): string => shownOutputLine(line, {colour: options.outputColour ?? false});
  const steps = new Map<string, Step>(allSteps(runbook).map((step) => [step.id, step]));
  const nodes = new Map<string, RunbookNode>(allSteps(runbook).flatMap((step) => stepNodes(step).map((node) => [node.id, node] as const)));
  const splitters = {stdout: new DisplayLineSplitter(), stderr: new DisplayLineSplitter()};
  // whether the stream's last chunk was inert: the start of the line it left
  // unfinished is then inert too
  const inertTail = {stdout: true, stderr: true};
  let outputNode: string | undefined;
  let readOnly = false;
  // step id → its nodes skipped because they mutate, in a read-only rehearsal
  const rehearsed = new Map<string, number>();
  const rehearsedSteps: string[] = [];
  // the earlier attempts of a resumed run, for what going live plays again
  let replayed: RunEvent[] = [];
  // the run folded (output aside), for each step's mark and the summary's exceptions
  let state: RunState = initialRunState(runbook, {outputLimit: 1});
  const painted = (mark: Mark, text: string): string => (mark.color === undefined ? text : color(mark.color, text));

  const flushOutput = (): void => {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = splitters[stream].flush();
      if (rest !== undefined) write(`${outputLines(stream, [rest], color, outputLine)}\n`);
    }
  };

  return {
    onReplay(event: RunEvent): void {
      if (event.type === 'output') return;
      replayed.push(event);
      state = reduceRunEvent(state, event);
    },
    onEvent(event: RunEvent): void {
      if (event.type !== 'output') {
        flushOutput();
        state = reduceRunEvent(state, event);
      }
      switch (event.type) {
        case 'run-start': {
          readOnly = event.readOnly;
          write(`${color('bold', event.resumed ? `Resuming ${shown(event.title ?? event.runbookPath)}` : `Playing ${shown(event.title ?? event.runbookPath)}`)}  ${color('dim', `run ${shown(event.runId)}${event.resumed ? `, attempt ${event.attempt}` : ''}${event.readOnly ? ', read-only rehearsal' : ''}`)}\n`);
          // going live after a rehearsal: the steps it plays again
          // (the earlier events are folded only then)
          const again = event.resumed && !event.readOnly && lastAttemptRehearsed(replayed) ? rehearsalRerun(reduceRunEvents(initialRunState(runbook), replayed)).stepIds : [];
          if (again.length > 0) write(`${color('magenta', `   pending again after the rehearsal: ${again.map((id) => shown(stepTitle(steps.get(id), id))).join(', ')}`)}\n`);
          replayed = [];
          return;
        }
        case 'input':
          write(`${color('dim', `  ${shown(event.name)} = ${shown(event.value)}  (${event.source})`)}\n`);
          return;
        case 'step-start': {
          const step = steps.get(event.stepId);
          write(`\n${color('bold', `== ${step?.number === null || step?.number === undefined ? '' : `${step.number} `}${shown(step?.title ?? event.stepId)}`)}\n`);
          return;
        }
        case 'step-end': {
          if (event.status === 'skipped') write(`${color('dim', `   step skipped: ${shown(event.reason ?? '')}`)}\n`);
          const count = rehearsed.get(event.stepId) ?? 0;
          if (event.status === 'done' && count > 0) {
            rehearsedSteps.push(event.stepId);
            write(`${color('magenta', `   step rehearsed, not done: ${nodesThatMutate(count)} did not run (read-only)`)}\n`);
            return;
          }
          // a step that did not simply pass says how, with the player's mark
          const step = state.steps.get(event.stepId);
          const mark = step === undefined ? 'done' : stepMark(state, step);
          if (event.status === 'done' && mark !== 'done') write(`   ${painted(stepMarks[mark], `${stepMarks[mark].glyph} step ${stepMarks[mark].label}`)}\n`);
          return;
        }
        case 'node-start': {
          const node = nodes.get(event.nodeId);
          // Runme's `interpreter` says what runs the block (`sh via python3`)
          const interpreter = node?.kind === 'exec' ? node.attributes.interpreter : undefined;
          const label = shown(node?.kind === 'exec' ? `${node.lang}${interpreter === undefined ? '' : ` via ${interpreter}`}` : 'node');
          write(`${color('cyan', `-> ${shown(event.nodeId)}`)} ${color('dim', `(${label}${event.attempt > 1 ? `, attempt ${event.attempt}` : ''})`)}${event.mutates ? color('magenta', ' [mutates]') : ''}\n`);
          const session = node?.kind === 'exec' ? shellFactsOf(node)?.session : undefined;
          const lines = commandLines(node, event.command);
          // a session's lines are for the operator to type in it: marked `>`, not `$`
          const typed = session === undefined ? 0 : Math.min(session.lines.length, lines.length);
          for (const line of lines.slice(0, lines.length - typed)) write(`   ${color('dim', '$')} ${shownText(line)}\n`);
          if (typed > 0) write(`${color('yellow', '   type these in the session (they are not run here):')}\n`);
          for (const line of lines.slice(lines.length - typed)) write(`   ${color('yellow', '>')} ${shownText(line)}\n`);
          // what it acts on, resolved by the engine (secrets masked)
          if (event.resolved?.request !== undefined) write(`   ${color('dim', '→')} ${shown(event.resolved.request)}\n`);
          if (event.interactive) write(`${color('dim', '   (interactive: the terminal is handed to the command; output is not captured)')}\n`);
          return;
        }
        case 'output': {
          if (outputNode !== event.nodeId) outputNode = event.nodeId;
          const lines = splitters[event.stream].push(event.text);
          // a chunk with nothing to make inert (most output) is checked once, not line by line
          const inert = isInertOutput(event.text);
          const whole = inert && inertTail[event.stream];
          inertTail[event.stream] = inert;
          // one write per chunk, not per line: a node may print millions of lines
          if (lines.length > 0) write(`${outputLines(event.stream, lines, color, whole ? asItIs : outputLine)}\n`);
          return;
        }
        case 'node-end': {
          const node = nodes.get(event.nodeId);
          const expected = node?.kind === 'exec' && event.outcome !== 'skipped' ? expectedOutput(node) : [];
          if (expected.length > 0) write(`${color('dim', '   expected (as written, not run):')}\n${expected.map((line) => `${color('dim', '   ┆ ')}${shown(line)}`).join('\n')}\n`);
          if (event.rehearsed === true) rehearsed.set(event.stepId, (rehearsed.get(event.stepId) ?? 0) + 1);
          write(`${formatResult(event, color, node?.kind === 'exec' ? kindDescriptor(node.executor).result : 'exit-code', markedDoneNote(state, event))}\n`);
          for (const survivor of event.survivors ?? []) write(`${color('yellow', `   ended process ${survivor.pid} it left running: ${shown(survivor.command)}`)}\n`);
          return;
        }
        case 'decision-asked':
          if (event.kind === 'checklist') {
            for (const line of shownText(event.prompt).split('\n')) write(`   [ ] ${line}\n`);
          } else if (event.kind === 'confirm' || event.kind === 'unknown') {
            write(`${color('yellow', `   ? ${shownText(event.prompt).replace(/\n/g, '\n     ')}`)}\n`);
          }
          return;
        case 'decision-taken': {
          if (event.decision === 'stop') {
            write(`${color('dim', `   ${event.kind}: stopped here — the run ends failed and can be resumed`)}\n`);
            return;
          }
          const who = event.by === 'auto' ? 'auto-approved (--yes)' : 'operator';
          const what = event.kind === 'checklist' && event.decision === 'done' ? 'all items acknowledged' : event.decision;
          write(`${color('dim', `   ${event.kind}: ${what} — ${who}${event.note === undefined ? '' : `: ${shown(event.note)}`}`)}\n`);
          return;
        }
        case 'retry-wait':
          write(`${color('yellow', `   ${retryWaitText(event)}`)}\n`);
          return;
        case 'note':
          write(`${color('dim', `   note${event.by === 'engine' ? '' : ' (operator)'}: ${shown(event.text)}`)}\n`);
          return;
        case 'interrupt':
          write(`${color('yellow', `   interrupted ${event.scope === 'node' ? `node ${shown(event.nodeId ?? '')}` : 'run'}`)}\n`);
          return;
        case 'run-end': {
          const exceptions = runExceptions(state);
          // `PASSED`, `PASSED with 2 exceptions`
          const words = `${event.outcome.toUpperCase()}${outcomeWords(event.outcome, exceptions.length).slice(event.outcome.length)}`;
          const verdict = event.outcome === 'passed' ? color(exceptions.length === 0 ? 'green' : 'yellow', words) : color('red', words);
          // a resumed run: the whole run since its first attempt, then this attempt
          const {total} = event;
          const figures = total === undefined || total.attempts < 2
            ? `${formatSeconds(event.durationMs)}${countsText(event.counts)}`
            : `${formatSeconds(total.durationMs)} over ${total.attempts} attempts${countsText(total.counts)}; attempt ${total.attempts}: ${formatSeconds(event.durationMs)}${countsText(event.counts)}`;
          write(`\n${color('bold', 'Summary')}: ${verdict}${readOnly ? ' (read-only rehearsal)' : ''} in ${figures}${event.reason === undefined ? '' : `\n  ${shown(event.reason)}`}\n`);
          for (const exception of exceptions) {
            const mark = exceptionMarks[exception.kind];
            write(`  ${painted(mark, mark.glyph)} ${shown(exceptionText(exception))}\n`);
          }
          for (const id of rehearsedSteps) {
            write(`${color('magenta', `  rehearsed, not done: ${shown(stepTitle(steps.get(id), id))} — ${nodesThatMutate(rehearsed.get(id) ?? 0)} did not run`)}\n`);
          }
          return;
        }
        default:
          assertNever(event);
      }
    },
  };
}

function lastAttemptRehearsed(events: readonly RunEvent[]): boolean {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index];
    if (event?.type === 'run-start') return event.readOnly;
  }
  return false;
}

function stepTitle(step: Step | undefined, id: string): string {
  return [step?.number ?? null, step?.title ?? id].filter((part) => part !== null).join(' ');
}

function nodesThatMutate(count: number): string {
  return count === 1 ? '1 node that mutates' : `${count} nodes that mutate`;
}

// `   │ line`; a piece of a long line after the first is `   │…rest`
// Each display line made inert by `shown` (a line cut mid-sequence shows the
// cut sequence as text, never as a half-applied escape).
function outputLines(stream: 'stdout' | 'stderr', lines: readonly DisplayLine[], color: Painter, shown: (line: string) => string): string {
  const [start, more] = stream === 'stdout'
    ? [color('dim', '   │ '), color('dim', '   │…')]
    : [color('yellow', '   ! '), color('yellow', '   !…')];
  let out = '';
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    out += `${index === 0 ? '' : '\n'}${line.continued ? more : start}${shown(line.text)}`;
  }
  return out;
}

const asItIs = (line: string): string => line;

function commandLines(node: RunbookNode | undefined, command: string): string[] {
  const shownLines = node?.kind === 'exec' ? kindDescriptor(node.executor).shownLines : undefined;
  const lines = shownLines === undefined ? command.split('\n') : shownLines(command);
  while (lines.length > 0 && (lines.at(-1) ?? '').trim() === '') lines.pop();
  return lines;
}

// The operator's note on a node they marked done, shown with its result.
function markedDoneNote(state: RunState, event: NodeEndEvent): string | undefined {
  if (event.outcome !== 'marked-done') return undefined;
  const decision = state.nodes.get(event.nodeId)?.decision;
  return decision?.decision === 'mark-done' ? decision.note : undefined;
}

// `recorded`: what the node's kind records, an exit code or an HTTP response
function formatResult(event: NodeEndEvent, color: Painter, recorded: KindDescriptor['result'], note?: string): string {
  const facts = [
    recorded === 'http-response' ? (event.http === undefined ? '' : `HTTP ${event.http.status}`) : (event.exitCode === null ? '' : `exit ${event.exitCode}`),
    outcomeTraits[event.outcome].ran ? formatSeconds(event.durationMs) : '',
    event.masked === undefined ? '' : `${event.masked} masked`,
  ].filter((fact) => fact !== '');
  const mark = nodeMarks[event.outcome];
  const label = outcomeLabels[event.outcome];
  const painted = mark.color === undefined ? label : color(mark.color, label);
  const lines = [`   ${mark.glyph} ${shown(event.nodeId)} ${painted}${facts.length === 0 ? '' : ` (${facts.join(', ')})`}${event.reason === undefined ? '' : ` — ${shown(event.reason)}`}${note === undefined ? '' : `: ${shown(note)}`}`];
  for (const assertion of event.http?.assertions ?? []) {
    lines.push(`     ${assertion.passed ? '✓' : '✗'} ?? ${shown(assertion.source)}${assertion.passed ? '' : `  (got ${shown(assertion.actual)})`}`);
  }
  for (const [name, value] of Object.entries(event.captures)) lines.push(`     captured ${shown(name)} = ${shown(value)}`);
  for (const [name, value] of Object.entries(event.exports ?? {})) lines.push(value === null ? `     unset ${shown(name)}` : `     exported ${shown(name)} = ${shown(value)}`);
  return lines.join('\n');
}

// ` — 3 passed, 1 skipped`, or nothing when nothing ran
function countsText(counts: Readonly<Record<string, number>>): string {
  const text = Object.entries(counts).filter(([, count]) => count > 0).map(([outcome, count]) => `${count} ${outcome}`).join(', ');
  return text === '' ? '' : ` — ${text}`;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : ms % 1000 === 0 ? formatDuration(ms) : `${(ms / 1000).toFixed(1)}s`;
}

// `retry 2 of 6 in 4s`: a failed attempt waits for the next one
function retryWaitText(event: {readonly attempt: number; readonly of: number; readonly ms: number}): string {
  return `retry ${event.attempt} of ${event.of} in ${formatDuration(event.ms)}`;
}
