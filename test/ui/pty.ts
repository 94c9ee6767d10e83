import {fileURLToPath} from 'node:url';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

const cliPath = fileURLToPath(new URL('../../bin/runbook.js', import.meta.url));

export interface PtySession {
  // the screen as a person sees it, wrapped rows joined
  screen(): string;
  // every byte the program wrote
  written(): string;
  press(keys: string): void;
  // waits until the screen shows `text`; the timeout is only a safety net
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<number>;
  // of the program (node) itself
  readonly pid: number;
  kill(signal: string): void;
  // what the program did to the terminal beyond drawing text
  titles(): readonly string[];
  enteredAlternateScreen(): boolean;
  // the OSC commands (8 hyperlink, 52 clipboard) that reached the terminal
  oscCommands(): readonly number[];
}

// Starts the built CLI in a real pseudo-terminal, read through a terminal emulator.
// With `shell`, `args` are ignored and the command line `shell` runs in /bin/sh
// instead, as a person would type it (a printed resume command, say).
export function startCli(args: readonly string[], options: {cwd: string; columns?: number; rows?: number; env?: Readonly<Record<string, string>>; shell?: string}): PtySession {
  const columns = options.columns ?? 80;
  const rows = options.rows ?? 24;
  const terminal = new xterm.Terminal({cols: columns, rows, scrollback: 1000, allowProposedApi: true});
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // Ink draws only the final frame when it thinks it runs in CI
    if (value !== undefined && name !== 'CI' && name !== 'CONTINUOUS_INTEGRATION' && name !== 'NO_COLOR') env[name] = value;
  }
  env['TERM'] = 'xterm-256color';
  Object.assign(env, options.env);
  const [file, argv] = options.shell === undefined ? [process.execPath, ['--', cliPath, ...args]] : ['/bin/sh', ['-c', options.shell]];
  const child = pty.spawn(file, argv, {name: 'xterm-256color', cols: columns, rows, cwd: options.cwd, env});
  const titles: string[] = [];
  terminal.onTitleChange((title) => titles.push(title));
  let alternate = false;
  terminal.buffer.onBufferChange((buffer) => {
    if (buffer.type === 'alternate') alternate = true;
  });
  const oscCommands: number[] = [];
  for (const command of [8, 52]) {
    terminal.parser.registerOscHandler(command, () => {
      oscCommands.push(command);
      return false;
    });
  }
  let raw = '';
  let pending = Promise.resolve();
  child.onData((data) => {
    raw += data;
    pending = pending.then(() => new Promise<void>((resolve) => terminal.write(data, resolve)));
  });
  const exited = new Promise<number>((resolve) => child.onExit(({exitCode}) => resolve(exitCode)));
  const screen = (): string => {
    const buffer = terminal.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < buffer.length; row += 1) {
      const line = buffer.getLine(row);
      const text = line?.translateToString(true) ?? '';
      if (line?.isWrapped === true && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return lines.join('\n').replace(/\n+$/, '');
  };
  return {
    screen,
    written: () => raw,
    press: (keys) => child.write(keys),
    waitFor: async (text, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      const shows = (): boolean => (typeof text === 'string' ? screen().includes(text) : text.test(screen()));
      while (!shows()) {
        if (Date.now() > deadline) throw new Error(`the screen never showed ${String(text)}; it shows:\n${screen()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await pending;
      }
    },
    exited,
    pid: child.pid,
    kill: (signal) => child.kill(signal),
    titles: () => titles,
    enteredAlternateScreen: () => alternate,
    oscCommands: () => oscCommands,
  };
}
