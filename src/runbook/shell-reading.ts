import type {Node, Query, Tree} from 'web-tree-sitter';
import {blockPlace, sourceLinesOf} from './block-place.js';
import type {CommandWords} from './command-words.js';
import type {Placeholder, PromptEnv, Runbook, ShellFacts, ShellSession} from './model.js';
import {promptEnvFor} from './prompt-env.js';
import {isShellNode, nodeScript, scriptPoint, type ShellNode} from './node-script.js';
import {angleCandidates, isFillInValue, maskPlaceholders, placeholderName, replaceSpans, variableReference, type QuoteContext, type Replacement} from './placeholders.js';
import {sessionOpened} from './shell-sessions.js';
import {bashParser, blockNames} from './shell-names.js';
import {isUsualEnvironment} from './usual-environment.js';
import {allSteps, stepNodes} from './walk.js';

// Reads each shell block with tree-sitter-bash (the parser `check` reads
// names with) for what running it needs: its placeholders, which become
// inputs and environment variables; the session it opens, if any; and the
// simple commands in it, for `check`'s warnings about mutating and
// never-ending commands (src/runbook/shell-check.ts).

export interface ScriptPlaceholder {
  readonly name: string;
  readonly written: string;
  readonly kind: Placeholder['kind'];
  // offsets in the script
  readonly start: number;
  readonly end: number;
}

export interface ScriptExport {
  readonly name: string;
  // the value as written (offsets in the script; start = end when there is none)
  readonly start: number;
  readonly end: number;
  // unquoted
  readonly value: string;
}

export interface ScriptReading {
  // the script the shell parsers read: each `<…>` a word of the same length
  readonly masked: string;
  // `<…>` and fill-in assignments, in the order of the script
  readonly placeholders: readonly ScriptPlaceholder[];
  // `<…>` in a here-document whose delimiter is quoted, which no variable reaches
  readonly unfillable: readonly {readonly written: string; readonly start: number}[];
  readonly replacements: readonly Replacement[];
  // `export NAME=value` (and `export NAME=`), for Runme's `promptEnv`
  readonly exports: readonly ScriptExport[];
  readonly commands: readonly CommandWords[];
  readonly session?: {readonly why: string; readonly start: number; readonly end: number; readonly statementEnd: number};
}

const readings = new Map<string, Promise<ScriptReading>>();
const nothingRead: ScriptReading = {masked: '', placeholders: [], unfillable: [], replacements: [], exports: [], commands: []};

// A script without `<`, `$`, a fill-in value or a command that may open a
// session or change things has nothing to find: the parser is not loaded
// for it (a runbook of such blocks lists and plays without it).
const mayHaveFindings = /[<$]|=\s*['"]?(?:change|replace|todo|fixme|xxx|your)|\b(?:ssh|oc|kubectl|psql|gitlab-psql|mysql|mariadb|redis-cli|valkey-cli|mongo|mongosh|sqlite3|chroot|gitlab-rails|rails|gitlab-ctl|docker|podman|crictl|su|sudo|nsenter|toolbox|bash|sh|zsh|helm|systemctl|service|railway|terraform|tofu|virtctl|git|rm|reboot|shutdown|poweroff|halt|kill|pkill|killall|mkfs|dd|watch|top|htop|btop|tail|journalctl|ping|sleep|timeout|env|nohup)\b/i;
let commandQuery: Query | undefined;

// What the parser reads in a script (zsh is read as bash: only its
// placeholders and commands are taken from it). Cached by text: `check`
// and the CLI's loading read the same blocks.
// What running a block may need the parser for: placeholders and sessions.
const mayNeedReading = /[<$]|=\s*['"]?(?:change|replace|todo|fixme|xxx|your)|\b(?:ssh|oc|kubectl|psql|gitlab-psql|mysql|mariadb|redis-cli|valkey-cli|mongo|mongosh|sqlite3|chroot|gitlab-rails|rails|gitlab-ctl|docker|podman|crictl|su|sudo|nsenter|toolbox|bash|sh|zsh)\b/i;

export function readScript(script: string, extraPrograms: readonly string[] = []): Promise<ScriptReading> {
  if (!mayHaveFindings.test(script) && !extraPrograms.some((program) => script.includes(program))) return Promise.resolve({...nothingRead, masked: script});
  let reading = readings.get(script);
  if (reading === undefined) {
    reading = read(script);
    readings.set(script, reading);
    if (readings.size > 5000) readings.delete(readings.keys().next().value ?? '');
  }
  return reading;
}

async function read(script: string): Promise<ScriptReading> {
  const candidates = angleCandidates(script);
  const masked = maskPlaceholders(script, candidates);
  const {parser, language} = await bashParser();
  const {Query} = await import('web-tree-sitter');
  commandQuery ??= new Query(language, '(command) @command (variable_assignment) @assignment');
  const tree = parser.parse(masked);
  if (tree === null) return {masked, placeholders: [], unfillable: [], replacements: [], exports: [], commands: []};
  try {
    return readTree(script, masked, tree, commandQuery, candidates);
  } finally {
    tree.delete();
  }
}

function readTree(script: string, masked: string, tree: Tree, query: Query, candidates: ReturnType<typeof angleCandidates>): ScriptReading {
  const placeholders: ScriptPlaceholder[] = [];
  const unfillable: {written: string; start: number}[] = [];
  const replacements: Replacement[] = [];
  const commands: CommandWords[] = [];
  const exports: ScriptExport[] = [];
  const filled: {start: number; end: number}[] = [];

  for (const {name, node} of query.captures(tree.rootNode)) {
    if (name === 'command') {
      commands.push(commandWords(node, masked));
      continue;
    }
    // a fill-in assignment: `NAME='<value …>'`, `NAME=CHANGEME`, `export NAME="your-token"`
    const target = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    const declaration = node.parent;
    if (target?.type === 'variable_name' && declaration?.type === 'declaration_command' && declaration.firstChild?.text === 'export') {
      const start = value?.startIndex ?? node.endIndex;
      const end = value?.endIndex ?? node.endIndex;
      exports.push({name: target.text, start, end, value: value === null ? '' : unquoted(value, script.slice(start, end))});
    }
    if (target?.type !== 'variable_name' || value === null) continue;
    const written = script.slice(value.startIndex, value.endIndex);
    if (!isFillInValue(unquoted(value, written))) continue;
    placeholders.push({name: target.text, written, kind: 'fill-in', start: value.startIndex, end: value.endIndex});
    replacements.push({start: value.startIndex, end: value.endIndex, text: variableReference(target.text, 'bare')});
    filled.push({start: value.startIndex, end: value.endIndex});
  }

  for (const candidate of candidates) {
    if (filled.some(({start, end}) => candidate.start >= start && candidate.end <= end)) continue;
    const context = contextAt(tree, candidate.start, candidate.end);
    const written = script.slice(candidate.start, candidate.end);
    if (context === 'comment') continue;
    if (context === 'literal-heredoc') {
      unfillable.push({written, start: candidate.start});
      continue;
    }
    const name = placeholderName(candidate.inner);
    placeholders.push({name, written, kind: 'angle', start: candidate.start, end: candidate.end});
    replacements.push({start: candidate.start, end: candidate.end, text: variableReference(name, context)});
  }
  placeholders.sort((a, b) => a.start - b.start);
  const session = sessionIn(tree, masked);
  return {masked, placeholders, unfillable, replacements, exports, commands, ...(session === undefined ? {} : {session})};
}

// The quoting a `<…>` is written in, from the innermost node around it.
function contextAt(tree: Tree, start: number, end: number): QuoteContext | 'comment' | 'literal-heredoc' {
  for (let node: Node | null = tree.rootNode.descendantForIndex(start, Math.max(end - 1, start)); node !== null; node = node.parent) {
    switch (node.type) {
      case 'comment':
        return 'comment';
      case 'raw_string':
        return 'single';
      case 'ansi_c_string':
        return 'ansi';
      case 'string':
        return 'double';
      case 'heredoc_body': {
        const opening = node.parent?.children.find((child) => child?.type === 'heredoc_start');
        return opening !== undefined && opening !== null && /["'\\]/.test(opening.text) ? 'literal-heredoc' : 'heredoc';
      }
      case 'command_substitution':
      case 'process_substitution':
      case 'subshell':
        return 'bare';
      default:
        break;
    }
  }
  return 'bare';
}

// A word's value without its quotes: `'a b'` → `a b`, `"x"` → `x`.
function unquoted(node: Node, written: string): string {
  if (node.type === 'raw_string' || node.type === 'string') return written.slice(1, -1);
  return written;
}

// A simple command's words, with the literal value of each where it has one.
function commandWords(node: Node, text: string): CommandWords {
  const name = node.childForFieldName('name');
  const parts = [name, ...node.childrenForFieldName('argument')].filter((child): child is Node => child !== null);
  const parent = node.parent;
  const inPipe = parent?.type === 'pipeline' && parent.namedChildren[0]?.id !== node.id;
  const redirected = parent?.type === 'redirected_statement' && parent.childrenForFieldName('redirect').some((redirect) => redirect !== null && readsStdin(redirect));
  return {words: parts.map((part) => literal(part, text)), start: node.startIndex, end: node.endIndex, stdinGiven: inPipe || redirected};
}

function readsStdin(redirect: Node): boolean {
  if (redirect.type === 'heredoc_redirect' || redirect.type === 'herestring_redirect') return !/^\d/.test(redirect.text) || redirect.text.startsWith('0');
  return /^0?<(?![(>])/.test(redirect.text);
}

function literal(node: Node, text: string): string | undefined {
  const written = text.slice(node.startIndex, node.endIndex);
  switch (node.type) {
    case 'command_name': {
      const child = node.namedChildren[0];
      return child === undefined || child === null ? written : literal(child, text);
    }
    case 'word':
    case 'number':
      return written.replace(/\\(.)/gs, '$1');
    case 'raw_string':
      return written.slice(1, -1);
    case 'string':
      return node.namedChildren.every((child) => child?.type === 'string_content') ? written.slice(1, -1) : undefined;
    case 'concatenation': {
      const values = node.namedChildren.map((child) => (child === null ? undefined : literal(child, text)));
      return values.every((value) => value !== undefined) ? values.join('') : undefined;
    }
    default:
      return undefined;
  }
}

// The first statement of the script that opens a session, at its top level
// (a command, or one of a `&&`/`||` list), without stdin given to it.
function sessionIn(tree: Tree, text: string): ScriptReading['session'] {
  for (const statement of tree.rootNode.namedChildren) {
    if (statement === null) continue;
    for (const command of sessionCandidates(statement)) {
      const why = sessionOpened(commandWords(command, text));
      if (why !== undefined) return {why, start: command.startIndex, end: command.endIndex, statementEnd: statement.endIndex};
    }
  }
  return undefined;
}

function sessionCandidates(node: Node): Node[] {
  switch (node.type) {
    case 'command':
      return [node];
    case 'redirected_statement': {
      if (node.childrenForFieldName('redirect').some((redirect) => redirect !== null && readsStdin(redirect))) return [];
      const body = node.childForFieldName('body');
      return body === null ? [] : sessionCandidates(body);
    }
    case 'list':
      return node.namedChildren.flatMap((child) => (child === null ? [] : sessionCandidates(child)));
    default:
      return [];
  }
}

// Reads every executable shell block of `runbook` and records what it
// found on the node (`node.shell`): the CLI does this for every runbook it
// loads, so `list`, `play` and the engine see placeholders and sessions.
// `$NAME` that nothing declares, captures or sets before it is a
// placeholder too: declared in `env`/`inputs`, captured by an earlier
// block, set by an earlier block, set earlier in the block, or one the
// environment always has (`HOME`, `PATH`) is not.
export async function readShellBlocks(runbook: Runbook, source: string): Promise<void> {
  const sourceLines = sourceLinesOf(source);
  const known = new Set([...Object.keys(runbook.frontmatter.env), ...Object.keys(runbook.frontmatter.inputs)]);
  for (const step of allSteps(runbook)) {
    for (const node of stepNodes(step)) {
      if (node.kind !== 'exec' || !isShellNode(node)) {
        if (node.attributes.capture !== undefined) known.add(node.attributes.capture);
        continue;
      }
      const facts = await shellFacts(node, sourceLines, known, promptEnvFor(runbook, node));
      if (facts !== undefined) (node as {shell?: ShellFacts}).shell = facts;
      if (node.attributes.capture !== undefined) known.add(node.attributes.capture);
    }
  }
}

async function shellFacts(node: ShellNode, sourceLines: readonly string[], known: Set<string>, promptEnv: PromptEnv | undefined): Promise<ShellFacts | undefined> {
  const script = nodeScript(node);
  // Runme's `promptEnv`: the block's `export NAME=…` values are asked too
  const asksExports = (promptEnv === 'auto' || promptEnv === 'always') && /\bexport\b/.test(script);
  if (!mayNeedReading.test(script) && !asksExports) return undefined;
  const reading = await readScript(script, asksExports ? ['export'] : []);
  const at = (offset: number): Placeholder['position'] => {
    const point = scriptPoint(node, offset);
    return blockPlace(node, sourceLines, point.line, point.column);
  };
  // a session's block runs up to the command that opens it
  const end = reading.session?.statementEnd ?? script.length;
  const placeholders: Placeholder[] = reading.placeholders.filter((found) => found.start < end).map((found) => ({name: found.name, written: found.written, kind: found.kind, position: at(found.start)}));
  const replacements = [...reading.replacements];
  if (asksExports) {
    const filled = new Set(reading.placeholders.map((found) => found.start));
    for (const exported of reading.exports) {
      if (exported.start >= end || filled.has(exported.start) || (promptEnv === 'auto' && exported.value !== '')) continue;
      const written = script.slice(exported.start, exported.end);
      placeholders.push({name: exported.name, written: written === '' ? `export ${exported.name}=` : written, kind: 'fill-in', position: at(exported.start), ...(exported.value === '' ? {} : {default: exported.value})});
      replacements.push({start: exported.start, end: exported.end, text: variableReference(exported.name, 'bare')});
    }
  }
  if (node.lang.toLowerCase() !== 'zsh' && reading.masked.includes('$')) {
    const {uses, defined, opaqueFrom} = await blockNames(reading.masked);
    const fillIns = new Map(reading.placeholders.filter((found) => found.kind === 'fill-in').map((found) => [found.name, found.start]));
    const listed = new Set(placeholders.map((found) => found.name));
    for (const use of uses) {
      const {name} = use;
      if (use.offset >= Math.min(opaqueFrom, end) || listed.has(name) || known.has(name) || isUsualEnvironment(name)) continue;
      if ((defined.get(name) ?? Infinity) <= use.offset || (fillIns.get(name) ?? Infinity) <= use.offset) continue;
      listed.add(name);
      placeholders.push({name, written: use.written, kind: 'variable', position: at(use.offset)});
    }
    for (const name of defined.keys()) known.add(name);
  }
  placeholders.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
  // a later block that reads one of these again lists it too (the same
  // input, asked once): it may run when this one is skipped
  const session = reading.session === undefined ? undefined : sessionFacts(script, reading.session, at);
  if (placeholders.length === 0 && session === undefined) return undefined;
  const runs = replaceSpans(script.slice(0, end), replacements.filter((replacement) => replacement.end <= end)) + (session === undefined ? '' : '\n');
  return {placeholders, script: runs, ...(session === undefined ? {} : {session})};
}

function sessionFacts(script: string, found: NonNullable<ScriptReading['session']>, at: (offset: number) => Placeholder['position']): ShellSession {
  const lines = script.slice(found.statementEnd).split('\n').map((line) => line.trimEnd()).filter((line) => line.trim() !== '');
  return {command: script.slice(found.start, found.end), position: at(found.start), lines};
}
