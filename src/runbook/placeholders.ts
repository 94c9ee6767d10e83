import {isUsualEnvironment} from './usual-environment.js';

// The lexical half of placeholders: where a block writes `<node-name>`, the
// name of the input it asks for, which assignment values are fill-ins
// (`CHANGEME`), and how a placeholder becomes a reference to its environment
// variable. Which `<…>` are placeholders, in which quotes, is decided by the
// shell parser (src/runbook/shell-reading.ts) on the text `maskPlaceholders`
// makes, where each `<…>` is a word of the same length.

export interface AngleCandidate {
  // offsets in the script of `<` and after `>`
  readonly start: number;
  readonly end: number;
  // what is between the brackets: `node-name`
  readonly inner: string;
}

// `<name>`, `<node name>`, `<value of namespace label from alert>`: letters,
// digits, `_`, `.`, `-` and blanks, not after `<`, `>`, `&` or a digit (`<<EOF`,
// `2>&1`, `<<<`), not before `(` or `>`/`&` (`<(…)`, `<>`).
const angle = /(?<![<>&\d$\\])<([A-Za-z_][\w.-]*(?:[ \t]+[\w.-]+)*)>(?![>&(])/g;
// HTML and the empty values Go and kubectl print, which are not things to fill in
const notPlaceholders = new Set([
  'a', 'b', 'i', 'p', 'br', 'hr', 'em', 'li', 'ol', 'ul', 'td', 'th', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div', 'img', 'pre', 'code', 'span',
  'html', 'head', 'body', 'meta', 'link', 'table', 'thead', 'tbody', 'title', 'style', 'script', 'strong', 'small', 'details', 'summary', 'source', 'video',
  'nil', 'none', 'null', 'unknown', 'empty', 'invalid',
]);

export function angleCandidates(script: string): AngleCandidate[] {
  const found: AngleCandidate[] = [];
  for (const match of script.matchAll(angle)) {
    const inner = match[1] ?? '';
    if (notPlaceholders.has(inner.toLowerCase())) continue;
    found.push({start: match.index, end: match.index + match[0].length, inner});
  }
  return found;
}

// The script with each `<…>` a word of letters and `_` of the same length,
// so the shell parser reads it as one word and every offset stays the same.
export function maskPlaceholders(script: string, candidates: readonly AngleCandidate[] = angleCandidates(script)): string {
  let masked = '';
  let from = 0;
  for (const {start, end} of candidates) {
    masked += script.slice(from, start) + script.slice(start, end).replace(/[^A-Za-z0-9_]/g, '_');
    from = end;
  }
  return masked + script.slice(from);
}

// The input a `<…>` placeholder asks for: `node-name`, `Node-name` and
// `node name` all ask for `NODE_NAME` (upper case, every run of other
// characters one `_`). A name the environment already has (`<user>`,
// `<path>`, `<home>`) gets `_VALUE` after it, so a run never takes the
// shell's own value for it.
export function placeholderName(inner: string): string {
  let name = inner.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (name === '' || /^\d/.test(name)) name = `_${name}`;
  return isUsualEnvironment(name) ? `${name}_VALUE` : name;
}

// Assignment values that mean "fill this in" (after quotes are removed):
// `<…>`, `CHANGEME`, `CHANGE_ME`, `REPLACE_ME`, `your-…`, `YOUR_…`, `TODO`, `XXX`.
const fillIn = /^(?:<[^<>]+>|change[-_]?me|replace[-_]?me|todo|fixme|x{3,}|your[-_][\w.-]+)$/i;
export function isFillInValue(unquoted: string): boolean {
  return fillIn.test(unquoted);
}

// Where a placeholder sits, which decides how its variable is written so
// that the value stays one word and is never read as shell syntax.
export type QuoteContext = 'bare' | 'double' | 'single' | 'ansi' | 'heredoc';

// The reference to `name` that replaces a placeholder written in `context`:
// `"${NAME}"` in a bare word (`node/<node-name>` → `node/"${NODE_NAME}"`),
// `${NAME}` in double quotes and in a here-document that expands, and the
// single quotes closed around it in `'…'` and `$'…'`.
export function variableReference(name: string, context: QuoteContext): string {
  switch (context) {
    case 'bare':
      return `"\${${name}}"`;
    case 'double':
    case 'heredoc':
      return `\${${name}}`;
    case 'single':
      return `'"\${${name}}"'`;
    case 'ansi':
      return `'"\${${name}}"$'`;
    default:
      return context satisfies never;
  }
}

export interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

// `script` with the replacements (in any order, none overlapping) made.
export function replaceSpans(script: string, replacements: readonly Replacement[]): string {
  let out = '';
  let from = 0;
  for (const {start, end, text} of [...replacements].sort((a, b) => a.start - b.start)) {
    if (start < from) continue;
    out += script.slice(from, start) + text;
    from = end;
  }
  return out + script.slice(from);
}
