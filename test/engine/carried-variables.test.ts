import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {masked, type NodeEndEvent, type RunEvent} from '../../src/engine/events.js';
import {planResume} from '../../src/engine/resume-plan.js';
import {play} from './helpers.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-carried-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const stdoutOf = (events: readonly RunEvent[], nodeId: string): string =>
  events.filter((event) => event.type === 'output' && event.nodeId === nodeId && event.stream === 'stdout').map((event) => (event.type === 'output' ? event.text : '')).join('');
const nodeEnd = (events: readonly RunEvent[], nodeId: string): NodeEndEvent | undefined =>
  events.filter((event): event is NodeEndEvent => event.type === 'node-end' && event.nodeId === nodeId).at(-1);
const notes = (events: readonly RunEvent[]): string[] => events.flatMap((event) => (event.type === 'note' ? [event.text] : []));

const runbook = (frontmatter: string, ...blocks: string[]): string =>
  `${frontmatter === '' ? '' : `---\n${frontmatter}\n---\n`}# Carry\n\n## Step\n\n${blocks.map((block) => `${block}\n`).join('\n')}`;

describe('variables shell blocks carry over', () => {
  it('an exported variable reaches later blocks; a plain assignment and the working directory do not', async () => {
    const {events, result} = await play(runbook('',
      '```bash {#set}\nexport NAMESPACE=prod\nPLAIN=1\ncd /\n```',
      '```bash {#use}\necho "ns=$NAMESPACE plain=${PLAIN:-unset} pwd=$PWD"\n```'), {cwd: dir});
    expect(result.outcome).toBe('passed');
    expect(stdoutOf(events, 'use')).toBe(`ns=prod plain=unset pwd=${dir}\n`);
    expect(nodeEnd(events, 'set')?.exports).toEqual({NAMESPACE: 'prod'});
    expect(nodeEnd(events, 'use')?.exports).toBeUndefined();
  });

  it('a variable a block unsets is gone for later blocks, and comes back when one exports it again', async () => {
    const {events} = await play(runbook('',
      '```bash {#set}\nexport X=1\n```',
      '```bash {#drop}\nunset X\n```',
      '```bash {#check}\necho "${X-gone}"\nexport X=back\n```',
      '```bash {#again}\necho "$X"\n```'), {cwd: dir});
    expect(nodeEnd(events, 'drop')?.exports).toEqual({X: null});
    expect(stdoutOf(events, 'check')).toBe('gone\n');
    expect(stdoutOf(events, 'again')).toBe('back\n');
  });

  it('a secret-named variable, or one holding a secret, is masked in output and in node-end', async () => {
    const {events} = await play(runbook('inputs: {DB_URL: {secret: true}}',
      '```bash {#login}\nexport API_TOKEN="tok-$(echo secret)-98765"\nexport DSN="dsn:$DB_URL"\nexport REGION=eu\n```',
      '```bash {#use}\necho "token=$API_TOKEN dsn=$DSN region=$REGION"\n```'), {cwd: dir, sources: {set: {DB_URL: 'postgres://u:pw-very-secret@db/app'}}});
    expect(nodeEnd(events, 'login')?.exports).toEqual({API_TOKEN: masked, DSN: masked, REGION: 'eu'});
    expect(stdoutOf(events, 'use')).toBe(`token=${masked} dsn=${masked} region=eu\n`);
    // the value appears nowhere: the block writes it in two parts
    const recorded = JSON.stringify(events);
    expect(recorded).not.toContain('tok-secret-98765');
    expect(recorded).not.toContain('pw-very-secret');
  });

  it('does not change what the runbook declares: env values and inputs keep their value, and a note says so', async () => {
    const {events} = await play(runbook('env: {REGION: eu}\ninputs: {NS: {default: prod}}',
      '```bash {#try}\nexport REGION=us NS=dev OTHER=1\n```',
      '```bash {#use}\necho "$REGION $NS $OTHER"\n```'), {cwd: dir});
    expect(stdoutOf(events, 'use')).toBe('eu prod 1\n');
    expect(nodeEnd(events, 'try')?.exports).toEqual({OTHER: '1'});
    expect(notes(events)).toContain('`NS`, `REGION` exported by `try` do not carry over: the run was given them (`env`, `inputs`, `--set`…), and later blocks keep that value');
  });

  it('a block that fails carries nothing (as a capture), one allowed to fail carries what it exported', async () => {
    const {events} = await play(runbook('',
      '```bash {#allowed allow-failure}\nexport A=1\nexit 3\n```',
      '```bash {#failing}\nexport B=1\nfalse\n```'), {cwd: dir});
    expect(nodeEnd(events, 'allowed')?.exports).toEqual({A: '1'});
    expect(nodeEnd(events, 'failing')?.outcome).toBe('failed');
    expect(nodeEnd(events, 'failing')?.exports).toBeUndefined();
  });

  it('`carry=false` on a block and `carry: false` in the frontmatter turn it off', async () => {
    const blocks = ['```bash {#quiet carry=false}\nexport A=1\n```', '```bash {#loud}\nexport B=2\n```', '```bash {#use}\necho "${A:-none} ${B:-none}"\n```'] as const;
    const onBlock = await play(runbook('', ...blocks), {cwd: dir});
    expect(stdoutOf(onBlock.events, 'use')).toBe('none 2\n');
    expect(nodeEnd(onBlock.events, 'quiet')?.exports).toBeUndefined();
    const onRunbook = await play(runbook('carry: false', ...blocks), {cwd: dir});
    expect(stdoutOf(onRunbook.events, 'use')).toBe('none none\n');
  });

  it('says so when a block ends without reporting what it exported', async () => {
    const {events} = await play(runbook('', '```bash {#trapper}\ntrap "echo bye" EXIT\nexport A=1\n```'), {cwd: dir});
    expect(notes(events)).toContain('what `trapper` exported does not carry over: it ended without reporting its environment (it set its own EXIT trap or `exec`ed another program)');
  });

  it('a resumed run has the non-secret variables earlier attempts carried; secret ones are lost', async () => {
    const marker = join(dir, 'marker');
    const markdown = runbook('',
      '```bash {#set}\nexport NAMESPACE="prod\n2" API_TOKEN="tok-$(echo secret)-98765"\nexport GONE=1\n```',
      '```bash {#drop}\nunset GONE\nexport LATER=x\n```',
      `\`\`\`bash {#gate}\ntest -f '${marker}'\n\`\`\``,
      '```bash {#use}\necho "ns=$NAMESPACE token=${API_TOKEN:-lost} gone=${GONE:-unset} later=$LATER"\n```');
    const first = await play(markdown, {cwd: dir});
    expect(first.result.outcome).toBe('failed');
    writeFileSync(marker, '');
    expect(existsSync(marker)).toBe(true);
    const state = planResume(first.events, 1, ['set', 'drop', 'gate', 'use']);
    expect(state.plan.carried).toEqual({NAMESPACE: 'prod\n2', GONE: null, LATER: 'x'});
    expect(state.lostSecretExports).toEqual([{name: 'API_TOKEN', nodeId: 'set'}]);
    const second = await play(markdown, {cwd: dir, resume: state.plan});
    expect(second.result.outcome).toBe('passed');
    expect(stdoutOf(second.events, 'use')).toBe('ns=prod\n2 token=lost gone=unset later=x\n');
  });
});
