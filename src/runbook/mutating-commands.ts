import {hasOption, kubeValueOptions, optionValue, positionals, programName, unwrap, type CommandWords} from './command-words.js';

// Commands that change things: `check` warns when a block runs one and
// neither the block nor a step above it is marked `mutates` (so `--yes`
// would run it ungated and `--read-only` would not skip it). The list is
// documented in docs/dialect.md ("Mutating commands"); a runbook adds its
// own with `mutating-commands: [mytool deploy]` in the frontmatter.

// program → the subcommands (one or two words) that change things
const subcommands: Readonly<Record<string, readonly string[]>> = {
  kubectl: ['delete', 'patch', 'apply', 'replace', 'create', 'edit', 'scale', 'autoscale', 'drain', 'cordon', 'uncordon', 'taint', 'label', 'annotate', 'set',
    'rollout restart', 'rollout undo', 'rollout pause', 'rollout resume', 'expose', 'run', 'cp'],
  oc: ['delete', 'patch', 'apply', 'replace', 'create', 'edit', 'scale', 'autoscale', 'label', 'annotate', 'set', 'expose', 'new-app', 'new-project', 'process',
    'rollout restart', 'rollout undo', 'rollout pause', 'rollout resume', 'rollout latest', 'rollout retry', 'start-build', 'cp',
    'adm drain', 'adm cordon', 'adm uncordon', 'adm taint', 'adm upgrade', 'adm policy', 'adm certificate'],
  helm: ['install', 'upgrade', 'rollback', 'uninstall', 'delete'],
  systemctl: ['restart', 'stop', 'start', 'reload', 'kill', 'enable', 'disable', 'mask', 'unmask', 'reboot', 'poweroff', 'try-restart', 'reload-or-restart'],
  service: [],
  railway: ['up', 'redeploy', 'down', 'delete', 'variables set'],
  terraform: ['apply', 'destroy', 'import', 'taint', 'untaint', 'state rm', 'state mv'],
  tofu: ['apply', 'destroy', 'import', 'taint', 'state rm', 'state mv'],
  docker: ['rm', 'rmi', 'stop', 'kill', 'restart', 'pause', 'system prune', 'volume rm', 'volume prune', 'container rm', 'image rm'],
  podman: ['rm', 'rmi', 'stop', 'kill', 'restart', 'pause'],
  virtctl: ['start', 'stop', 'restart', 'pause', 'unpause', 'migrate'],
  'gitlab-ctl': ['restart', 'stop', 'start', 'reconfigure', 'kill', 'hup'],
  git: ['push', 'reset', 'clean'],
  aws: [],
  gcloud: [],
};

const helmValueOptions = new Set(['-n', '--namespace', '--kube-context', '--kubeconfig']);
const sqlWrite = /\b(?:DELETE|UPDATE|INSERT|DROP|TRUNCATE|ALTER|CREATE|GRANT|REVOKE|VACUUM|REINDEX)\b/i;
const alwaysMutating = new Set(['reboot', 'shutdown', 'poweroff', 'halt', 'kill', 'pkill', 'killall', 'mkfs', 'dd']);

// What `command` does that changes things, as the message names it
// (`kubectl delete`, `rm -r`), or undefined. `extra` holds the frontmatter's
// `mutating-commands`, each a program and the words after it.
export function mutatingCommand(command: CommandWords, extra: readonly string[] = []): string | undefined {
  const {words} = unwrap(command.words);
  const program = programName(words[0]);
  if (program === undefined) return undefined;
  for (const rule of extra) {
    const [head = '', ...rest] = rule.trim().split(/\s+/);
    if (head === program && startsWith(positionals(words, new Set()).positional, rest)) return rule.trim();
  }
  if (alwaysMutating.has(program)) return program;
  switch (program) {
    case 'rm':
      return hasOption(words, ['r', 'R'], ['--recursive']) ? 'rm -r' : undefined;
    case 'psql':
    case 'gitlab-psql':
    case 'mysql':
    case 'mariadb': {
      const sql = program.startsWith('m') ? optionValue(words, ['-e'], ['--execute']) : optionValue(words, ['-c'], ['--command']);
      return sql !== undefined && sqlWrite.test(sql) ? `${program} with ${sqlWrite.exec(sql)?.[0]?.toUpperCase() ?? 'a write'}` : undefined;
    }
    case 'service': {
      // `service NAME restart`
      const action = words[2];
      return action !== undefined && ['restart', 'stop', 'start', 'reload'].includes(action) ? `service ${action}` : undefined;
    }
    default:
      break;
  }
  const known = subcommands[program];
  if (known === undefined) return undefined;
  const {positional} = positionals(words, program === 'helm' ? helmValueOptions : program === 'kubectl' || program === 'oc' ? kubeValueOptions : new Set());
  const found = known.find((sub) => startsWith(positional, sub.split(' ')));
  return found === undefined ? undefined : `${program} ${found}`;
}

function startsWith(words: readonly (string | undefined)[], prefix: readonly string[]): boolean {
  return prefix.every((word, index) => words[index] === word);
}
