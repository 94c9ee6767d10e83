import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import type {File as ShellFile} from 'sh-syntax';
import {definedByEarlierBlocks} from './carried-names.js';
import {DiagnosticSink, type Diagnostic} from './diagnostics.js';
import type {ExecNode, Runbook} from './model.js';
import type {ParseResult} from './parse.js';
import {isShellNode, nodeScript, type ShellNode} from './node-script.js';
import {maskPlaceholders} from './placeholders.js';
import {blockNames, loadBlockNames} from './shell-names.js';
import {shellReadingDiagnostics} from './shell-warnings.js';
import {isUsualEnvironment} from './usual-environment.js';
import {allNodes} from './walk.js';

export {isUsualEnvironment};
import {runsShellCode} from './interpreters.js';

// `runbook check`'s reading of shell blocks with real shell parsers: a
// block bash cannot parse (mvdan/sh, as sh-syntax's WebAssembly), and
// `$NAME` that nothing declares, captures or sets before it (from
// tree-sitter-bash's syntax tree, see shell-names.ts); placeholders read
// as the words they become, and the commands of each block read for what
// shell-warnings.ts warns about.

// Every read of a variable in a block is written `$NAME`, `${NAME…}`,
// `${#NAME…}` or `${!NAME…}`: a block whose every such name is known has
// nothing to report and is not read for names at all.
const writtenName = /\$\{?[#!]?([A-Za-z_][A-Za-z0-9_]*)/g;
function mayReport(code: string, known: (name: string) => boolean): boolean {
  for (const [, name = ''] of code.matchAll(writtenName)) {
    if (!known(name) && !isUsualEnvironment(name)) return true;
  }
  return false;
}

interface ParseFailure {
  readonly message: string;
  // 1-based, in the block
  readonly line: number;
  readonly column: number;
}

// Node's WebAssembly, which the project's type libraries do not declare,
// and the Go runtime sh-syntax's wasm_exec sets up.
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{exports: Record<string, unknown>}>;
}
interface GoRuntime {
  readonly importObject: object;
  run(instance: object): Promise<void>;
}
interface ShellExports {
  readonly memory: {readonly buffer: ArrayBuffer};
  wasmAlloc(size: number): number;
  wasmFree(pointer: number): void;
  process(...args: (number | boolean)[]): number;
}
const webAssembly = (globalThis as unknown as {WebAssembly: WebAssemblyApi}).WebAssembly;

interface ParseOutcome {
  readonly file?: ShellFile;
  readonly parseError?: {readonly Text: string; readonly Pos?: {readonly Line: number; readonly Col: number}} | null;
  readonly message?: string;
}
type Parse = (text: string, variant: number) => Promise<ParseOutcome>;

// sh-syntax's WebAssembly (mvdan/sh), compiled on the first block; its
// own \`parse\` makes a new instance for every text, a few milliseconds
// each, which made \`check\` of 1,000 blocks take seconds. This calls the
// same exported \`process\` the way sh-syntax 0.7 does, on one instance
// for up to \`parsesPerInstance\` texts (its memory only grows: results are
// never freed, and an instance used for a few thousand fails).
const parsesPerInstance = 200;
let loading: Promise<{parse: Parse; bash: number; zsh: number}> | undefined;
function shellParser(): NonNullable<typeof loading> {
  loading ??= (async () => {
    const {LangVariant} = await import('sh-syntax');
    // sets `globalThis.Go`; imported itself, as sh-syntax's package.json
    // does not list it among its side effects and bundlers drop it
    await import('sh-syntax/vendors/wasm_exec.cjs');
    const Go = (globalThis as unknown as {Go: new () => GoRuntime}).Go;
    const wasm = await webAssembly.compile(await readFile(createRequire(import.meta.url).resolve('sh-syntax/main.wasm')));
    const start = async (): Promise<ShellExports> => {
      const go = new Go();
      const instance = await webAssembly.instantiate(wasm, go.importObject);
      void go.run(instance);
      return instance.exports as unknown as ShellExports;
    };
    let exports = await start();
    let parses = 0;
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    const place = (bytes: Uint8Array): number => {
      const pointer = exports.wasmAlloc(bytes.byteLength);
      new Uint8Array(exports.memory.buffer).set(bytes, pointer);
      return pointer;
    };
    const parse: Parse = async (text, variant) => {
      parses += 1;
      if (parses % parsesPerInstance === 0) exports = await start();
      const name = encoder.encode('block');
      const code = encoder.encode(text);
      const stopAt = encoder.encode('');
      try {
        const pointers = [place(name), place(code), place(stopAt)] as const;
        // filepath, text, print, keepComments, variant, stopAt, recoverErrors, then printer options
        const result = exports.process(pointers[0], name.byteLength, name.byteLength, pointers[1], code.byteLength, code.byteLength, false, false, variant,
          pointers[2], 0, 0, 0, false, 2, true, true, true, false, false, false, false);
        for (const pointer of pointers) exports.wasmFree(pointer);
        const memory = new Uint8Array(exports.memory.buffer).subarray(result);
        return JSON.parse(decoder.decode(memory.subarray(0, memory.indexOf(0)))) as ParseOutcome;
      } catch {
        // the instance failed (a trap, an answer that is not JSON): the block
        // goes unchecked, the next one gets a new instance
        exports = await start();
        return {};
      }
    };
    return {parse, bash: LangVariant.LangBash, zsh: LangVariant.LangZsh};
  })();
  return loading;
}

// Byte columns (mvdan/sh counts UTF-8 bytes) to character columns.
function characterColumn(line: string, byteColumn: number): number {
  const bytes = new TextEncoder().encode(line);
  return new TextDecoder().decode(bytes.subarray(0, Math.max(byteColumn - 1, 0))).length + 1;
}

// Why each block does not parse, if it does not.
async function parseBlocks(codes: readonly string[], variant: 'bash' | 'zsh'): Promise<(ParseFailure | undefined)[]> {
  const parser = await shellParser();
  const failures: (ParseFailure | undefined)[] = [];
  for (const code of codes) {
    const {parseError} = await parser.parse(code, variant === 'zsh' ? parser.zsh : parser.bash);
    if (parseError === undefined || parseError === null) {
      failures.push(undefined);
      continue;
    }
    const line = Math.max(parseError.Pos?.Line ?? 1, 1);
    const text = code.split('\n')[line - 1] ?? '';
    failures.push({message: parseError.Text, line, column: characterColumn(text, parseError.Pos?.Col ?? 1)});
  }
  return failures;
}

// The diagnostics of `runbook check` that need the shell parser, for a
// runbook `parseRunbook` made from `source`, in document order. With a
// broken frontmatter (`names` false) what it declares is unknown, so
// only syntax is checked.
export async function shellDiagnostics(runbook: Runbook, source: string, names = true): Promise<Diagnostic[]> {
  const sink = new DiagnosticSink(runbook.path);
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const sourceLines = text.split(/\r\n|\r|\n/);
  const nodes = allNodes(runbook);
  // a block Runme's `interpreter` hands to another program (`python3`) is not shell
  const shellNodes = nodes.filter((node): node is ShellNode => node.kind === 'exec' && isShellNode(node) && runsShellCode(node.attributes));
  if (shellNodes.length === 0) return [];
  // a block's line and column in the file, from a line (0-based) and column in its code
  const placeIn = (node: ExecNode, line: number, column: number): {line: number; column: number} => {
    const sourceLine = node.position.start.line + 1 + line;
    const written = sourceLines[sourceLine - 1] ?? '';
    const content = node.code.split(/\r\n|\r|\n/)[line] ?? '';
    const shift = written.endsWith(content) ? written.length - content.length : node.position.start.column - 1;
    return {line: sourceLine, column: shift + column};
  };
  const declared = new Set([...Object.keys(runbook.frontmatter.env), ...Object.keys(runbook.frontmatter.inputs)]);
  const captures = new Set(nodes.flatMap((node) => node.attributes.capture ?? []));
  // tree-sitter compiles while mvdan/sh parses, if some block may need it
  if (names && shellNodes.some((node) => mayReport(node.code, (name) => declared.has(name) || captures.has(name)))) loadBlockNames();
  const bash = shellNodes.filter((node) => node.lang.toLowerCase() !== 'zsh');
  const zsh = shellNodes.filter((node) => node.lang.toLowerCase() === 'zsh');
  const failures = new Map<ExecNode, ParseFailure | undefined>();
  for (const [group, variant] of [[bash, 'bash'], [zsh, 'zsh']] as const) {
    // placeholders (`<node-name>`) are words, as they are once filled in
    const parsed = await parseBlocks(group.map((node) => maskPlaceholders(nodeScript(node))), variant);
    group.forEach((node, index) => failures.set(node, parsed[index]));
  }

  const captured = new Set<string>();
  // what earlier shell blocks export, read only when a block may report
  let exported: Promise<Map<string, ReadonlySet<string>>> | undefined;
  for (const node of nodes) {
    if (node.kind === 'exec' && isShellNode(node) && runsShellCode(node.attributes)) {
      const failure = failures.get(node);
      if (failure !== undefined) {
        // mvdan/sh's support of zsh is partial: only bash-family blocks are judged
        if (node.lang.toLowerCase() !== 'zsh') {
          sink.warning(`Unexpected shell syntax: ${failure.message}; expected a block bash can run (it fails when it runs)`, 'shell-syntax',
            placeIn(node, failure.line - 1, failure.column));
        }
      } else if (names) {
        await checkNames(node);
      }
    }
    if (node.attributes.capture !== undefined) captured.add(node.attributes.capture);
  }
  return mergeDiagnostics(sink.sorted(), names ? await shellReadingDiagnostics(runbook, source) : []);

  async function checkNames(node: ShellNode): Promise<void> {
    const code = maskPlaceholders(nodeScript(node));
    if (!mayReport(code, (name) => declared.has(name) || captured.has(name))) return;
    // tree-sitter parses and is queried in its WebAssembly: however deep a
    // block nests, no JavaScript stack grows with it
    const {uses, defined, opaqueFrom} = await blockNames(code);
    const carried = (await (exported ??= definedByEarlierBlocks(runbook))).get(node.id);
    const reported = new Set<string>();
    for (const use of uses) {
      const {name} = use;
      if (use.offset >= opaqueFrom || reported.has(name) || declared.has(name) || captured.has(name) || carried?.has(name) === true || isUsualEnvironment(name)) continue;
      if ((defined.get(name) ?? Infinity) <= use.offset) continue;
      reported.add(name);
      const before = code.slice(0, use.offset);
      const line = before.split('\n').length - 1;
      const column = use.offset - (before.lastIndexOf('\n') + 1) + 1;
      const later = captureLater(name, node) ? `\`${name}\` is only captured later` : `nothing declares, captures or sets \`${name}\` before it`;
      sink.warning(`Unexpected \`${use.written}\` in a shell block: ${later}; expected it in \`env\` or \`inputs\`, a \`capture\` before it, or \`\${${name}:-}\` if it may be unset`,
        'undeclared-variable', placeIn(node, line, column));
    }
  }

  function captureLater(name: string, node: ExecNode): boolean {
    const index = nodes.indexOf(node);
    return nodes.slice(index).some((later) => later.attributes.capture === name);
  }
}

// What `runbook check` reports for a parsed runbook: the parser's
// diagnostics and the shell parser's, in source order. With a broken
// frontmatter the shell blocks' names are not checked.
export async function checkDiagnostics(parsed: ParseResult, source: string): Promise<Diagnostic[]> {
  const frontmatterIntact = !parsed.diagnostics.some((diagnostic) => diagnostic.ruleId === 'yaml-syntax' || diagnostic.ruleId === 'frontmatter-schema');
  return mergeDiagnostics(parsed.diagnostics, await shellDiagnostics(parsed.runbook, source, frontmatterIntact));
}

// `parseRunbook`'s diagnostics with those of `shellDiagnostics`, in source order.
export function mergeDiagnostics(first: readonly Diagnostic[], second: readonly Diagnostic[]): Diagnostic[] {
  return [...first, ...second].sort((a, b) => a.start.line - b.start.line || a.start.column - b.start.column);
}
