import {describe, expect, it} from 'vitest';
import {splitPrompts} from '../../src/runbook/prompts.js';

describe('splitPrompts', () => {
  it('returns a block without prompts as it is', () => {
    const code = '# list the pods\nkubectl get pods\necho "$ not a prompt"';
    expect(splitPrompts(code, 'bash')).toEqual({
      prompted: false, commands: code, transcript: [], expected: [],
      lines: [{line: 0, column: 0}, {line: 1, column: 0}, {line: 2, column: 0}],
    });
  });

  it('runs the prompted lines and keeps the sample output as expected output', () => {
    const split = splitPrompts('$ kubectl get pods\nNAME    READY\napi-1   1/1\n\n$ echo done\ndone', 'sh');
    expect(split.prompted).toBe(true);
    expect(split.commands).toBe('kubectl get pods\necho done');
    expect(split.transcript).toEqual([
      {prompt: '$ ', command: 'kubectl get pods', line: 0, expected: 'NAME    READY\napi-1   1/1'},
      {prompt: '$ ', command: 'echo done', line: 4, expected: 'done'},
    ]);
    expect(split.expected.map((line) => line.line)).toEqual([1, 2, 3, 5]);
    expect(split.lines).toEqual([{line: 0, column: 2}, {line: 4, column: 2}]);
  });

  it('reads user@host, shell-version and bracketed prompts', () => {
    const code = [
      'user@host$ whoami',
      'user',
      'user@host:~/dir$ pwd',
      'root@node-1:/# id -u',
      'sh-5.1# hostname',
      'bash-5.2$ uname',
      '[root@host ~]# ls /',
      '[core@ip-10-0-1-2 tmp]$ date',
    ].join('\n');
    const split = splitPrompts(code, 'bash');
    expect(split.commands).toBe('whoami\npwd\nid -u\nhostname\nuname\nls /\ndate');
    expect(split.transcript.map((entry) => entry.prompt)).toEqual(['user@host$ ', 'user@host:~/dir$ ', 'root@node-1:/# ', 'sh-5.1# ', 'bash-5.2$ ', '[root@host ~]# ', '[core@ip-10-0-1-2 tmp]$ ']);
    expect(split.expected).toEqual([{text: 'user', line: 1}]);
  });

  it('keeps a `# comment` of a script a comment, and of a prompted shell block output', () => {
    expect(splitPrompts('# restart it\nsystemctl restart kubelet', 'bash').prompted).toBe(false);
    const split = splitPrompts('# check the pods first\n$ oc get pods', 'bash');
    expect(split.commands).toBe('oc get pods');
    expect(split.expected).toEqual([{text: '# check the pods first', line: 0}]);
  });

  it('reads `# ` as root\'s prompt only in a console transcript without other prompts', () => {
    const root = splitPrompts('# systemctl is-active kubelet\nactive', 'console');
    expect(root.commands).toBe('systemctl is-active kubelet');
    expect(root.transcript[0]?.expected).toBe('active');
    const mixed = splitPrompts('# list them\n$ ls\nfile', 'console');
    expect(mixed.commands).toBe('ls');
    expect(mixed.expected.map((line) => line.text)).toEqual(['# list them', 'file']);
    expect(splitPrompts('# systemctl is-active kubelet', 'bash').prompted).toBe(false);
    expect(splitPrompts('# systemctl is-active kubelet', 'shell-session').commands).toBe('systemctl is-active kubelet');
  });

  it('joins `> ` continuation lines and trailing backslashes to their command', () => {
    const split = splitPrompts([
      '$ for pod in a b; do',
      '>   echo "$pod"',
      '> done',
      'a',
      'b',
      '$ kubectl get pods \\',
      '    -n openshift-etcd \\',
      '>   -o wide',
      'NAME',
      '> 0.01',
    ].join('\n'), 'console');
    expect(split.transcript.map((entry) => entry.command)).toEqual([
      'for pod in a b; do\n  echo "$pod"\ndone',
      'kubectl get pods \\\n    -n openshift-etcd \\\n  -o wide',
    ]);
    expect(split.transcript.map((entry) => entry.expected)).toEqual(['a\nb', 'NAME\n> 0.01']);
    expect(split.lines).toEqual([
      {line: 0, column: 2}, {line: 1, column: 2}, {line: 2, column: 2},
      {line: 5, column: 2}, {line: 6, column: 0}, {line: 7, column: 2},
    ]);
  });

  it('accepts indented prompts, CRLF endings and a bare prompt', () => {
    const split = splitPrompts('  $ echo hi\r\n  hi\r\n$', 'zsh');
    expect(split.commands).toBe('echo hi\n');
    expect(split.lines).toEqual([{line: 0, column: 4}, {line: 2, column: 1}]);
    expect(split.expected).toEqual([{text: '  hi', line: 1}]);
  });

  it('does not take `$VAR` or `$(…)` at the start of a line for a prompt', () => {
    expect(splitPrompts('$HOME/bin/tool --check\n$(which oc) whoami', 'bash').prompted).toBe(false);
  });
});
