import {ConditionChecker, reservedNamesUsed} from '../condition.js';
import {conditionTypes} from '../condition-types.js';
import type {Runbook} from '../model.js';
import {allNodes, allSteps} from '../walk.js';
import type {ParseState} from './state.js';

// The checks that need the whole document: every condition, `{{…}}`
// reference and confirm prompt against the names the runbook defines
// (variables, captures, ids of blocks and steps).
export function checkNames(state: ParseState, runbook: Runbook): void {
  const {sink} = state;
  const {declaredNames, namesComplete} = state.read;
  const {captureNames} = state;
  const variableNames = new Set([...declaredNames, ...captureNames]);
  const nodes = allNodes(runbook);
  const execIds = new Set(nodes.filter((node) => node.kind === 'exec').map((node) => node.id));
  // Conditions see what the engine records: variables, captures, and the
  // results of executable blocks and checklists (steps have no result).
  const resultIds = nodes.filter((node) => node.kind !== 'display').map((node) => node.id);
  const resultIdSet = new Set(resultIds);
  const stepIds = new Set(allSteps(runbook).map((item) => item.id));
  const definedNames = new Set([...variableNames, ...resultIds]);
  const checker = new ConditionChecker(definedNames, conditionTypes(runbook, resultIdSet));
  for (const use of state.conditionUses) {
    const reservedUses = reservedNamesUsed(use.expression, definedNames);
    for (const {name, offset} of reservedUses) {
      const what = declaredNames.has(name) ? 'variable' : captureNames.has(name) ? 'capture' : 'block';
      sink.error(`Unexpected \`${name}\` in condition, expected a name CEL does not reserve: here it is CEL's own \`${name}\`, not the ${what} \`${name}\`; rename the ${what}`,
        'reserved-name', use.at(offset));
    }
    // what CEL makes of a reserved name would only repeat the mistake
    if (reservedUses.length > 0) continue;
    const problem = checker.check(use.expression);
    if (problem === undefined) {
      for (const found of checker.warnings(use.expression)) sink.warning(found.message, found.ruleId, use.at(found.offset));
      continue;
    }
    const place = use.at(problem.offset);
    switch (problem.kind) {
      case 'unknown-name': {
        if (!namesComplete) break;
        const name = /Unknown variable: (\S+)/.exec(problem.message)?.[1] ?? problem.message;
        const written = /^[A-Za-z_][\w-]*\w/.exec(use.expression.slice(problem.offset))?.[0] ?? name;
        if (written.includes('-') && (resultIdSet.has(written) || stepIds.has(written))) {
          sink.error(`Unexpected \`${written}\` in condition, expected an id without \`-\` (CEL reads it as minus), such as \`#${written.replaceAll('-', '_')}\``, 'undefined-name', place);
          break;
        }
        const what = stepIds.has(name) ? `step id \`${name}\` in condition (steps have no result)` : `name \`${name}\` in condition`;
        sink.error(`Unexpected ${what}, expected a variable, a capture or the id of a block`, 'undefined-name', place);
        break;
      }
      case 'type':
        // each mistake of `A == 1 || B > 'x'`, not only the first
        for (const each of checker.typeProblems(use.expression, problem)) {
          sink.error(`Unexpected types in condition \`${excerpt(use.expression)}\`: ${each.message}`, 'condition-type', use.at(each.offset));
        }
        break;
      case 'syntax':
        sink.error(`Unexpected syntax in condition \`${excerpt(use.expression)}\`: ${problem.message}`, 'condition-syntax', place);
        break;
      default:
        problem.kind satisfies never;
    }
  }
  for (const use of state.templateUses) {
    if (!namesComplete || variableNames.has(use.root) || execIds.has(use.root)) continue;
    sink.error(`Unexpected reference \`{{${use.expression}}}\`, expected a name defined in \`env\`, \`inputs\`, a \`capture\` or a block id`, 'undefined-name', use.place);
  }
  for (const use of state.shellTemplateUses) {
    // Go templates (`docker inspect --format '{{.State.Running}}'`) are meant
    const meant = variableNames.has(use.root) || execIds.has(use.root) || /^[A-Z_][A-Z0-9_]*$/.test(use.root);
    if (!meant) continue;
    const instead = execIds.has(use.root) && !variableNames.has(use.root)
      ? `\`capture=NAME\` on block \`${use.root}\` and \`$NAME\` here`
      : `\`$${use.root}\` (variables reach shell blocks as environment variables)`;
    sink.warning(`Unexpected \`{{${use.expression}}}\` in a shell block, which bash passes on as it is (only http blocks fill in \`{{…}}\`); expected ${instead}`,
      'template-in-shell', use.place);
  }
  if (namesComplete) {
    const captureOrder = new Map([...captureNames].map((name, index) => [name, index]));
    for (const use of state.promptUses) {
      const capture = captureOrder.get(use.name) ?? -1;
      if (declaredNames.has(use.name) || (capture >= 0 && capture < use.capturesBefore)) continue;
      const why = capture >= 0 ? `\`${use.name}\` is captured only later` : `nothing declares or captures \`${use.name}\``;
      sink.warning(`Unexpected \`${use.written}\` in a confirm prompt: ${why}, so the prompt shows it as written; expected a variable from \`env\` or \`inputs\`, or a \`capture\` before it`,
        'undeclared-variable', use.place);
    }
  }
}

// A condition as a message quotes it: long ones cut to their start.
function excerpt(expression: string): string {
  return expression.length <= 80 ? expression : `${expression.slice(0, 60)}…`;
}
