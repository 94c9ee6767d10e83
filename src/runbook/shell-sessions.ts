import {hasOption, kubeValueOptions, positionals, programName, unwrap, type CommandWords} from './command-words.js';

// Commands that open an interactive or remote session: they read what the
// operator types until the session ends, so a block that runs one needs the
// terminal (it runs `interactive`), and the lines after it are meant for the
// session. The list is documented in docs/dialect.md ("Sessions").

const sshValueOptions = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B']);
const psqlValueOptions = new Set(['-d', '--dbname', '-h', '--host', '-p', '--port', '-U', '--username', '-v', '--set', '--variable', '-P', '--pset', '-o', '--output', '-L', '--log-file', '-F', '--field-separator', '-R', '--record-separator', '-T', '--table-attr']);
const mysqlValueOptions = new Set(['-h', '--host', '-P', '--port', '-u', '--user', '-D', '--database', '-S', '--socket', '--defaults-file', '--login-path']);
const redisValueOptions = new Set(['-h', '-p', '-s', '-a', '-u', '-n', '-r', '-i', '-d', '--user', '--pass', '--tls', '--cacert', '--cert', '--key', '--sni', '-e']);
const chrootValueOptions = new Set(['--userspec', '--groups']);
const dockerValueOptions = new Set(['-u', '--user', '-w', '--workdir', '-e', '--env', '--name', '-v', '--volume', '-p', '--publish', '--entrypoint', '--network', '--env-file']);

// Why `command` opens a session (`ssh without a command`), or undefined.
export function sessionOpened(command: CommandWords): string | undefined {
  if (command.stdinGiven) return undefined;
  return opensSession(command.words);
}

function opensSession(all: readonly (string | undefined)[]): string | undefined {
  // `sudo -i`, `sudo -s`, `sudo su -`: a root shell
  if (programName(all[0]) === 'sudo' && all.length >= 2 && all.slice(1).every((word) => word !== undefined && word.startsWith('-')) && hasOption(all, ['i', 's'], ['--login', '--shell'])) {
    return '`sudo -i` opens a root shell';
  }
  const {words} = unwrap(all);
  const program = programName(words[0]);
  switch (program) {
    case 'ssh': {
      const {positional} = positionals(words, sshValueOptions);
      return positional.length === 1 ? '`ssh` to a host without a command opens a remote shell' : undefined;
    }
    case 'oc':
    case 'kubectl':
      return kubeSession(program, words);
    case 'psql':
    case 'gitlab-psql':
      if (hasOption(words, [], ['--command', '--file', '--list', '--version', '--help']) || shortOption(words, ['c', 'f', 'l', 'V'], psqlValueOptions)) return undefined;
      return `\`${program}\` without \`-c\` or \`-f\` opens a database shell`;
    case 'mysql':
    case 'mariadb':
      if (hasOption(words, [], ['--execute', '--version', '--help']) || shortOption(words, ['e', 'V'], mysqlValueOptions)) return undefined;
      return `\`${program}\` without \`-e\` opens a database shell`;
    case 'redis-cli':
    case 'valkey-cli': {
      const {positional} = positionals(words, redisValueOptions);
      return positional.length === 0 && !hasOption(words, [], ['--scan', '--bigkeys', '--stat', '--latency', '--help', '--version']) ? `\`${program}\` without a command opens its prompt` : undefined;
    }
    case 'mongo':
    case 'mongosh':
      return hasOption(words, [], ['--eval', '--file', '--help', '--version']) || words.slice(1).some((word) => word?.endsWith('.js') === true) ? undefined : `\`${program}\` without \`--eval\` opens its shell`;
    case 'sqlite3': {
      const {positional} = positionals(words, new Set(['-cmd', '-separator', '-newline', '-nullvalue']));
      return positional.length <= 1 ? '`sqlite3` without SQL opens its prompt' : undefined;
    }
    case 'chroot': {
      const {positional} = positionals(words, chrootValueOptions);
      return positional.length === 1 ? '`chroot` to a directory without a command opens a shell in it' : undefined;
    }
    case 'gitlab-rails':
    case 'rails':
      return ['console', 'c', 'dbconsole', 'db'].includes(words[1] ?? '') ? `\`${program} ${words[1] ?? ''}\` opens a console` : undefined;
    case 'gitlab-ctl':
      return words[1] === 'console' ? '`gitlab-ctl console` opens a console' : undefined;
    case 'docker':
    case 'podman':
    case 'crictl':
      return containerSession(program, words);
    case 'su':
      return hasOption(words, ['c'], ['--command']) ? undefined : '`su` opens a shell';
    case 'nsenter':
    case 'toolbox': {
      const {positional, afterDashes} = positionals(words, new Set(['-t', '--target', '-u', '-S', '-G']));
      if (afterDashes !== undefined && afterDashes.length > 0) return opensSession(afterDashes);
      return positional.length === 0 ? `\`${program}\` without a command opens a shell` : undefined;
    }
    case 'bash':
    case 'sh':
    case 'zsh':
      return words.length === 1 || (words.length === 2 && ['-l', '-i', '--login'].includes(words[1] ?? '')) ? `\`${program}\` on its own opens a shell` : undefined;
    default:
      return undefined;
  }
}

// `-c`, `-f`: a short option as a word of its own or first in a bundle (`-Atc`).
function shortOption(words: readonly (string | undefined)[], letters: readonly string[], takesValue: ReadonlySet<string>): boolean {
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index];
    if (word === undefined || !word.startsWith('-') || word.startsWith('--') || word.length < 2) continue;
    if (takesValue.has(word)) {
      index += 1;
      continue;
    }
    if ([...word.slice(1)].some((letter) => letters.includes(letter))) return true;
  }
  return false;
}

function kubeSession(program: string, words: readonly (string | undefined)[]): string | undefined {
  const {positional, afterDashes} = positionals(words, kubeValueOptions);
  const verb = positional[0];
  const command = afterDashes ?? [];
  switch (verb) {
    case 'debug':
      // `oc debug node/x -- chroot /host` is a session when what it runs is one
      if (command.length > 0) return opensSession(command) === undefined ? undefined : `\`${program} debug\` runs \`${command.join(' ')}\`, which opens a shell`;
      return `\`${program} debug\` without a command opens a shell in a debug pod`;
    case 'edit':
      return `\`${program} edit\` opens an editor`;
    case 'rsh':
      return positional.length <= 2 && command.length === 0 ? `\`${program} rsh\` without a command opens a shell in the pod` : undefined;
    case 'exec':
    case 'attach': {
      const tty = hasOption(words, ['t'], ['--tty']) && hasOption(words, ['i'], ['--stdin']);
      if (!tty) return undefined;
      return `\`${program} ${verb} -it\` opens an interactive ${command.length === 0 || opensSession(command) !== undefined ? 'shell' : 'session'}`;
    }
    case 'run':
      return hasOption(words, ['t'], ['--tty']) && hasOption(words, ['i'], ['--stdin']) ? `\`${program} run -it\` opens an interactive session` : undefined;
    default:
      return undefined;
  }
}

function containerSession(program: string, words: readonly (string | undefined)[]): string | undefined {
  const {positional} = positionals(words, dockerValueOptions);
  const verb = positional[0];
  if (verb !== 'exec' && verb !== 'run' && verb !== 'attach') return undefined;
  const tty = hasOption(words, ['t'], ['--tty']) && hasOption(words, ['i'], ['--interactive']);
  return tty || verb === 'attach' ? `\`${program} ${verb} -it\` opens an interactive session` : undefined;
}
