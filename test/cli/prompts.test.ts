import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {runCli} from './run-cli.js';

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-prompts-'));
});

const runbook = (frontmatter: string): string => `${frontmatter}# Prompts

## Look

\`\`\`bash
$ echo hello > greeting
$ cat greeting
hello
touch output-ran
\`\`\`

## Transcript

\`\`\`console
user@host:~$ echo console-ran > console
console-ran
\`\`\`
`;

describe('prompted blocks (headless)', () => {
  it('run their commands without the prompts, show the sample output as expected, and never run it', async () => {
    writeFileSync(join(dir, 'r.md'), runbook(''));
    const result = await runCli(['play', 'r.md', '--yes', '--no-color'], {cwd: dir});
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'greeting'), 'utf8')).toBe('hello\n');
    expect(existsSync(join(dir, 'output-ran'))).toBe(false);
    // console blocks are display-only unless the runbook says `console: run`
    expect(existsSync(join(dir, 'console'))).toBe(false);
    expect(result.stdout).toContain([
      '   $ echo hello > greeting',
      '   $ cat greeting',
      '   │ hello',
      '   expected (as written, not run):',
      '   ┆ hello',
      '   ┆ touch output-ran',
    ].join('\n'));
    expect(result.stdout).not.toContain('$ $');
  });

  it('run a console transcript with `console: run`', async () => {
    writeFileSync(join(dir, 'r.md'), runbook('---\nconsole: run\n---\n'));
    const result = await runCli(['play', 'r.md', '--yes', '--no-color'], {cwd: dir});
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'console'), 'utf8')).toBe('console-ran\n');
    expect(result.stdout).toContain('   $ echo console-ran > console\n');
  });

  it('say, when a runbook has only console transcripts, that they run with `console: run`', async () => {
    writeFileSync(join(dir, 'c.md'), '# C\n## S\n```console\n$ touch ran\nran\n```\n');
    const result = await runCli(['play', 'c.md', '--yes'], {cwd: dir});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('runbook: c.md has nothing to run: no executable block (`sh`, `bash`, `http`, `js` … under a `##` heading) and no task list; its `console` blocks are shown, not run: add `console: run` to its frontmatter to run their commands; nothing ran');
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('are listed by their commands', async () => {
    writeFileSync(join(dir, 'r.md'), runbook(''));
    const result = await runCli(['list', 'r.md'], {cwd: dir, env: {...process.env, NO_COLOR: '1'}});
    expect(result.stdout).toContain('$ echo hello > greeting\n');
    expect(result.stdout).toContain('console (display)');
  });
});
