import {readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import type {ContentBlock, Step} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {allNodes, allSteps} from '../../src/runbook/walk.js';
import {fixtureMessages, parseFixture, readFixture} from './fixtures.js';

function outline(steps: readonly Step[]): unknown[] {
  return steps.map((step) => ({number: step.number, title: step.title, id: step.id, depth: step.depth, steps: outline(step.steps)}));
}

function kinds(content: readonly ContentBlock[]): string[] {
  return content.map((block) => (block.kind === 'prose' ? 'prose' : `${block.kind}#${block.id}`));
}

describe('parseRunbook on a small annotated runbook', () => {
  const {runbook, diagnostics} = parseFixture('runbook/basic.md');

  it('has no diagnostics', () => {
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it('reads the title, frontmatter and introduction', () => {
    expect(runbook.title).toBe('Basic runbook');
    expect(runbook.frontmatter.shell).toBe('bash');
    expect(runbook.frontmatter.env).toEqual({API_ORIGIN: 'https://api.example.test'});
    expect(runbook.frontmatter.defaults).toEqual({timeout: 300_000});
    expect(runbook.frontmatter.inputs['LKG_SHA']).toEqual({
      name: 'LKG_SHA', description: 'Last known good commit', pattern: '^[0-9a-f]{7,40}$', secret: false, required: true,
      position: {start: {line: 6, column: 3, offset: 70}, end: {line: 6, column: 10, offset: 77}},
    });
    expect(readFixture('runbook/basic.md').slice(70, 77)).toBe('LKG_SHA');
    expect(runbook.frontmatter.inputs['DATABASE_URL']).toMatchObject({secret: true, required: true});
    expect(runbook.frontmatter.inputs['REGION']).toMatchObject({default: 'eu', choices: ['eu', 'us'], required: false});
    expect(runbook.introduction).toEqual([
      {kind: 'prose', markdown: 'Read this first.', position: {start: {line: 13, column: 1, offset: 303}, end: {line: 13, column: 17, offset: 319}}},
    ]);
  });

  it('nests steps by heading depth, with numbers as written and explicit or derived ids', () => {
    expect(outline(runbook.steps)).toEqual([
      {number: '1)', title: 'Check the API', id: 'check', depth: 2, steps: [
        {number: '1.1', title: 'Look closer', id: 'look-closer', depth: 3, steps: []},
      ]},
      {number: '2)', title: 'Roll back', id: 'roll-back', depth: 2, steps: []},
    ]);
    expect(runbook.steps[0]?.attributes).toEqual({timeout: 120_000});
    expect(runbook.steps[1]?.attributes).toEqual({if: 'health.failed'});
    expect(runbook.steps[0]?.position).toEqual({start: {line: 15, column: 1, offset: 321}, end: {line: 15, column: 20, offset: 340}});
  });

  it('keeps content in document order: prose, executable, display and checklist nodes', () => {
    const [check, rollBack] = runbook.steps;
    expect(kinds(check?.content ?? [])).toEqual(['exec#health']);
    expect(kinds(check?.steps[0]?.content ?? [])).toEqual(['prose', 'exec#probe']);
    expect(kinds(rollBack?.content ?? [])).toEqual(['exec#redeploy', 'display#roll-back-2', 'checklist#roll-back-3', 'display#roll-back-4']);
  });

  it('types block attributes and parses the http request', () => {
    const health = allNodes(runbook).find((node) => node.id === 'health');
    expect(health).toEqual({
      kind: 'exec', executor: 'http', lang: 'http', id: 'health', explicitId: true,
      attributes: {timeout: 10_000, retries: 3, interval: 5000},
      info: 'http {#health timeout=10s retries=3 interval=5s}',
      code: 'GET {{API_ORIGIN}}/health\nAccept: application/json\n\n?? status == 200\n?? body $.status == ok',
      request: {
        method: 'GET', url: '{{API_ORIGIN}}/health', headers: [{name: 'Accept', value: 'application/json'}], body: '',
        assertions: [
          {source: 'status == 200', subject: 'status', target: '', operator: '==', expected: '200', line: 3},
          {source: 'body $.status == ok', subject: 'body', target: '$.status', operator: '==', expected: 'ok', line: 4},
        ],
      },
      position: {start: {line: 18, column: 1, offset: 378}, end: {line: 24, column: 4, offset: 525}},
    });
  });

  it('keeps a code block inside a list item in its step, at its own column', () => {
    const probe = allNodes(runbook).find((node) => node.id === 'probe');
    expect(probe).toMatchObject({
      kind: 'exec', executor: 'shell', lang: 'sh', attributes: {capture: 'PROBE', 'allow-failure': true},
      code: 'curl -fsS "$API_ORIGIN/health"', position: {start: {line: 30, column: 3}, end: {line: 32, column: 6}},
    });
  });

  it('reads confirm prompts, mutates, checklists and run=false', () => {
    const nodes = runbook.steps[1]?.content ?? [];
    expect(nodes[0]).toMatchObject({kind: 'exec', lang: 'bash', attributes: {confirm: 'Redeploy at $LKG_SHA?', mutates: true}});
    expect(nodes[1]).toMatchObject({kind: 'display', lang: 'json', code: '{"note": "display only"}', attributes: {}});
    expect(nodes[2]).toEqual({
      kind: 'checklist', lang: null, id: 'roll-back-3', explicitId: false, attributes: {},
      items: [
        {text: 'Keep the schema forward-only.', checked: false, position: {start: {line: 45, column: 1, offset: 845}, end: {line: 45, column: 36, offset: 880}}},
        {text: 'Tell the channel.', checked: true, position: {start: {line: 46, column: 1, offset: 881}, end: {line: 46, column: 24, offset: 904}}},
      ],
      position: {start: {line: 45, column: 1, offset: 845}, end: {line: 46, column: 24, offset: 904}},
    });
    expect(nodes[3]).toMatchObject({kind: 'display', lang: 'sh', attributes: {run: false}, code: 'echo never runs'});
  });
});

describe('parseRunbook ids', () => {
  it('derives unique ids from titles and step ids, around explicit ids', () => {
    const source = [
      '## Check', '```sh', 'a', '```', '## Check', '```sh {#check-1-1}', 'b', '```', '```sh', 'c', '```', '## Check', '## ✓', '## Check',
    ].join('\n');
    const {runbook, diagnostics} = parseRunbook(source, 'ids.md');
    expect(diagnostics).toEqual([]);
    expect(allSteps(runbook).map((step) => step.id)).toEqual(['check', 'check-1', 'check-2', 'step', 'check-3']);
    expect(allNodes(runbook).map((node) => node.id)).toEqual(['check-1-2', 'check-1-1', 'check-1-2-1']);
  });

  it('takes a step id from its comment and ignores a comment that is not the first thing under the heading', () => {
    const source = '## One\n<!-- runbook: #first retries=2 -->\n\n## Two\n\nText.\n\n<!-- runbook: retries=3 -->\n';
    const {runbook, diagnostics} = parseRunbook(source, 'comment.md');
    expect(runbook.steps.map((step) => [step.id, step.explicitId, step.attributes])).toEqual([['first', true, {retries: 2}], ['two', false, {}]]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'comment.md:8:1: warning: Unexpected `<!-- runbook: … -->` comment, expected it directly under a step heading or right before a task list; it is ignored [misplaced-step-attributes]',
    ]);
  });
});

describe('parseRunbook step comments', () => {
  it('accepts an indented comment over several lines, and leaves comments out of titles', () => {
    const source = '## Deploy <!-- a note -->\n   <!-- runbook: #deploy\n        timeout=5m -->\n';
    const {runbook, diagnostics} = parseRunbook(source, 'indented.md');
    expect(diagnostics).toEqual([]);
    expect(runbook.steps.map((step) => [step.id, step.title, step.attributes])).toEqual([['deploy', 'Deploy', {timeout: 300_000}]]);
  });
});

describe('parseRunbook checklist comments', () => {
  it('names a checklist and gives it a condition from a comment right before it', () => {
    const source = [
      '## Verify', '<!-- runbook: #verify timeout=5m -->', '', '- [ ] the step comment is not this checklist\'s', '',
      '```sh {#smoke}', 'true', '```', '',
      '<!-- runbook: #flows if="smoke.ok" -->', '- [ ] sign-in', '  - [x] nested', '',
      '```sh {if="flows.ok"}', 'echo ok', '```',
    ].join('\n');
    const {runbook, diagnostics} = parseRunbook(source, 'checklists.md');
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    const step = runbook.steps[0];
    expect(step?.attributes).toEqual({timeout: 300_000});
    expect(step?.id).toBe('verify');
    const nodes = (step?.content ?? []).filter((block) => block.kind !== 'prose');
    expect(nodes.map((node) => [node.kind, node.id, node.explicitId, node.attributes])).toEqual([
      ['checklist', 'verify-1', false, {}],
      ['exec', 'smoke', true, {}],
      ['checklist', 'flows', true, {if: 'smoke.ok'}],
      ['exec', 'verify-4', false, {if: 'flows.ok'}],
    ]);
  });

  it('reports what a checklist cannot have, and a comment before anything else than a task list', () => {
    const source = ['## A', '', 'Text.', '', '<!-- runbook: #list timeout=5m -->', '- [ ] check', '', '<!-- runbook: #lost -->', '', 'More text.', '', '<!-- runbook: #last -->', ''].join('\n');
    expect(parseRunbook(source, 'checklists.md').diagnostics.map(formatDiagnostic)).toEqual([
      'checklists.md:5:21-5:31: error: Unexpected attribute `timeout` on a checklist, expected it only on `sh`/`bash`/`shell`/`zsh` blocks, `http` blocks, `js`/`node` blocks, `console`/`shell-session`/`terminal` blocks or steps [misplaced-attribute]',
      'checklists.md:8:1: warning: Unexpected `<!-- runbook: … -->` comment, expected it directly under a step heading or right before a task list; it is ignored [misplaced-step-attributes]',
      'checklists.md:12:1: warning: Unexpected `<!-- runbook: … -->` comment, expected it directly under a step heading or right before a task list; it is ignored [misplaced-step-attributes]',
    ]);
  });
});

describe('parseRunbook links', () => {
  it('keeps the text of a task item that starts with a link, without its checkbox', () => {
    const source = '## A\n\n- [ ] https://grafana.example/d/api shows no errors\n- [x] www.example.test answers\n- [ ] [x] is text here\n';
    const checklist = parseRunbook(source, 'links.md').runbook.steps[0]?.content[0];
    expect(checklist?.kind === 'checklist' ? checklist.items.map((item) => [item.text, item.checked]) : []).toEqual([
      ['https://grafana.example/d/api shows no errors', false], ['www.example.test answers', true], ['[x] is text here', false],
    ]);
  });

  it('titles a step with an autolink literal as GitHub shows it', () => {
    const source = '## Open www.example.test/*a* and _www.b_c.test_\n\n## Mail ops@example.test\n';
    expect(parseRunbook(source, 'links.md').runbook.steps.map((step) => step.title)).toEqual(['Open www.example.test/*a* and www.b_c.test', 'Mail ops@example.test']);
  });
});

describe('parseRunbook on other inputs', () => {
  it('prefers the frontmatter title and treats later H1s as steps', () => {
    const {runbook} = parseRunbook('---\ntitle: From YAML\n---\n# From heading\n\n# Another\n', 'titles.md');
    expect(runbook.title).toBe('From YAML');
    expect(outline(runbook.steps)).toEqual([{number: null, title: 'Another', id: 'another', depth: 2, steps: []}]);
  });

  it('gives exact positions with CRLF line endings', () => {
    const source = '## Step\r\n\r\n```http {#x timout=1s}\r\nGET {{NOPE}}\r\n```\r\n';
    const {runbook, diagnostics} = parseRunbook(source, 'crlf.md');
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'crlf.md:3:13-3:22: error: Unexpected attribute `timout` on a `http` block, did you mean `timeout`? [unknown-attribute]',
      'crlf.md:4:7: error: Unexpected reference `{{NOPE}}`, expected a name defined in `env`, `inputs`, a `capture` or a block id [undefined-name]',
    ]);
    expect(allNodes(runbook)[0]).toMatchObject({info: 'http {#x timout=1s}'});
  });

  it('gives exact columns in http blocks whose indentation micromark rewrote', () => {
    const tabbed = parseRunbook('## Step\n\n ```http\n\tGET {{NOPE}}\n ```\n', 'tab.md');
    expect(tabbed.diagnostics.map(formatDiagnostic)).toEqual([
      'tab.md:4:8: error: Unexpected reference `{{NOPE}}`, expected a name defined in `env`, `inputs`, a `capture` or a block id [undefined-name]',
    ]);
    const nul = parseRunbook('## Step\n\n```http\nGET https://x.test \u0000\n```\n', 'nul.md');
    expect(nul.diagnostics.map(formatDiagnostic)).toEqual([
      'nul.md:4:20-4:21: error: Unexpected `\ufffd` after the URL, expected `HTTP/1.1` or the end of the line (encode spaces in the URL as %20) [http-request]',
    ]);
  });

  it('lets conditions use block and checklist results, not steps', () => {
    const source = '## Check\n- [ ] done\n\n```sh {#probe}\necho\n```\n## Then\n<!-- runbook: if="probe.ok && check_1.ok" -->\n## Else\n<!-- runbook: if="then.ok" -->\n';
    expect(parseRunbook(source.replace(' && check_1.ok', '').replace('then.ok', 'probe.failed'), 'results.md').diagnostics).toEqual([]);
    expect(parseRunbook(source.replace('check_1', 'check-1'), 'results.md').diagnostics.map(formatDiagnostic)).toEqual([
      'results.md:8:31: error: Unexpected `check-1` in condition, expected an id without `-` (CEL reads it as minus), such as `#check_1` [undefined-name]',
      'results.md:10:19: error: Unexpected step id `then` in condition (steps have no result), expected a variable, a capture or the id of a block [undefined-name]',
    ]);
  });

  it('makes every block under a step with run=false display-only', () => {
    const source = '## Notes\n<!-- runbook: run=false -->\n```sh\necho a\n```\n### Deeper\n```sh\necho b\n```\n## Live\n```sh\necho c\n```\n';
    const {runbook, diagnostics} = parseRunbook(source, 'run-false.md');
    expect(diagnostics).toEqual([]);
    expect(allNodes(runbook).map((node) => `${node.id}:${node.kind}`)).toEqual(['notes-1:display', 'deeper-1:display', 'live-1:exec']);
  });

  it('accepts steps and blocks named like CEL types', () => {
    const {runbook, diagnostics} = parseRunbook('## Optional\n```sh {#int}\necho\n```\n## String\n', 'cel.md');
    expect(diagnostics).toEqual([]);
    expect(allSteps(runbook).map((step) => step.id)).toEqual(['optional', 'string']);
  });

  it('accepts references to block results and captures', () => {
    const source = [
      '## Step', '```http {#health}', 'GET https://api.example.test/health', '```',
      '```sh {capture=TOKEN}', 'echo t', '```',
      '```http {if="health.ok && TOKEN != \'\'"}', 'GET https://api.example.test/{{health.response.body.$.id}}?t={{TOKEN}}', '```',
    ].join('\n');
    expect(parseRunbook(source, 'refs.md').diagnostics).toEqual([]);
  });
});

describe('the unannotated seed playbook', () => {
  const {runbook, diagnostics} = parseFixture('seed-rollback-playbook.md');

  it('parses with no diagnostics into its 8 sections', () => {
    expect(diagnostics).toEqual([]);
    expect(runbook.title).toBe('Rollback Playbook');
    expect(runbook.steps.map((step) => [step.number, step.title])).toEqual([
      [null, 'Trigger conditions'],
      ['1)', 'Identify last known good commit'],
      ['2)', 'Roll back code'],
      ['3)', 'Stabilize runtime flags'],
      ['4)', 'Queue recovery'],
      ['5)', 'Data integrity checks'],
      ['6)', 'Validation after rollback'],
      ['7)', 'Incident follow-up'],
    ]);
    expect(runbook.steps.map((step) => step.id)).toEqual([
      'trigger-conditions', 'identify-last-known-good-commit', 'roll-back-code', 'stabilize-runtime-flags',
      'queue-recovery', 'data-integrity-checks', 'validation-after-rollback', 'incident-follow-up',
    ]);
    expect(kinds(runbook.introduction)).toEqual(['prose']);
    expect(allNodes(runbook)).toEqual([]);
  });
});

describe('the openshift runbooks corpus', () => {
  const directory = fileURLToPath(new URL('../fixtures/corpus/openshift-runbooks/', import.meta.url));
  const files = readdirSync(directory).filter((name) => name.endsWith('.md')).sort();

  // Both have no `##` heading: the corpus README, and an alert runbook that
  // only says the alert is deprecated. Warning about them is right.
  const expectedWarnings: Record<string, string[]> = {
    'README.md': [
      'test/fixtures/corpus/openshift-runbooks/README.md:1:1: warning: Unexpected runbook without steps, expected at least one `##` heading [no-steps]',
    ],
    'openshift-virtualization-operator__KubeVirtComponentExceedsRequestedMemory.md': [
      'test/fixtures/corpus/openshift-runbooks/openshift-virtualization-operator__KubeVirtComponentExceedsRequestedMemory.md:1:1: warning: Unexpected runbook without steps, expected at least one `##` heading [no-steps]',
    ],
  };

  it('holds the 24 runbooks and the README', () => {
    expect(files).toHaveLength(25);
  });

  it.each(files)('%s parses with no errors and only the expected warnings', (name) => {
    expect(fixtureMessages(`corpus/openshift-runbooks/${name}`)).toEqual(expectedWarnings[name] ?? []);
  });

  it('finds executable blocks in list items of the corpus', () => {
    const {runbook} = parseFixture('corpus/openshift-runbooks/openshift-virtualization-operator__VirtOperatorDown.md');
    expect(allNodes(runbook).filter((node) => node.kind === 'exec').map((node) => [node.lang, node.position.start.column])).toEqual([
      ['bash', 4], ['bash', 4], ['bash', 4], ['bash', 4], ['bash', 4],
    ]);
  });
});
