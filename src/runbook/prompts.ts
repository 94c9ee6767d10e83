// Shell transcripts as documentation writes them: `$ kubectl get pods`
// followed by the output it printed. The lines after a prompt are the
// commands; every other line is the output the author saw, shown beside the
// real output and never run. Pure: no I/O, no model.

export interface PromptedCommand {
  // as written before the command: `$ `, `user@host:~/dir$ `, `[root@host ~]# `
  readonly prompt: string;
  // without the prompt; continuation lines (`> `, a trailing `\`) joined by `\n`
  readonly command: string;
  // 0-based line of the block where the prompt is
  readonly line: number;
  // the output written under it, up to the next prompt ('' when none)
  readonly expected: string;
}

export interface ExpectedLine {
  readonly text: string;
  // 0-based line of the block
  readonly line: number;
}

// Where a line of `commands` was written: its 0-based block line and the
// 0-based index in that line where the command text starts.
export interface ScriptLinePlace {
  readonly line: number;
  readonly column: number;
}

export interface PromptSplit {
  // the block is a transcript: at least one line starts with a prompt
  readonly prompted: boolean;
  // the script that runs: the commands in order, prompts stripped, output
  // removed; the block as written when it is not prompted
  readonly commands: string;
  readonly transcript: readonly PromptedCommand[];
  // every line that is not a command (sample output, text before the first prompt)
  readonly expected: readonly ExpectedLine[];
  // one per line of `commands`
  readonly lines: readonly ScriptLinePlace[];
}

// `console`, `shell-session` and `terminal` fences are transcripts by name:
// there a bare `# ` is root's prompt when no other prompt is written.
export const transcriptLanguages: ReadonlySet<string> = new Set(['console', 'shell-session', 'terminal']);

// `$ `, `user@host$ `, `user@host:~/dir$ `, `root@host:/# `, `sh-5.1# `,
// `bash-5.1$ `, `[root@host ~]# `, `[user@host dir]$ `, `PS C:\> ` is not
// a shell. A prompt ends in `$`/`#`/`%` and one space (or the end of the line).
const promptPattern = new RegExp([
  String.raw`^(\s*)(?:`,
  String.raw`\$`,
  String.raw`|[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s?[$#%]`,
  String.raw`|(?:sh|bash|zsh|dash|ksh)-\d+(?:\.\d+)*[$#]`,
  String.raw`|\[[\w.-]+@[\w.-]+(?:\s[^\]]*)?\][$#]`,
  String.raw`)(?: |$)`,
].join(''));
const rootPromptPattern = /^(\s*)# /;
const continuationPattern = /^(\s*)>(?: |$)/;

// The commands of a block and the output written under them. A block with
// no prompt is returned as it is, every line a command.
export function splitPrompts(code: string, lang: string): PromptSplit {
  const lines = code.split(/\r\n|\r|\n/);
  const rootPrompts = transcriptLanguages.has(lang.toLowerCase()) && !lines.some((line) => promptPattern.test(line));
  const promptOf = (line: string): string | undefined => {
    const match = promptPattern.exec(line) ?? (rootPrompts ? rootPromptPattern.exec(line) : null);
    return match?.[0];
  };
  if (!lines.some((line) => promptOf(line) !== undefined)) {
    return {prompted: false, commands: code, transcript: [], expected: [], lines: lines.map((_, line) => ({line, column: 0}))};
  }

  const transcript: {prompt: string; command: string[]; line: number; expected: string[]}[] = [];
  const expected: ExpectedLine[] = [];
  const places: ScriptLinePlace[] = [];
  // the command goes on on the next line: `\` at its end or a `> ` line after it
  let continues = false;
  lines.forEach((text, line) => {
    const current = transcript.at(-1);
    // a `> ` line right after a command goes on with it (the shell's PS2)
    const continuation = current !== undefined && current.expected.length === 0 ? continuationPattern.exec(text) : null;
    if (current !== undefined && (continues || continuation !== null)) {
      const column = continuation?.[0].length ?? 0;
      const rest = text.slice(column);
      current.command.push(rest);
      places.push({line, column});
      continues = rest.endsWith('\\');
      return;
    }
    const prompt = promptOf(text);
    if (prompt !== undefined) {
      const command = text.slice(prompt.length);
      transcript.push({prompt, command: [command], line, expected: []});
      places.push({line, column: prompt.length});
      continues = command.endsWith('\\');
      return;
    }
    continues = false;
    expected.push({text, line});
    current?.expected.push(text);
  });
  return {
    prompted: true,
    commands: transcript.map((entry) => entry.command.join('\n')).join('\n'),
    transcript: transcript.map((entry) => ({
      prompt: entry.prompt,
      command: entry.command.join('\n'),
      line: entry.line,
      expected: trimTrailingBlank(entry.expected).join('\n'),
    })),
    expected,
    lines: places,
  };
}

function trimTrailingBlank(lines: readonly string[]): readonly string[] {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? '').trim() === '') end -= 1;
  return lines.slice(0, end);
}
