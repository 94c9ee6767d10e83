import {stringifyPosition} from 'unist-util-stringify-position';
import type {Point, Position} from './model.js';

// `info`: something accepted but ignored (a Runme notebook setting); only
// `check` shows it, and it never changes an exit code.
export type Severity = 'error' | 'warning' | 'info';

// One problem found in a runbook, positioned like a vfile message so editors
// and humans can jump to it: `path:line:col-line:col: error: reason [rule]`.
export interface Diagnostic {
  readonly file: string;
  readonly severity: Severity;
  readonly message: string;
  readonly ruleId: string;
  readonly start: {readonly line: number; readonly column: number};
  readonly end?: {readonly line: number; readonly column: number};
}

export function formatDiagnostic(diagnostic: Diagnostic): string {
  const place = diagnostic.end === undefined
    ? stringifyPosition(diagnostic.start)
    : stringifyPosition({start: diagnostic.start, end: diagnostic.end});
  return `${diagnostic.file}:${place}: ${diagnostic.severity}: ${diagnostic.message} [${diagnostic.ruleId}]`;
}

// What `play` and `list` print: infos are for `check`.
export function worthTelling(diagnostic: Diagnostic): boolean {
  return diagnostic.severity !== 'info';
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

// Collects diagnostics for one file, in source order once sorted.
export class DiagnosticSink {
  readonly #file: string;
  readonly #items: Diagnostic[] = [];

  constructor(file: string) {
    this.#file = file;
  }

  error(message: string, ruleId: string, place: Place): void {
    this.#add('error', message, ruleId, place);
  }

  warning(message: string, ruleId: string, place: Place): void {
    this.#add('warning', message, ruleId, place);
  }

  info(message: string, ruleId: string, place: Place): void {
    this.#add('info', message, ruleId, place);
  }

  sorted(): Diagnostic[] {
    return [...this.#items].sort((a, b) => a.start.line - b.start.line || a.start.column - b.start.column);
  }

  #add(severity: Severity, message: string, ruleId: string, place: Place): void {
    const start = 'start' in place ? place.start : place;
    const end = 'start' in place ? place.end : undefined;
    const endIsDistinct = end !== undefined && (end.line !== start.line || end.column !== start.column);
    this.#items.push({
      file: this.#file,
      severity,
      message,
      ruleId,
      start: {line: start.line, column: start.column},
      ...(endIsDistinct ? {end: {line: end.line, column: end.column}} : {}),
    });
  }
}

export type Place = Pick<Point, 'line' | 'column'> | {start: Pick<Point, 'line' | 'column'>; end: Pick<Point, 'line' | 'column'>};

export function pointPlace(position: Position): Place {
  return {line: position.start.line, column: position.start.column};
}
