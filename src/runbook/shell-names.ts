import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import type {Language, Node, Parser, Query, Tree} from 'web-tree-sitter';

// The variables a shell block reads and the ones it sets, from the bash
// syntax tree of tree-sitter-bash (web-tree-sitter's WebAssembly). It runs
// on blocks mvdan/sh (sh-syntax) has parsed without error, whose syntax
// tree stops at statements. The tree says where every `$NAME`, `${…}`,
// assignment, declaration, loop, arithmetic expression, here-document and
// command word is; what remains here is what bash does with them (which
// command words name a variable).

export interface VariableUse {
  readonly name: string;
  // as written: `$NAME` or `${NAME…}`
  readonly written: string;
  // index in the block of the `$`
  readonly offset: number;
}

export interface BlockNames {
  // reads that fail or expand to nothing when the variable is unset
  // (`${NAME:-…}`, `${NAME-…}`, `${NAME:=…}`, `${NAME:?…}`, `${NAME:+…}` are not),
  // in the order of the block
  readonly uses: readonly VariableUse[];
  // the index from which the block has set each variable, or has read it
  // in a way that allows it to be unset (`[ -n "${NAME:-}" ] && use "$NAME"`)
  readonly defined: ReadonlyMap<string, number>;
  // from here on (`source`, `.`, `eval`, or a part tree-sitter-bash cannot
  // parse) anything may be set
  readonly opaqueFrom: number;
}

// The parts of a block's syntax tree that read or set variables, found by
// tree-sitter in the WebAssembly (much faster than walking every node from
// JavaScript).
const patterns = `
(ERROR) @error
(MISSING) @error
(simple_expansion) @use
(expansion) @expansion
(variable_assignment) @assignment
(declaration_command (variable_name) @declared)
(for_statement) @for
(binary_expression) @binary
(postfix_expression) @step
(unary_expression) @step
(heredoc_redirect) @heredoc
(command name: (command_name) @command)
`;

// The parser, made on the first block (`runbook check` only): the
// WebAssembly of web-tree-sitter and of the bash grammar, from the
// installed packages (the bundle in dist/ resolves them from its own place).
let loading: Promise<{parser: Parser; query: Query; language: Language}> | undefined;
// Starts loading it, so that WebAssembly compiles while other work goes on;
// `blockNames` reports if it fails.
export function loadBlockNames(): void {
  bashParser().catch(() => undefined);
}
export function bashParser(): NonNullable<typeof loading> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const {Parser, Language, Query} = await import('web-tree-sitter');
    await Parser.init({wasmBinary: await readFile(require.resolve('web-tree-sitter/tree-sitter.wasm'))});
    const bash = await Language.load(await readFile(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')));
    return {parser: new Parser().setLanguage(bash), query: new Query(bash, patterns), language: bash};
  })();
  return loading;
}

// `${NAME` followed by one of these allows NAME to be unset
const guardOperators = new Set([':-', '-', ':=', '=', ':?', '?', ':+', '+']);
const arithmeticAssignments = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|=', '**=']);
const opaqueCommands = new Set(['source', '.', 'eval']);
// options of `read` and `mapfile` that take an argument
const readArgumentOptions = new Set(['a', 'd', 'i', 'n', 'N', 'p', 't', 'u']);
const mapfileArgumentOptions = new Set(['d', 'n', 'O', 's', 'u', 'C', 'c']);
const bareName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const letAssignment = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?(?:[-+*/%&|^]|<<|>>|\*\*)?=/;
const assignedName = /^[A-Za-z_][A-Za-z0-9_]*/;
// the commands whose words may set variables (`source`, `.`, `eval`: anything)
const settingCommands = new Set(['read', 'mapfile', 'readarray', 'getopts', 'printf', 'let', ...opaqueCommands]);

export async function blockNames(code: string): Promise<BlockNames> {
  // every read is a `$`
  if (!code.includes('$')) return {uses: [], defined: new Map(), opaqueFrom: Infinity};
  const {parser, query} = await bashParser();
  const tree = parser.parse(code);
  if (tree === null) return {uses: [], defined: new Map(), opaqueFrom: 0};
  let read: Reading;
  try {
    read = reading(code, tree, query);
  } finally {
    tree.delete();
  }
  // tree-sitter-bash's here-document scanner reads a body line that starts
  // with blanks and then `$NAME` or `${…}` as text (0.25.1). Blanks there
  // are text either way, so the block is parsed again with them as letters.
  let patched = code;
  for (const {start, end} of read.heredocs) {
    const body = code.slice(start, end).replace(/(^|\n)([ \t]+)(?=\$[{A-Za-z_])/g, (_, line: string, blanks: string) => line + 'x'.repeat(blanks.length));
    patched = patched.slice(0, start) + body + patched.slice(end);
  }
  if (patched !== code) {
    const again = parser.parse(patched);
    if (again !== null) {
      try {
        read = reading(code, again, query);
      } finally {
        again.delete();
      }
    }
  }
  // the bodies of here-documents with a quoted delimiter, which bash does
  // not expand (tree-sitter-bash expands `<<E"OF"`, and reads a first line
  // that starts with `\` as words of the command)
  const literal = read.heredocs.filter((heredoc) => heredoc.quoted);
  const expanded = ({offset}: {offset: number}): boolean => !literal.some(({start, end}) => offset >= start && offset < end);
  const defined = new Map<string, number>();
  for (const {name, offset} of read.defines.filter(expanded)) defined.set(name, Math.min(offset, defined.get(name) ?? Infinity));
  const uses = read.uses.filter(expanded).sort((a, b) => a.offset - b.offset);
  return {uses, defined, opaqueFrom: read.opaqueFrom};
}

interface Reading {
  readonly uses: VariableUse[];
  readonly defines: {name: string; offset: number}[];
  opaqueFrom: number;
  // the lines of each here-document: from the line after its `<<` to its
  // closing delimiter (tree-sitter-bash's body node can start late)
  readonly heredocs: {start: number; end: number; quoted: boolean}[];
}

// What the syntax tree of `code` reads and sets. What is inside a part
// tree-sitter-bash cannot parse is after `opaqueFrom`, so it never counts.
function reading(code: string, tree: Tree, query: Query): Reading {
  const read: Reading = {uses: [], defines: [], opaqueFrom: Infinity, heredocs: []};
  const define = (name: string | undefined, offset: number): void => {
    if (name !== undefined) read.defines.push({name, offset});
  };
  const opaque = (offset: number): void => {
    read.opaqueFrom = Math.min(read.opaqueFrom, offset);
  };
  // tree-sitter-bash's `$` and `${` tokens in a string take the blanks
  // before them (`"$A $B"`)
  const use = (name: string, start: number, end: number): void => {
    const offset = code.indexOf('$', start);
    read.uses.push({name, written: code.slice(offset, end), offset});
  };

  const found = (capture: string, node: Node): void => {
    const {startIndex: start, endIndex: end} = node;
    switch (capture) {
      case 'error':
        opaque(start);
        return;
      case 'use': {
        const name = code.slice(code.indexOf('$', start) + 1, end);
        if (bareName.test(name)) use(name, start, end);
        return;
      }
      case 'expansion':
        expansion(node);
        return;
      case 'assignment': {
        const name = assignedName.exec(code.slice(start, end))?.[0];
        const parent = node.parent;
        if (parent?.type !== 'command') {
          define(name, end);
          return;
        }
        // `NAME=value command` sets NAME for the command only. But
        // tree-sitter-bash (0.25.1) ends `NAME=a`cmd`` before the backtick
        // and takes the rest for a command's name: without arguments after
        // it, that is one assignment.
        const next = node.nextSibling;
        if (next?.type === 'command_name' && next.startIndex === end && code[end] === '`' && parent.childrenForFieldName('argument').length === 0) {
          define(name, next.endIndex);
        }
        return;
      }
      case 'declared':
        // `export B`, `local -r C`
        define(code.slice(start, end), end);
        return;
      case 'for':
        // the words are expanded before the variable is set
        define(nameOf(node.childForFieldName('variable')), node.childForFieldName('body')?.startIndex ?? end);
        return;
      case 'binary':
        if (arithmeticAssignments.has(node.childForFieldName('operator')?.type ?? '')) define(nameOf(node.childForFieldName('left')), end);
        return;
      case 'step': {
        const operator = node.childForFieldName('operator')?.type;
        if (operator === '++' || operator === '--') define(nameOf(node.namedChildren[0] ?? null), end);
        return;
      }
      case 'heredoc':
        heredoc(node);
        return;
      case 'command': {
        const name = code.slice(start, end).replace(/["'\\]/g, '');
        if (settingCommands.has(name)) command(name, node.parent);
        return;
      }
      default:
        return;
    }
  };

  // `${…}`: its name (`${NAME}`, `${#NAME}`, `${!NAME}`, `${NAME[…]}`) and
  // whether the operator after it allows it to be unset.
  const expansion = (node: Node): void => {
    const children = node.children.filter((child): child is Node => child !== null);
    const index = children.findIndex((child) => child.type === 'variable_name' || child.type === 'subscript');
    const name = nameOf(children[index] ?? null);
    if (name === undefined) return;
    const next = children[index + 1];
    const prefixed = children.slice(0, index).some((child) => child.type === '#' || child.type === '!');
    if (!prefixed && next !== undefined && guardOperators.has(next.type)) define(name, code.indexOf('$', node.startIndex));
    else use(name, node.startIndex, node.endIndex);
  };

  // `<<'EOF'`, `<<"EOF"`, `<<\EOF`, `<<E"OF"`: the body is not expanded
  const heredoc = (node: Node): void => {
    const opening = node.children.find((child) => child?.type === 'heredoc_start');
    const closing = node.children.find((child) => child?.type === 'heredoc_end');
    if (opening === undefined || opening === null || closing === undefined || closing === null) return;
    const lineEnd = code.indexOf('\n', opening.endIndex);
    if (lineEnd < 0 || lineEnd >= closing.startIndex) return;
    read.heredocs.push({start: lineEnd + 1, end: closing.startIndex, quoted: /["'\\]/.test(opening.text)});
  };

  // What a command's words set: `read`, `mapfile`/`readarray`, `getopts`,
  // `printf -v`, `let`; after `source`, `.` and `eval` anything.
  const command = (commandName: string, node: Node | null): void => {
    if (node === null) return;
    if (opaqueCommands.has(commandName)) {
      // its own words are expanded before it runs
      opaque(node.endIndex);
      return;
    }
    const words = node.childrenForFieldName('argument').filter((child): child is Node => child !== null);
    const setsWord = (word: Node | undefined): void => {
      if (word !== undefined && word.type === 'word' && bareName.test(word.text)) define(word.text, word.endIndex);
    };
    switch (commandName) {
      case 'read':
      case 'mapfile':
      case 'readarray': {
        const takesArgument = commandName === 'read' ? readArgumentOptions : mapfileArgumentOptions;
        for (let index = 0; index < words.length; index += 1) {
          const word = words[index];
          const text = word?.text ?? '';
          if (!text.startsWith('-') || text === '-') {
            setsWord(word);
            continue;
          }
          // the first option letter that takes an argument takes the rest of
          // the word, or the next word when it is the last letter
          const letters = text.slice(1);
          const letter = [...letters].findIndex((option) => takesArgument.has(option));
          if (letter === letters.length - 1) {
            index += 1;
            if (commandName === 'read' && letters[letter] === 'a') setsWord(words[index]);
          }
        }
        return;
      }
      case 'getopts':
        setsWord(words[1]);
        return;
      case 'printf':
        if (words[0]?.text === '-v') setsWord(words[1]);
        return;
      case 'let':
        for (const word of words) define(letAssignment.exec(word.text.replace(/["'\\]/g, ''))?.[1], word.endIndex);
        return;
      default:
        return;
    }
  };

  for (const {name, node} of query.captures(tree.rootNode)) found(name, node);
  return read;
}

// The variable a node names: `NAME`, `NAME[…]`, not `1` (`$1`, `${1}`)
function nameOf(node: Node | null): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'variable_name') return bareName.test(node.text) ? node.text : undefined;
  if (node.type === 'subscript') return nameOf(node.childForFieldName('name'));
  // arithmetic reads some names as words (`k++` in `for ((…; k++))`)
  if (node.type === 'word' && bareName.test(node.text)) return node.text;
  return undefined;
}
