import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {runCli} from './run-cli.js';

let dir = '';
let env: NodeJS.ProcessEnv = {};

// A stand-in `oc` on PATH that writes each argument it gets on a line of its own.
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-placeholders-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/oc'), `#!/bin/sh\nprintf '%s\\n' "$@" >> "${join(dir, 'oc-argv')}"\n`);
  chmodSync(join(dir, 'bin/oc'), 0o755);
  env = {PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}`};
});

const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};
const argv = (): string[] => readFileSync(join(dir, 'oc-argv'), 'utf8').trimEnd().split('\n');

const debugRunbook = [
  '# Node', '', '## Look first', '', '```sh', 'touch looked', '```', '',
  '## Debug the node', '', '```bash', 'oc debug node/<node-name>', 'chroot /host', 'journalctl -u kubelet', '```', '',
  '## Again', '', '```sh', 'oc get node "<node-name>" -n $NAMESPACE', '```', '',
].join('\n');

describe('placeholders in a headless run', () => {
  it('stops with exit 2 before the first node runs, naming every missing value and where the runbook writes it', async () => {
    write('r.md', debugRunbook);
    const result = await runCli(['play', 'r.md', '--yes'], {cwd: dir, env});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('runbook: no value for NODE_NAME (<node-name> at r.md:12:15), NAMESPACE ($NAMESPACE at r.md:20:30); give them with --set NAME=VALUE');
    expect(existsSync(join(dir, 'looked'))).toBe(false);
    expect(existsSync(join(dir, '.runbook'))).toBe(false);
  });

  it('--set NODE_NAME=x fills `oc debug node/<node-name>`: the process gets `node/x`, and the session\'s lines are shown, not run', async () => {
    write('r.md', debugRunbook);
    const result = await runCli(['play', 'r.md', '--yes', '--set', 'NODE_NAME=worker-1', '--set', 'NAMESPACE=default'], {cwd: dir, env});
    expect(result.code).toBe(0);
    expect(argv()).toEqual(['debug', 'node/worker-1', 'get', 'node', 'worker-1', '-n', 'default']);
    expect(result.stdout).toContain([
      '   note: `oc debug node/<node-name>` opens a session: the 2 lines after it in the block are to type in the session, not run here (chroot /host; journalctl -u kubelet)',
      '-> debug-the-node-1 (bash)',
      '   $ oc debug node/<node-name>',
      '   type these in the session (they are not run here):',
      '   > chroot /host',
      '   > journalctl -u kubelet',
      '   (interactive: the terminal is handed to the command; output is not captured)',
    ].join('\n'));
  });

  it('--set accepts the placeholder as written, and a value with blanks and metacharacters stays one argument', async () => {
    write('r.md', debugRunbook);
    const result = await runCli(['play', 'r.md', '--yes', '--set', 'node-name=a b; $(touch hacked) *', '--set', 'NAMESPACE=x'], {cwd: dir, env});
    expect(result.code).toBe(0);
    expect(argv()).toEqual(['debug', 'node/a b; $(touch hacked) *', 'get', 'node', 'a b; $(touch hacked) *', '-n', 'x']);
    expect(existsSync(join(dir, 'hacked'))).toBe(false);
  });

  it('a fill-in assignment asks for its variable', async () => {
    write('r.md', "# R\n## S\n```sh\nNODE_NAME='<value of instance label from alert>'\noc debug \"node/$NODE_NAME\" -- chroot /host uptime\n```\n");
    const missing = await runCli(['play', 'r.md', '--yes'], {cwd: dir, env});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no value for NODE_NAME ('<value of instance label from alert>' at r.md:4:11)");
    const result = await runCli(['play', 'r.md', '--yes', '--set', 'NODE_NAME=master-0'], {cwd: dir, env});
    expect(result.code).toBe(0);
    expect(argv()).toEqual(['debug', 'node/master-0', '--', 'chroot', '/host', 'uptime']);
  });
});

describe('a runbook with nothing to run', () => {
  it('says so at play and exits 2 without writing a transcript', async () => {
    write('r.md', '# Only a title\n\nSome prose.\n\n```yaml\nkey: value\n```\n');
    const result = await runCli(['play', 'r.md', '--yes'], {cwd: dir, env});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('runbook: r.md has nothing to run: no executable block');
    expect(result.stdout).not.toContain('PASSED');
    expect(existsSync(join(dir, '.runbook'))).toBe(false);
  });
});

describe('runbook list', () => {
  it('lists placeholders with where they are written, and the session a block opens', async () => {
    write('r.md', debugRunbook);
    const result = await runCli(['list', 'r.md'], {cwd: dir, env});
    expect(result.stdout).toContain('Placeholders  (asked before the block that uses them; headless: --set NAME=VALUE)\n  NODE_NAME  <node-name>  r.md:12:15 #debug-the-node-1\n  NODE_NAME  <node-name>  r.md:20:14 #again-1\n  NAMESPACE  $NAMESPACE  r.md:20:30 #again-1\n');
    expect(result.stdout).toContain('opens a session, runs interactive: oc debug node/<node-name>; 2 lines to type in it');
    const json = JSON.parse((await runCli(['list', 'r.md', '--json'], {cwd: dir, env})).stdout) as {placeholders: unknown[]};
    expect(json.placeholders).toEqual([
      {name: 'NODE_NAME', written: '<node-name>', kind: 'angle', position: {line: 12, column: 15}, nodeId: 'debug-the-node-1'},
      {name: 'NODE_NAME', written: '<node-name>', kind: 'angle', position: {line: 20, column: 14}, nodeId: 'again-1'},
      {name: 'NAMESPACE', written: '$NAMESPACE', kind: 'variable', position: {line: 20, column: 30}, nodeId: 'again-1'},
    ]);
  });
});
