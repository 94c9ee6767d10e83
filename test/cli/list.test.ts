import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCliSync} from './run-cli.js';

const runbook = runCliSync;

interface JsonNode {
  kind: string;
  lang: string | null;
  id: string;
  attributes: Record<string, unknown>;
  position: {start: {line: number; column: number}};
}
interface JsonStep {
  id: string;
  title: string;
  number: string | null;
  attributes: Record<string, unknown>;
  nodes: JsonNode[];
  steps: JsonStep[];
}

describe('runbook list', () => {
  it('names a runbook without a title by its path, once', () => {
    const directory = mkdtempSync(join(tmpdir(), 'runbook-list-'));
    try {
      const path = join(directory, 'untitled.md');
      writeFileSync(path, '## Check\n\n```sh\ntrue\n```\n');
      expect(runbook('list', path).stdout.split('\n').slice(0, 3)).toEqual([path, '', 'Steps']);
    } finally {
      rmSync(directory, {recursive: true, force: true});
    }
  });

  it('says under each shell block what it exports and unsets for later blocks, in the plan and in --json', () => {
    const directory = mkdtempSync(join(tmpdir(), 'runbook-list-'));
    try {
      const path = join(directory, 'carry.md');
      writeFileSync(path, '# Carry\n\n## Set\n\n```bash {#set}\nexport NAMESPACE=prod\nunset OLD\nPLAIN=1\n```\n\n```bash {#quiet carry=false}\nexport HIDDEN=1\n```\n');
      expect(runbook('list', path).stdout.split('\n').slice(3)).toEqual([
        'Steps',
        '  Set  #set-1',
        '      1. bash  #set',
        '           $ export NAMESPACE=prod',
        '           exports NAMESPACE · unsets OLD',
        '      2. bash  #quiet  carry=false',
        '           $ export HIDDEN=1',
        '',
      ]);
      const model = JSON.parse(runbook('list', '--json', path).stdout) as {carried: unknown};
      expect(model.carried).toEqual({set: {exports: ['NAMESPACE'], unsets: ['OLD'], sets: ['PLAIN'], opaque: false}});
    } finally {
      rmSync(directory, {recursive: true, force: true});
    }
  });

  it('prints the variables and the numbered plan', () => {
    expect(runbook('list', 'test/fixtures/runbook/small.md')).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Small runbook',
        'test/fixtures/runbook/small.md',
        '',
        'Variables',
        '  API_ORIGIN    env     https://api.example.test',
        '  LKG_SHA       input   required, pattern /^[0-9a-f]{7,40}$/ — Last known good commit',
        '  REGION        input   optional, default eu, one of eu, us',
        '  DATABASE_URL  input   secret, optional, default •••••• — Production database URL',
        '',
        'Steps',
        '  1) Check the API  #check-the-api',
        '      1. http  #health  timeout=10s retries=3',
        '           $ GET {{API_ORIGIN}}/health',
        '    1.1 Dig deeper  #dig-deeper  if=health.failed',
        '        1. sh  #dig-deeper-1',
        '             $ curl -fsS "$API_ORIGIN/debug"',
        '  2) Roll back  #roll-back',
        '      1. bash  #redeploy  confirm="Redeploy at $LKG_SHA?" mutates',
        '           $ railway redeploy --service api --yes',
        '      2. checklist  #roll-back-2',
        '           [ ] Keep the schema forward-only.',
        '           [x] Tell the channel.',
        '      3. text (display)  #roll-back-3',
        '           nothing to run here',
        '',
      ].join('\n'),
    });
  });

  it('prints the model as JSON with --json', () => {
    const result = runbook('list', '--json', 'test/fixtures/runbook/small.md');
    expect(result.code).toBe(0);
    const model = JSON.parse(result.stdout) as {version: number; path: string; title: string; steps: JsonStep[]; frontmatter: {inputs: Record<string, {default?: string}>}};
    expect(model).toMatchObject({version: 1, path: 'test/fixtures/runbook/small.md', title: 'Small runbook'});
    const outline = (steps: JsonStep[]): unknown[] => steps.map((step) => ({
      id: step.id, title: step.title, number: step.number, attributes: step.attributes,
      nodes: step.nodes.map((node) => ({kind: node.kind, lang: node.lang, id: node.id, attributes: node.attributes, start: [node.position.start.line, node.position.start.column]})),
      steps: outline(step.steps),
    }));
    expect(outline(model.steps)).toEqual([
      {
        id: 'check-the-api', title: 'Check the API', number: '1)', attributes: {},
        nodes: [{kind: 'exec', lang: 'http', id: 'health', attributes: {timeout: 10_000, retries: 3}, start: [13, 1]}],
        steps: [{
          id: 'dig-deeper', title: 'Dig deeper', number: '1.1', attributes: {if: 'health.failed'},
          nodes: [{kind: 'exec', lang: 'sh', id: 'dig-deeper-1', attributes: {}, start: [21, 1]}],
          steps: [],
        }],
      },
      {
        id: 'roll-back', title: 'Roll back', number: '2)', attributes: {},
        nodes: [
          {kind: 'exec', lang: 'bash', id: 'redeploy', attributes: {confirm: 'Redeploy at $LKG_SHA?', mutates: true}, start: [28, 1]},
          {kind: 'checklist', lang: null, id: 'roll-back-2', attributes: {}, start: [32, 1]},
          {kind: 'display', lang: 'text', id: 'roll-back-3', attributes: {}, start: [35, 1]},
        ],
        steps: [],
      },
    ]);
    expect(model.frontmatter.inputs['DATABASE_URL']?.default).toBe('••••••');
    expect(result.stdout).not.toContain('postgres://');
  });

  it('prints the plan and the diagnostics of a runbook with errors, and exits 2', () => {
    const result = runbook('list', 'test/fixtures/diagnostics/condition-syntax.md');
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('test/fixtures/diagnostics/condition-syntax.md:5:30: error: Unexpected syntax in condition `first.ok &&`: Unexpected token: EOF [condition-syntax]');
    expect(result.stdout.split('\n').slice(0, 3)).toEqual(['Condition syntax', 'test/fixtures/diagnostics/condition-syntax.md', '']);
  });

  it('reports an unreadable file in one line and exits 2', () => {
    expect(runbook('list', 'test/fixtures/missing.md')).toEqual({
      code: 2, stdout: '', stderr: 'runbook: test/fixtures/missing.md: cannot read the runbook (no such file); give the path of a Markdown file\n',
    });
  });
});
