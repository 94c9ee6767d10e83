import {hostname} from 'node:os';
import {masked} from '../../engine/events.js';
import {looksSecretName} from '../../engine/redaction.js';
import type {Invocation} from '../../engine/run.js';
import type {Runbook} from '../../runbook/model.js';
import {osUserName} from '../../transcript/write.js';

// Who plays this attempt, where, and the command line as typed with the
// value of every `--set NAME=VALUE` of a secret variable masked (the
// redactor masks whatever else it knows when the run starts).
export function describeInvocation(runbook: Runbook, argv: readonly string[], operator: string | undefined): Invocation {
  const user = osUserName();
  return {operator: operator ?? user, user, host: hostname(), argv: maskSetArguments(runbook, argv)};
}

export function maskSetArguments(runbook: Runbook, argv: readonly string[]): string[] {
  const secret = (name: string): boolean => runbook.frontmatter.inputs[name]?.secret === true || looksSecretName(name);
  const mask = (assignment: string): string => {
    const equals = assignment.indexOf('=');
    return equals > 0 && secret(assignment.slice(0, equals)) ? `${assignment.slice(0, equals + 1)}${masked}` : assignment;
  };
  return argv.map((arg, index) => {
    if (arg.startsWith('--set=')) return `--set=${mask(arg.slice('--set='.length))}`;
    return argv[index - 1] === '--set' ? mask(arg) : arg;
  });
}
