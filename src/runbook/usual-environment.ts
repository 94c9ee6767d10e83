// What the engine and the usual environment give every shell block.
const engineNames = new Set(['RUNBOOK_RUN_ID', 'RUNBOOK_STEP_ID', 'RUNBOOK_NODE_ID']);
const environmentNames = new Set([
  'HOME', 'PATH', 'USER', 'LOGNAME', 'PWD', 'OLDPWD', 'SHELL', 'TERM', 'LANG', 'LANGUAGE', 'TMPDIR', 'HOSTNAME', 'TZ', 'EDITOR', 'VISUAL',
  'PAGER', 'DISPLAY', 'COLORTERM', 'NO_COLOR', 'SSH_AUTH_SOCK', 'SSH_CONNECTION', 'SSH_TTY', 'MAIL', 'CI',
  // set by bash itself
  'BASH', 'BASHPID', 'BASH_SOURCE', 'BASH_LINENO', 'BASH_REMATCH', 'BASH_VERSION', 'BASH_VERSINFO', 'BASH_COMMAND', 'BASH_ARGV', 'BASH_ARGC',
  'COLUMNS', 'LINES', 'DIRSTACK', 'EPOCHREALTIME', 'EPOCHSECONDS', 'EUID', 'FUNCNAME', 'GROUPS', 'HISTFILE', 'HOSTTYPE', 'IFS', 'LINENO',
  'MACHTYPE', 'MAPFILE', 'OPTARG', 'OPTERR', 'OPTIND', 'OSTYPE', 'PIPESTATUS', 'PPID', 'PS1', 'PS2', 'PS4', 'RANDOM', 'REPLY', 'SECONDS',
  'SHELLOPTS', 'SHLVL', 'SRANDOM', 'UID', 'COPROC',
]);
const environmentPrefixes = ['LC_', 'XDG_'];

export function isUsualEnvironment(name: string): boolean {
  return engineNames.has(name) || environmentNames.has(name) || environmentPrefixes.some((prefix) => name.startsWith(prefix));
}
