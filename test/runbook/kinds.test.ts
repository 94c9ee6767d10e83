import {describe, expect, it} from 'vitest';
import {kinds} from '../../src/executors/kinds/index.js';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {executableLanguages} from '../../src/runbook/languages.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {allNodes} from '../../src/runbook/walk.js';

const parse = (text: string) => parseRunbook(text, 'r.md');
const nodes = (text: string) => allNodes(parse(text).runbook);
const block = (lang: string, code: string, frontmatter = ''): string => `${frontmatter}# R\n\n## S\n\n\`\`\`${lang}\n${code}\n\`\`\`\n`;

describe('executor kinds', () => {
  it('give the language table its languages', () => {
    expect(executableLanguages).toEqual({
      sh: 'shell', bash: 'shell', shell: 'shell', zsh: 'shell', http: 'http', js: 'script', node: 'script',
      console: 'console', 'shell-session': 'console', terminal: 'console',
    });
    expect(new Set(kinds.map((kind) => kind.kind)).size).toBe(kinds.length);
  });

  it('make a shell node carry the script that runs: the block, or its prompted commands', () => {
    expect(nodes(block('bash', 'kubectl get pods'))[0]).toMatchObject({kind: 'exec', executor: 'shell', code: 'kubectl get pods', script: 'kubectl get pods'});
    expect(nodes(block('bash', 'kubectl get pods'))[0]).not.toHaveProperty('transcript');
    const [prompted] = nodes(block('sh', '$ kubectl get pods\nNAME  READY\n$ oc whoami'));
    expect(prompted).toMatchObject({
      kind: 'exec', executor: 'shell', code: '$ kubectl get pods\nNAME  READY\n$ oc whoami', script: 'kubectl get pods\noc whoami',
      transcript: [{prompt: '$ ', command: 'kubectl get pods', line: 0, expected: 'NAME  READY'}, {prompt: '$ ', command: 'oc whoami', line: 2, expected: ''}],
    });
  });

  it('keep console blocks display-only unless the frontmatter says `console: run`', () => {
    expect(nodes(block('console', '$ oc get pods\nNAME')).map((node) => node.kind)).toEqual(['display']);
    const [run] = nodes(block('terminal', '$ oc get pods\nNAME', '---\nconsole: run\n---\n'));
    expect(run).toMatchObject({kind: 'exec', executor: 'console', lang: 'terminal', script: 'oc get pods'});
    // output only: nothing to run
    expect(nodes(block('console', 'NAME   READY', '---\nconsole: run\n---\n')).map((node) => node.kind)).toEqual(['display']);
    expect(parse(block('console', '$ ls', '---\nconsole: show\n---\n')).diagnostics).toEqual([]);
  });

  it('report a `console` switch that is neither `show` nor `run`, and accept the kind\'s attributes', () => {
    const result = parse(block('console {#pods timeout=5s}', '$ oc get pods', '---\nconsole: yes\n---\n'));
    expect(result.diagnostics.map((diagnostic) => formatDiagnostic(diagnostic))).toEqual([
      'r.md:2:1: error: Unexpected `console` value, expected `show` (console blocks are display-only) or `run` (their prompted commands run) [frontmatter-schema]',
    ]);
    expect(allNodes(result.runbook)[0]).toMatchObject({kind: 'display', id: 'pods', attributes: {timeout: 5000}});
  });

  it('give an http node its request, and a block whose request cannot be read none: it is display-only', () => {
    const [http] = nodes(block('http', 'GET https://example.com/health\n?? status == 200'));
    expect(http?.kind === 'exec' && http.executor === 'http' ? http.request.url : undefined).toBe('https://example.com/health');
    const broken = parse(block('http', 'FETCH https://example.com'));
    expect(allNodes(broken.runbook).map((node) => node.kind)).toEqual(['display']);
    expect(broken.diagnostics.map((diagnostic) => diagnostic.ruleId)).toContain('http-request');
  });
});
