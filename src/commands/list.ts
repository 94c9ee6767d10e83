import {shellFactsOf} from '../runbook/node-script.js';
import {exitCodes} from '../cli/errors.js';
import {loadRunbook} from '../cli/load.js';
import {paint} from '../cli/style.js';
import {formatDiagnostic, hasErrors, worthTelling} from '../runbook/diagnostics.js';
import {runbookExports, type BlockExports} from '../runbook/carried-names.js';
import {formatAttributes} from '../runbook/format-attributes.js';
import {carriesSomething, maskedSecret, toJsonModel} from '../runbook/json-model.js';
import type {Runbook, RunbookNode, Step} from '../runbook/model.js';
import {execNodes, stepNodes} from '../runbook/walk.js';
import {runText} from '../runbook/node-text.js';
import {jsonForTerminal, shownText as shown} from '../text/terminal-text.js';

export interface ListOptions {
  readonly json?: boolean;
}

// `runbook list FILE`: the plan: variables, then numbered steps and their nodes.
// Everything quoted from the runbook is shown inert (src/text/terminal-text.ts).
export async function listCommand(file: string, options: ListOptions): Promise<number> {
  const {runbook, diagnostics} = await loadRunbook(file);
  for (const diagnostic of diagnostics.filter(worthTelling)) process.stderr.write(`${shown(formatDiagnostic(diagnostic))}\n`);
  const exports = await runbookExports(runbook);
  if (options.json) {
    process.stdout.write(`${jsonForTerminal(JSON.stringify(toJsonModel(runbook, exports), null, 2))}\n`);
  } else {
    process.stdout.write(formatPlan(runbook, paint(process.stdout), exports));
  }
  return hasErrors(diagnostics) ? exitCodes.invalid : exitCodes.ok;
}

type Painter = ReturnType<typeof paint>;

// `exports`: what shell blocks carry to later ones, by node id (`runbookExports`).
export function formatPlan(runbook: Runbook, color: Painter, exports: ReadonlyMap<string, BlockExports> = new Map()): string {
  const lines: string[] = [];
  // a runbook without a title is named by its path, once
  lines.push(...(runbook.title === null ? [color('bold', shown(runbook.path))] : [color('bold', shown(runbook.title)), color('dim', shown(runbook.path))]), '');
  const {env, inputs} = runbook.frontmatter;
  const names = [...Object.keys(env), ...Object.keys(inputs)];
  if (names.length > 0) {
    lines.push(color('bold', 'Variables'));
    const width = Math.max(...names.map((name) => name.length));
    for (const [name, value] of Object.entries(env)) {
      const type = runbook.frontmatter.envTypes?.[name];
      lines.push(`  ${shown(name.padEnd(width))}  env     ${value === '' ? color('dim', '(empty)') : shown(value)}${type === undefined ? '' : `, ${shown(type)}`}`);
    }
    for (const input of Object.values(inputs)) {
      const facts = [
        input.secret ? color('magenta', 'secret') : '',
        shown(input.type ?? ''),
        input.required ? 'required' : 'optional',
        input.default === undefined ? '' : `default ${input.secret ? maskedSecret : shown(input.default)}`,
        input.pattern === undefined ? '' : `pattern /${shown(input.pattern)}/`,
        input.choices === undefined ? '' : `one of ${shown(input.choices.join(', '))}`,
      ].filter((fact) => fact !== '');
      lines.push(`  ${shown(name(input.name, width))}  input   ${facts.join(', ')}${input.description === undefined ? '' : color('dim', ` — ${shown(input.description)}`)}`);
    }
    lines.push('');
  }
  const placeholders = execNodes(runbook).flatMap((node) => (shellFactsOf(node)?.placeholders ?? []).map((placeholder) => ({placeholder, node})));
  if (placeholders.length > 0) {
    lines.push(`${color('bold', 'Placeholders')}  ${color('dim', '(asked before the block that uses them; headless: --set NAME=VALUE)')}`);
    const width = Math.max(...placeholders.map(({placeholder}) => placeholder.name.length));
    for (const {placeholder, node} of placeholders) {
      const where = `${runbook.path}:${placeholder.position.line}:${placeholder.position.column}`;
      lines.push(`  ${shown(placeholder.name.padEnd(width))}  ${shown(placeholder.written)}  ${color('dim', `${shown(where)} #${shown(node.id)}`)}`);
    }
    lines.push('');
  }
  lines.push(color('bold', 'Steps'));
  const visit = (steps: readonly Step[], indent: string): void => {
    for (const step of steps) {
      const heading = shown(`${step.number === null ? '' : `${step.number} `}${step.title}`);
      const attributes = shown(formatAttributes(step.attributes));
      lines.push(`${indent}${color('bold', heading)}  ${color('dim', `#${shown(step.id)}`)}${attributes === '' ? '' : `  ${color('cyan', attributes)}`}`);
      stepNodes(step).forEach((node, index) => lines.push(...formatNode(node, index + 1, `${indent}    `, color), ...formatCarried(exports.get(node.id), `${indent}         `, color)));
      visit(step.steps, `${indent}  `);
    }
  };
  visit(runbook.steps, '  ');
  return `${lines.join('\n')}\n`;
}

// `exports NAMESPACE, KUBECONFIG · unsets OLD`, under the node's first line.
function formatCarried(block: BlockExports | undefined, indent: string, color: Painter): string[] {
  if (block === undefined || !carriesSomething(block)) return [];
  const parts = [
    block.exports.length === 0 ? '' : `exports ${block.exports.join(', ')}`,
    block.unsets.length === 0 ? '' : `unsets ${block.unsets.join(', ')}`,
    block.opaque ? 'may export more (source/eval)' : '',
  ].filter((part) => part !== '');
  return [`${indent}${color('dim', shown(parts.join(' · ')))}`];
}

function name(text: string, width: number): string {
  return text.padEnd(width);
}

function formatNode(node: RunbookNode, index: number, indent: string, color: Painter): string[] {
  const attributes = shown(formatAttributes(node.attributes));
  const label = shown(node.kind === 'exec' ? node.lang : node.kind === 'display' ? `${node.lang ?? 'text'} (display)` : 'checklist');
  const head = `${indent}${index}. ${node.kind === 'exec' ? color('green', label) : color('dim', label)}  #${shown(node.id)}${attributes === '' ? '' : `  ${color('cyan', attributes)}`}`;
  if (node.kind === 'checklist') {
    return [head, ...node.items.map((item) => `${indent}     [${item.checked ? 'x' : ' '}] ${shown(item.text)}`)];
  }
  // a transcript's first command, not its prompt
  const firstLine = (node.kind === 'exec' ? runText(node) : node.code).split('\n').find((line) => line.trim() !== '' && !/^\s*(#|\/\/)/.test(line)) ?? '';
  // `$` marks what runs; a display block shows its first line as is.
  const lines = [head, `${indent}     ${node.kind === 'exec' ? `${color('dim', '$')} ` : ''}${shown(firstLine.trim())}`];
  const session = node.kind === 'exec' ? shellFactsOf(node)?.session : undefined;
  if (session !== undefined) {
    const typed = session.lines.length === 0 ? '' : `; ${session.lines.length === 1 ? '1 line' : `${session.lines.length} lines`} to type in it`;
    lines.push(`${indent}     ${color('yellow', 'opens a session, runs interactive:')} ${shown(session.command)}${color('dim', typed)}`);
  }
  return lines;
}
