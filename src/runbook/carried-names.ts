import type {Node, Query} from 'web-tree-sitter';
import type {ExecNode, Runbook} from './model.js';
import {runsShellCode} from './interpreters.js';
import {isShellNode, nodeScript} from './node-script.js';
import {bashParser} from './shell-names.js';
import {allNodes} from './walk.js';

// Which variables each shell block carries to the blocks after it, read from
// the block as written (tree-sitter-bash's syntax tree, as shell-names.ts):
// what `runbook list` shows, and what `runbook check` can count as defined.
// At run time the shell itself reports what it exported (see
// src/executors/carried-env.ts); this reading is what the text promises.

// What a shell block's exports reach (docs/dialect.md, "Variables that
// carry over"): later shell blocks, unless the runbook (`carry: false`) or
// the block (`carry=false`) turns it off. A block Runme's `interpreter`
// hands to another program (`python3`) exports nothing.
export function carriesExports(runbook: Pick<Runbook, 'frontmatter'>, node: ExecNode): boolean {
  return isShellNode(node) && runsShellCode(node.attributes) && runbook.frontmatter.carry !== false && node.attributes.carry !== false;
}

export interface BlockExports {
  // `export NAME=…`, `export NAME`, `declare -x`/`typeset -x`, and
  // assignments after `set -a`, in the order of the block
  readonly exports: readonly string[];
  // `unset NAME`
  readonly unsets: readonly string[];
  // plain assignments (`NAME=…`): they do not carry (looked for only in a
  // block that may carry something)
  readonly sets: readonly string[];
  // the block runs `source`, `.` or `eval`: it may export anything
  readonly opaque: boolean;
}

const patterns = `
(declaration_command) @declaration
(unset_command) @unset
(variable_assignment) @assignment
(command name: (command_name) @command)
`;

// What runs in a shell of its own (or only when called) sets nothing for the block.
const enclosedBy = new Set(['subshell', 'command_substitution', 'process_substitution', 'pipeline', 'function_definition']);
const opaqueCommands = new Set(['source', '.', 'eval']);
const bareName = /^[A-Za-z_][A-Za-z0-9_]*$/;

let query: Promise<Query> | undefined;
function exportsQuery(): Promise<Query> {
  query ??= (async () => {
    const [{parser}, {Query}] = await Promise.all([bashParser(), import('web-tree-sitter')]);
    const language = parser.language;
    if (language === null) throw new Error('tree-sitter-bash did not load');
    return new Query(language, patterns);
  })();
  return query;
}

// Every block that exports or unsets a variable, or may (`set -a`,
// `source`, `.`, `eval`), has one of these words: the others are not
// parsed at all, and what they assign (`sets`) is not looked for.
const mayCarry = /\b(?:export|declare|typeset|unset|set|source|eval)\b|(?:^|[\s;&|({])\.\s/;

export async function blockExports(code: string): Promise<BlockExports> {
  const exports: string[] = [];
  const unsets: string[] = [];
  const sets: string[] = [];
  let opaque = false;
  if (!mayCarry.test(code)) return {exports, unsets, sets, opaque};
  // `set -a` … `set +a`: plain assignments between them are exported
  const allexport: {at: number; on: boolean}[] = [];
  const plain: {name: string; at: number}[] = [];
  const [{parser}, compiled] = await Promise.all([bashParser(), exportsQuery()]);
  const tree = parser.parse(code.replaceAll('\r\n', '\n'));
  if (tree === null) return {exports, unsets, sets, opaque: true};
  try {
    for (const {name, node} of compiled.captures(tree.rootNode)) {
      if (enclosed(node)) continue;
      switch (name) {
        case 'declaration': {
          const keyword = node.children[0]?.type ?? '';
          const flags = node.namedChildren.filter((child): child is Node => child?.type === 'word').map((child) => child.text);
          const exported = keyword === 'export' || ((keyword === 'declare' || keyword === 'typeset') && flags.some((flag) => /^-[a-zA-Z]*x/.test(flag)));
          if (!exported) {
            if (keyword !== 'local') for (const assigned of declared(node)) plain.push({name: assigned, at: node.startIndex});
            break;
          }
          exports.push(...declared(node));
          break;
        }
        case 'unset':
          for (const child of node.namedChildren) {
            if (child !== null && child.type !== 'word' && bareName.test(child.text)) unsets.push(child.text);
            else if (child?.type === 'word' && !child.text.startsWith('-') && bareName.test(child.text)) unsets.push(child.text);
          }
          break;
        case 'assignment': {
          const parent = node.parent?.type;
          if (parent === 'command' || parent === 'declaration_command') break;
          const assigned = node.childForFieldName('name')?.text;
          if (assigned !== undefined && bareName.test(assigned)) plain.push({name: assigned, at: node.startIndex});
          break;
        }
        case 'command': {
          const command = node.text.replace(/["'\\]/g, '');
          if (opaqueCommands.has(command)) opaque = true;
          if (command === 'set') {
            const words = node.parent?.childrenForFieldName('argument').filter((child): child is Node => child !== null).map((child) => child.text) ?? [];
            words.forEach((word, index) => {
              const on = word.startsWith('-');
              if ((/^[-+][a-zA-Z]*a/.test(word)) || ((word === '-o' || word === '+o') && words[index + 1] === 'allexport')) allexport.push({at: node.startIndex, on});
            });
          }
          break;
        }
        default:
          break;
      }
    }
  } finally {
    tree.delete();
  }
  for (const {name, at} of plain) {
    const mode = allexport.filter((toggle) => toggle.at < at).at(-1);
    (mode?.on === true ? exports : sets).push(name);
  }
  return {exports: unique(exports), unsets: unique(unsets), sets: unique(sets.filter((name) => !exports.includes(name))), opaque};
}

// Every shell block's exports, by node id, for the blocks whose exports carry.
export async function runbookExports(runbook: Runbook): Promise<Map<string, BlockExports>> {
  const found = new Map<string, BlockExports>();
  for (const node of allNodes(runbook)) {
    if (node.kind !== 'exec' || !carriesExports(runbook, node)) continue;
    found.set(node.id, await blockExports(isShellNode(node) ? nodeScript(node) : node.code));
  }
  return found;
}

// The names that shell blocks before each node (in run order) export, by
// node id: what `runbook check` may count as defined there. A name an
// earlier block unsets is not defined after it, unless exported again.
export async function definedByEarlierBlocks(runbook: Runbook): Promise<Map<string, ReadonlySet<string>>> {
  const exports = await runbookExports(runbook);
  const defined = new Map<string, ReadonlySet<string>>();
  let sofar = new Set<string>();
  for (const node of allNodes(runbook)) {
    defined.set(node.id, sofar);
    const block = exports.get(node.id);
    if (block === undefined) continue;
    sofar = new Set(sofar);
    for (const name of block.unsets) sofar.delete(name);
    for (const name of block.exports) sofar.add(name);
  }
  return defined;
}

function declared(node: Node): string[] {
  const names: string[] = [];
  for (const child of node.namedChildren) {
    if (child === null) continue;
    const name = child.type === 'variable_assignment' ? child.childForFieldName('name')?.text : child.type === 'variable_name' ? child.text : undefined;
    if (name !== undefined && bareName.test(name)) names.push(name);
  }
  return names;
}

function enclosed(node: Node): boolean {
  for (let parent = node.parent; parent !== null; parent = parent.parent) if (enclosedBy.has(parent.type)) return true;
  return false;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
