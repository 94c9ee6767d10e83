// Bounds on what a runbook may ask for, so that no input makes `check` or
// `play` run for ever (documented in docs/dialect.md, "Limits").

// A runbook file larger than this is refused before it is parsed.
export const maxRunbookBytes = 4_000_000;
// Lists and block quotes nested deeper than this are refused before parsing.
export const maxNesting = 100;
// Emphasis markers (`*`, `_`) in one paragraph: matching them is quadratic
// in the parser (micromark), so `*_*_…x…_*_*` 10,000 deep takes minutes.
export const maxEmphasisMarkers = 1000;

// Attribute and `defaults` values.
export const maxRetries = 100;
export const maxTimeoutMs = 24 * 3_600_000;
export const maxIntervalMs = 3_600_000;

// Conditions: CEL's parse-time limits.
export const maxConditionNodes = 1000;
export const maxConditionDepth = 50;
// Evaluating one condition (a `matches()` can backtrack for ever).
export const conditionTimeLimitMs = 1000;

export interface SourceLimits {
  readonly maxBytes?: number;
  readonly maxNesting?: number;
  readonly maxEmphasisMarkers?: number;
}

export interface LimitProblem {
  readonly message: string;
  readonly ruleId: 'too-large' | 'too-deep';
  readonly offset: number;
}

// The first limit `source` exceeds, found without parsing it: its size,
// then the nesting of lists and block quotes, counted from each line's
// container markers (`>`, `-`, `*`, `+`, `1.`, `1)`) and the indentation
// before them (two columns a level, the least a list item indents).
export function sourceLimitProblem(source: string, limits: SourceLimits = {}): LimitProblem | undefined {
  const maxBytes = limits.maxBytes ?? maxRunbookBytes;
  // a UTF-16 length is at most the UTF-8 size, and at least a third of it
  if (source.length > maxBytes || (source.length * 3 > maxBytes && Buffer.byteLength(source) > maxBytes)) {
    const size = Buffer.byteLength(source);
    return {ruleId: 'too-large', offset: 0, message: `Unexpected runbook of ${formatBytes(size)}, expected at most ${formatBytes(maxBytes)}; split it into smaller runbooks`};
  }
  const deepest = limits.maxNesting ?? maxNesting;
  containerPrefix.lastIndex = 0;
  for (let offset = 0; offset < source.length;) {
    containerPrefix.lastIndex = offset;
    const match = containerPrefix.exec(source);
    if (match !== null && match[0].length > 0) {
      const indent = columns(match[1] ?? '');
      const markers = (match[2] ?? '').match(marker)?.length ?? 0;
      if (markers > 0 && Math.floor(indent / 2) + markers > deepest) {
        return {ruleId: 'too-deep', offset: offset + (match[1] ?? '').length,
          message: `Unexpected lists or block quotes nested more than ${deepest} levels deep, expected at most ${deepest}; the runbook is not read`};
      }
    }
    const end = nextLine(source, offset);
    offset = end;
  }
  return emphasisProblem(source, limits.maxEmphasisMarkers ?? maxEmphasisMarkers);
}

// Markers that may open or close emphasis: a run of `*` and `_` not inside
// a word (`snake_case` never emphasises). Fenced code is not counted.
const emphasisRun = /(?<![\p{L}\p{N}])[*_]+|[*_]+(?![\p{L}\p{N}])/gu;
const fenceOpening = /^ {0,3}(`{3,}|~{3,})/;

// The first paragraph (lines up to a blank line) with more emphasis markers
// than `most`, at the marker past the limit.
function emphasisProblem(source: string, most: number): LimitProblem | undefined {
  let count = 0;
  let fence: string | undefined;
  for (let offset = 0; offset < source.length;) {
    const end = nextLine(source, offset);
    const line = source.slice(offset, end).replace(/\r?\n$|\r$/, '');
    const fenceMark = fenceOpening.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMark !== undefined && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && line.trim() === fenceMark) fence = undefined;
    } else if (fenceMark !== undefined) {
      fence = fenceMark;
      count = 0;
    } else if (line.trim() === '') {
      count = 0;
    } else if (line.includes('*') || line.includes('_')) {
      for (const run of line.matchAll(emphasisRun)) {
        count += run[0].length;
        if (count > most) {
          return {ruleId: 'too-deep', offset: offset + run.index + run[0].length - (count - most),
            message: `Unexpected paragraph with more than ${most} emphasis markers (\`*\`, \`_\`), expected at most ${most} in a paragraph: matching them would take the parser too long; the runbook is not read`};
        }
      }
    }
    offset = end;
  }
  return undefined;
}

const containerPrefix = /([ \t]*)((?:(?:>[ \t]?|(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|(?=[\r\n]|$)))[ \t]*)*)/y;
const marker = />|[-+*](?=[ \t\r\n]|$)|\d{1,9}[.)](?=[ \t\r\n]|$)/g;

function columns(indent: string): number {
  let width = 0;
  for (const char of indent) width = char === '\t' ? width + 4 - (width % 4) : width + 1;
  return width;
}

function nextLine(source: string, offset: number): number {
  let index = offset;
  while (index < source.length && source[index] !== '\n' && source[index] !== '\r') index += 1;
  if (source[index] === '\r' && source[index + 1] === '\n') return index + 2;
  return index + 1;
}

// Decimal units, as `ls -lh --si` and file managers show them.
function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1000) return `${(bytes / 1000).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${bytes} bytes`;
}
