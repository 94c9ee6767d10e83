import {basename} from 'node:path';
import type {ProcessCommand, ProcessReport} from './run-process.js';

// Variables a shell block exports reach later shell blocks (docs/dialect.md,
// "Variables that carry over"). The block's shell reports its exported
// environment when it exits, from an EXIT trap set on the block's first
// line (so bash's `line N` in error messages stays right): the trap writes
// to a file descriptor only runbook reads, never to the block's output, and
// leaves the block's exit status as it was. bash and POSIX shells print
// `export -p`, a builtin, so no process is added; zsh's `export -p` is not
// meant to be read back, so zsh runs `env -0`. The report ends with a NUL.

// The shell gets the report's pipe as descriptor 3 (a higher one costs
// runbook a few milliseconds a node to set up) and moves it out of the
// block's way first, to 47 (bash), 9 (POSIX shells name only 0–9) or one
// zsh picks, so a block's own `exec 3>file` neither takes the report nor
// gets the environment written into its file.
export interface EnvReport extends ProcessReport {
  readonly format: 'export-p' | 'env-0';
  // moves descriptor 3, then what the trap writes to
  readonly move: string;
  readonly target: string;
}

// What a block changed in the environment it was given: new and changed
// values, and `null` for a variable it unset.
export type EnvChanges = Readonly<Record<string, string | null>>;

// Set by the shell itself, or where it runs (cwd does not carry), or by the engine.
const shellManaged = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD', 'RUNBOOK_RUN_ID', 'RUNBOOK_STEP_ID', 'RUNBOOK_NODE_ID']);
// What zsh fills in and exports when the environment lacks it: new values
// of these are the shell's, changed ones the block's.
const shellDefaults = new Set(['HOME', 'LOGNAME']);
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envReportFor(interpreter: string): EnvReport {
  const shell = basename(interpreter);
  if (shell === 'zsh') {
    return {fd: 3, format: 'env-0', move: 'exec {__runbook_report}>&3 3>&-;', target: '$__runbook_report',
      complete: (bytes) => bytes.length > 0 && (bytes[0] === 0 || bytes.includes('\0\0'))};
  }
  const target = shell === 'bash' ? '47' : '9';
  return {fd: 3, format: 'export-p', move: `exec ${target}>&3 3>&-;`, target, complete: (bytes) => bytes.includes(0)};
}

// `command` with the trap before the block (its last argument but one is
// the `-c` script, as `shellCommand` builds it).
export function reportingCommand(command: ProcessCommand, report: EnvReport): ProcessCommand {
  const scriptAt = command.args.length - 2;
  const script = command.args[scriptAt] ?? '';
  const list = report.format === 'env-0' ? 'env -0' : 'export -p';
  // `set +x` and the redirection of stderr keep `set -x` from tracing the
  // trap into the output; `|| :` keeps `set -e` from changing the status;
  // the NUL that ends the report comes only after a listing that worked
  // (an `env` without `-0` must not look like an empty environment)
  const trap = `${report.move} trap '{ set +x; ${list} && printf "\\0"; } 2>/dev/null >&${report.target} || :' EXIT; `;
  return {...command, args: command.args.map((arg, index) => (index === scriptAt ? trap + script : arg)), report};
}

// The exported environment a report lists; undefined when it is not whole
// (the block replaced the EXIT trap, `exec`ed another program, was killed)
// or cannot be read.
export function readEnvReport(bytes: Buffer, report: EnvReport): Record<string, string> | undefined {
  if (!report.complete(bytes)) return undefined;
  return report.format === 'env-0' ? readNulRecords(bytes) : readExportList(bytes.subarray(0, bytes.indexOf(0)));
}

// What changed from `before` (the environment the block was given) to `after`.
export function envChanges(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): EnvChanges {
  const changes: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(after)) {
    if (carries(name) && before[name] !== value && !(before[name] === undefined && shellDefaults.has(name))) changes[name] = value;
  }
  for (const name of Object.keys(before)) {
    if (carries(name) && !(name in after)) changes[name] = null;
  }
  return changes;
}

function carries(name: string): boolean {
  return variableName.test(name) && !shellManaged.has(name);
}

function readNulRecords(bytes: Buffer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const record of bytes.toString('utf8').split('\0')) {
    const equals = record.indexOf('=');
    if (equals > 0) env[record.slice(0, equals)] = record.slice(equals + 1);
  }
  return env;
}

// `export -p` as bash (`declare -x NAME="…"`, `export NAME=$'…'` in POSIX
// mode) and POSIX shells (`export NAME='…'`) print it: one declaration a
// line, values quoted for the shell to read back, possibly over several lines.
function readExportList(bytes: Buffer): Record<string, string> | undefined {
  // one character a byte: quoting is ASCII, values are decoded as UTF-8 once read
  const text = bytes.toString('latin1');
  const env: Record<string, string> = {};
  const declarations = /(?:declare -[A-Za-z]+|export) ([A-Za-z_][A-Za-z0-9_]*)/y;
  let at = 0;
  while (at < text.length) {
    declarations.lastIndex = at;
    const declaration = declarations.exec(text);
    if (declaration === null) return undefined;
    const name = declaration[1] ?? '';
    at += declaration[0].length;
    if (text[at] === '=') {
      const word = readWord(text, at + 1);
      if (word === undefined) return undefined;
      at = word.end;
      // arrays do not travel in the environment
      if (word.value !== undefined) env[name] = Buffer.from(word.value, 'latin1').toString('utf8');
    }
    if (text[at] !== '\n' && at < text.length) return undefined;
    at += 1;
  }
  return env;
}

// A shell word up to an unquoted blank or newline: bare characters, '…',
// "…" and $'…' parts; `(…)` (an array) is skipped and has no value.
function readWord(text: string, start: number): {value: string | undefined; end: number} | undefined {
  if (text[start] === '(') {
    let at = start + 1;
    for (;;) {
      while (text[at] === ' ') at += 1;
      if (text[at] === ')') return {value: undefined, end: at + 1};
      if (at >= text.length) return undefined;
      const element = readWord(text, at);
      if (element === undefined || element.end === at) return undefined;
      at = element.end;
    }
  }
  let value = '';
  let at = start;
  while (at < text.length) {
    const char = text[at] ?? '';
    if (char === ' ' || char === '\n' || char === ')') break;
    if (char === "'") {
      const close = text.indexOf("'", at + 1);
      if (close < 0) return undefined;
      value += text.slice(at + 1, close);
      at = close + 1;
    } else if (char === '"') {
      at += 1;
      while (at < text.length && text[at] !== '"') {
        if (text[at] === '\\' && '"\\$`\n'.includes(text[at + 1] ?? '')) at += 1;
        value += text[at] ?? '';
        at += 1;
      }
      if (at >= text.length) return undefined;
      at += 1;
    } else if (char === '$' && text[at + 1] === "'") {
      const quoted = readAnsiC(text, at + 2);
      if (quoted === undefined) return undefined;
      value += quoted.value;
      at = quoted.end;
    } else if (char === '\\') {
      value += text[at + 1] ?? '';
      at += 2;
    } else {
      value += char;
      at += 1;
    }
  }
  return {value, end: at};
}

const ansiEscapes: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?',
};

// The inside of $'…' from `start` to its closing quote, as bytes (latin1).
function readAnsiC(text: string, start: number): {value: string; end: number} | undefined {
  let value = '';
  let at = start;
  while (at < text.length) {
    const char = text[at] ?? '';
    if (char === "'") return {value, end: at + 1};
    if (char !== '\\') {
      value += char;
      at += 1;
      continue;
    }
    const next = text[at + 1] ?? '';
    const octal = /^[0-7]{1,3}/.exec(text.slice(at + 1, at + 4));
    const hex = /^x([0-9A-Fa-f]{1,2})/.exec(text.slice(at + 1, at + 4));
    const unicode = /^(?:u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8}))/.exec(text.slice(at + 1, at + 10));
    if (octal !== null) {
      value += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
      at += 1 + octal[0].length;
    } else if (hex !== null) {
      value += String.fromCharCode(parseInt(hex[1] ?? '0', 16));
      at += 1 + hex[0].length;
    } else if (unicode !== null) {
      value += Buffer.from(String.fromCodePoint(parseInt(unicode[1] ?? unicode[2] ?? '0', 16)), 'utf8').toString('latin1');
      at += 1 + unicode[0].length;
    } else if (next === 'c' && at + 2 < text.length) {
      value += String.fromCharCode((text.charCodeAt(at + 2)) & 0x1f);
      at += 3;
    } else if (next in ansiEscapes) {
      value += ansiEscapes[next] ?? '';
      at += 2;
    } else {
      value += `\\${next}`;
      at += 2;
    }
  }
  return undefined;
}
