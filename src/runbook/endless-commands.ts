import {hasOption, kubeValueOptions, positionals, programName, unwrap, type CommandWords} from './command-words.js';

// Commands that never end by themselves (they follow, watch or forward
// until stopped): a headless run would hang on them, so `check` warns when
// a block runs one without a `timeout` (the block's, a step's, the
// runbook's `defaults`, or a `timeout` command around it) and is neither
// `interactive` nor `background`. Documented in docs/dialect.md.

// What makes `command` run until stopped (`kubectl logs -f`), or undefined.
export function endlessCommand(command: CommandWords): string | undefined {
  const {words, limited} = unwrap(command.words);
  if (limited) return undefined;
  const program = programName(words[0]);
  switch (program) {
    case 'watch':
      return 'watch';
    case 'top':
    case 'htop':
    case 'btop':
      return program === 'top' && hasOption(words, ['b', 'n']) ? undefined : program;
    case 'tail':
      return hasOption(words, ['f', 'F'], ['--follow']) ? 'tail -f' : undefined;
    case 'journalctl':
      return hasOption(words, ['f'], ['--follow']) ? 'journalctl -f' : undefined;
    case 'kubectl':
    case 'oc': {
      const verb = positionals(words, kubeValueOptions).positional[0];
      if (verb === 'logs' && hasOption(words, ['f'], ['--follow'])) return `${program} logs -f`;
      if ((verb === 'get' || verb === 'events') && hasOption(words, ['w'], ['--watch', '--watch-only'])) return `${program} ${verb} --watch`;
      if (verb === 'port-forward' || verb === 'proxy') return `${program} ${verb}`;
      return undefined;
    }
    case 'docker':
    case 'podman': {
      const verb = positionals(words, new Set()).positional[0];
      if ((verb === 'logs' && hasOption(words, ['f'], ['--follow'])) || verb === 'events' || (verb === 'stats' && !hasOption(words, [], ['--no-stream']))) return `${program} ${verb}${verb === 'logs' ? ' -f' : ''}`;
      return undefined;
    }
    case 'ping':
      return hasOption(words, ['c', 'w']) ? undefined : 'ping without -c';
    case 'sleep':
      return words[1] === 'infinity' ? 'sleep infinity' : undefined;
    default:
      return undefined;
  }
}
