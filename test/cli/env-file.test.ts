import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {cliPath, runCollected, type CliResult} from './run-cli.js';

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-env-file-'));
  writeFileSync(join(dir, 'r.md'), '---\nenv: {GREETING: frontmatter}\n---\n# R\n## S\n```sh {#show}\necho "greeting=$GREETING"\n```\n');
  writeFileSync(join(dir, 'vars.env'), 'GREETING=from-file\n');
  // as after `npm install runbook`: npx finds the bin in node_modules/.bin
  writeFileSync(join(dir, 'package.json'), '{"name": "uses-runbook", "version": "1.0.0", "private": true}\n');
  mkdirSync(join(dir, 'node_modules/.bin'), {recursive: true});
  symlinkSync(cliPath, join(dir, 'node_modules/.bin/runbook'));
});

type EntryPoint = 'bin' | 'node' | 'npx';

const commands: Record<EntryPoint, (args: readonly string[]) => [string, string[]]> = {
  bin: (args) => [cliPath, [...args]],
  node: (args) => [process.execPath, [cliPath, ...args]],
  npx: (args) => ['npx', ['--no-install', 'runbook', ...args]],
};

function run(entry: EntryPoint, args: readonly string[]): Promise<CliResult> {
  const [command, argv] = commands[entry](args);
  return runCollected(command, argv, {cwd: dir, env: {...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false'}});
}

const nodeMajor = Number(process.versions.node.split('.')[0]);

describe.each<EntryPoint>(['bin', 'node', 'npx'])('the dotenv file through %s', (entry) => {
  it('--env-file FILE and --dotenv FILE set variables', async () => {
    for (const flag of ['--env-file', '--dotenv']) {
      const result = await run(entry, ['play', 'r.md', '--yes', flag, 'vars.env']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('\n   │ greeting=from-file\n');
    }
  });

  it('a missing file given with --dotenv is runbook\'s own one-line error, exit 2', async () => {
    expect(await run(entry, ['play', 'r.md', '--yes', '--dotenv', 'nope.env'])).toEqual({code: 2, stdout: '', stderr: 'runbook: --dotenv nope.env: cannot read it (no such file)\n'});
  });

  // Node 20 reads `--env-file` anywhere on its command line, even after the
  // script (nodejs/node#54232), and exits 9 before runbook runs; only the
  // bin run directly (its shebang ends Node's options with `--`) is spared.
  it('a missing file given with --env-file', async () => {
    const result = await run(entry, ['play', 'r.md', '--yes', '--env-file', 'nope.env']);
    if (entry === 'bin' || nodeMajor > 20) {
      expect(result).toEqual({code: 2, stdout: '', stderr: 'runbook: --env-file nope.env: cannot read it (no such file)\n'});
    } else {
      // Node names itself as it was started: `node` or its full path
      expect(result).toEqual({code: 9, stdout: '', stderr: `${entry === 'node' ? process.execPath : 'node'}: nope.env: not found\n`});
    }
  });
});
