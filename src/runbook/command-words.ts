// A simple command as the shell parser reads it (src/runbook/shell-reading.ts),
// and what the detectors of sessions, mutating and never-ending commands
// share: the wrappers that run another command, and options that take values.

export interface CommandWords {
  // each word's value with its quotes removed; undefined where it expands
  // something (`$NAME`, `$(…)`), whose value is known only when it runs
  readonly words: readonly (string | undefined)[];
  // offsets in the script of the command
  readonly start: number;
  readonly end: number;
  // stdin comes from a redirection, a here-document or a pipe
  readonly stdinGiven: boolean;
}

export interface Unwrapped {
  readonly words: readonly (string | undefined)[];
  // a `timeout` wrapper limits how long it runs
  readonly limited: boolean;
}

// Commands that run the command after them (with their own options first).
const optionValues: Readonly<Record<string, ReadonlySet<string>>> = {
  sudo: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '--user', '--group', '--host', '--prompt', '--chdir']),
  env: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']),
  nice: new Set(['-n', '--adjustment']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  stdbuf: new Set(['-i', '-o', '-e']),
  time: new Set(['-f', '-o', '--format', '--output']),
  nohup: new Set(),
  exec: new Set(['-a']),
  command: new Set(),
  ionice: new Set(['-c', '-n', '-p']),
};

// The program's name without its directory: `/usr/bin/kubectl` → `kubectl`.
export function programName(word: string | undefined): string | undefined {
  return word?.slice(word.lastIndexOf('/') + 1);
}

// The command a wrapper runs: `sudo -u postgres psql` → `psql`, `timeout 60
// kubectl logs -f` → `kubectl logs -f` (limited), `env A=b tool` → `tool`.
export function unwrap(words: readonly (string | undefined)[]): Unwrapped {
  let rest = words;
  let limited = false;
  for (;;) {
    const wrapper = programName(rest[0]);
    const values = wrapper === undefined ? undefined : optionValues[wrapper];
    if (wrapper === undefined || values === undefined) return {words: rest, limited};
    let index = 1;
    while (index < rest.length) {
      const word = rest[index];
      if (word === '--') {
        index += 1;
        break;
      }
      if (word !== undefined && word.startsWith('-') && word !== '-') {
        index += values.has(word) ? 2 : 1;
        continue;
      }
      // `env NAME=value command`
      if (wrapper === 'env' && word !== undefined && /^[A-Za-z_]\w*=/.test(word)) {
        index += 1;
        continue;
      }
      break;
    }
    if (wrapper === 'timeout') {
      // its duration
      index += 1;
      limited = true;
    }
    if (index >= rest.length) return {words: rest, limited};
    rest = rest.slice(index);
  }
}

// The words that are not options, in order, for a program whose options
// in `takesValue` take the next word as their value (`-n ns`); `--` ends
// the options (what follows is returned as `afterDashes`).
export function positionals(words: readonly (string | undefined)[], takesValue: ReadonlySet<string>): {positional: (string | undefined)[]; afterDashes?: readonly (string | undefined)[]} {
  const positional: (string | undefined)[] = [];
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index];
    if (word === '--') return {positional, afterDashes: words.slice(index + 1)};
    if (word !== undefined && word.startsWith('-') && word.length > 1) {
      if (!word.includes('=') && takesValue.has(word)) index += 1;
      continue;
    }
    positional.push(word);
  }
  return {positional};
}

// Whether an option is given: `-f`, `--follow`, or a letter in a bundle of
// short options (`-rf` has `-r` and `-f`).
export function hasOption(words: readonly (string | undefined)[], short: readonly string[], long: readonly string[] = []): boolean {
  for (const word of words.slice(1)) {
    if (word === undefined) continue;
    if (word === '--') return false;
    if (word.startsWith('--')) {
      if (long.some((option) => word === option || word.startsWith(`${option}=`))) return true;
      continue;
    }
    if (word.startsWith('-') && word.length > 1 && short.some((letter) => word.slice(1).includes(letter))) return true;
  }
  return false;
}

// The value of an option: `-c 'SQL'`, `-c'SQL'`, `--command=SQL`, `--command SQL`.
export function optionValue(words: readonly (string | undefined)[], short: readonly string[], long: readonly string[] = []): string | undefined {
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index];
    if (word === undefined) continue;
    for (const option of [...short, ...long]) {
      if (word === option) return words[index + 1] ?? '';
      if (option.startsWith('--') && word.startsWith(`${option}=`)) return word.slice(option.length + 1);
      if (!option.startsWith('--') && word.startsWith(option) && word.length > option.length) return word.slice(option.length);
    }
  }
  return undefined;
}

// Options of kubectl and oc that take a value, before or after the
// subcommand (not `-f` and `-p`: `logs -f` and `logs -p` take none).
export const kubeValueOptions: ReadonlySet<string> = new Set([
  '-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--as', '--as-group', '--token', '--request-timeout',
  '-l', '--selector', '-c', '--container', '-o', '--output', '--filename', '--image', '--since', '--tail', '--field-selector', '--patch', '--type', '--replicas', '--timeout', '--grace-period',
]);
