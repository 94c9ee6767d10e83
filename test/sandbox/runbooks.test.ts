import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import type {ExecNode, RunbookNode} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {execNodes, stepNodes} from '../../src/runbook/walk.js';
import {repoRoot} from './helpers.js';

const rollbackPath = 'runbooks/rollback.md';
const rollbackSource = readFileSync(join(repoRoot, rollbackPath), 'utf8');
const seed = readFileSync(new URL('fixtures/rollback-playbook.md', import.meta.url), 'utf8');
const {runbook: rollback, diagnostics} = parseRunbook(rollbackSource, rollbackPath);

function describeNode(node: RunbookNode): string {
  if (node.kind === 'checklist') return `checklist(${node.items.length})`;
  const flags = [
    node.attributes.mutates === true ? 'mutates' : '',
    node.attributes.confirm === undefined ? '' : 'confirm',
    node.attributes['allow-failure'] === true ? 'allow-failure' : '',
    node.attributes.if === undefined ? '' : 'if',
    node.attributes.capture === undefined ? '' : `capture=${node.attributes.capture}`,
  ].filter((flag) => flag !== '');
  return `${node.kind === 'display' ? 'display' : node.lang}#${node.id}${flags.length === 0 ? '' : `[${flags.join(' ')}]`}`;
}

const byId = (id: string): ExecNode => {
  const node = execNodes(rollback).find((candidate) => candidate.id === id);
  if (node === undefined) throw new Error(`no node ${id}`);
  return node;
};

describe('runbooks/rollback.md', () => {
  test('checks clean: no errors and no warnings', () => {
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  test('keeps every line of the seed playbook, in order', () => {
    const lines = rollbackSource.split('\n');
    let cursor = 0;
    for (const line of seed.split('\n').filter((text) => text.trim() !== '')) {
      const found = lines.indexOf(line, cursor);
      expect(found, `seed line missing or out of order: ${line}`).toBeGreaterThanOrEqual(cursor);
      cursor = found + 1;
    }
  });

  test('has the eight sections of the seed, each with the nodes that carry it out', () => {
    expect(rollback.title).toBe('Rollback Playbook');
    expect(rollback.steps.map((step) => [step.number, step.title, stepNodes(step).map(describeNode)])).toEqual([
      [null, 'Trigger conditions', [
        'http#health[allow-failure]', 'bash#smoke_before[allow-failure]', 'http#dead_letters_before[allow-failure]', 'bash#e2e_before[allow-failure]',
        'checklist(1)', 'sh#no_trigger[confirm if]',
      ]],
      ['1)', 'Identify last known good commit', ['display#identify-last-known-good-commit-1', 'bash#deployment_history', 'bash#lkg_commit', 'bash#audit_note']],
      ['2)', 'Roll back code', [
        'bash#lkg_checkout[capture=LKG_DIR]', 'bash#redeploy_web[mutates confirm]', 'bash#redeploy_api[mutates confirm]', 'bash#redeploy_worker[mutates confirm]',
        'checklist(1)', 'bash#lkg_checkout_cleanup[allow-failure if]',
      ]],
      ['3)', 'Stabilize runtime flags', ['http#health_after_rollback[allow-failure]', 'bash#relax_s3_check[mutates confirm if]', 'http#auth_still_enforced', 'http#health_stable']],
      ['4)', 'Queue recovery', ['http#queue_stats', 'http#pause_ingestion[mutates confirm if]', 'http#dead_letters', 'checklist(1)', 'http#replay[mutates confirm if]', 'http#replay_settled[if]']],
      ['5)', 'Data integrity checks', ['bash#verify_backfill[allow-failure]', 'bash#backfill_unverified[if]', 'bash#enqueue_backfills[mutates confirm if]', 'bash#verify_backfill_after[if]']],
      ['6)', 'Validation after rollback', ['bash#smoke', 'bash#e2e', 'checklist(4)', 'http#resume_ingestion[mutates confirm if]']],
      ['7)', 'Incident follow-up', ['checklist(3)']],
    ]);
  });

  test('asks before each redeploy, naming the service and the commit', () => {
    for (const service of ['web', 'api', 'worker']) {
      const node = byId(`redeploy_${service}`);
      expect(node.attributes.confirm).toBe(`Redeploy ${service} at the last known good commit $LKG_SHA?`);
      expect(node.code).toBe(`railway up "$LKG_DIR" --service ${service} --ci`);
    }
  });

  test('relaxes the S3 startup check only when the rolled-back API reports storage failing', () => {
    const node = byId('relax_s3_check');
    expect(node.attributes.if).toBe("health_after_rollback.failed && has(health_after_rollback.json.checks) && health_after_rollback.json.checks.storage != 'ok'");
    expect(node.code).toBe('railway variables --service api --set S3_STARTUP_CHECK_STRICT=false');
  });

  test('keeps secrets in secret inputs and uses variables, not literals, for production origins', () => {
    const {inputs, env} = rollback.frontmatter;
    expect(Object.values(inputs).filter((input) => input.secret).map((input) => input.name)).toEqual(['OPS_TOKEN', 'DATABASE_URL']);
    expect(env).toEqual({API_ORIGIN: 'https://api.kezilu.com', WEB_ORIGIN: 'https://kezilu.com', APP_DIR: '.'});
    for (const node of execNodes(rollback)) {
      expect(node.code, node.id).not.toContain('kezilu.com');
      if (node.executor === 'shell') expect(node.code, node.id).not.toMatch(/\{\{/);
    }
    const deadLetters = byId('dead_letters');
    expect(deadLetters.executor === 'http' ? deadLetters.request.headers : undefined).toEqual([{name: 'Authorization', value: 'Bearer {{OPS_TOKEN}}'}, {name: 'Accept', value: 'application/json'}]);
  });
});

describe('runbooks/examples', () => {
  const examples = readdirSync(join(repoRoot, 'runbooks', 'examples')).filter((name) => name.endsWith('.md')).sort();

  test('there are examples of the dialect', () => {
    expect(examples).toEqual(['disk-cleanup.md', 'hello.md', 'http-health.md', 'inputs-and-secrets.md']);
  });

  test.each(examples)('%s checks clean', (name) => {
    const path = `runbooks/examples/${name}`;
    const {runbook, diagnostics: found} = parseRunbook(readFileSync(join(repoRoot, path), 'utf8'), path);
    expect(found.map(formatDiagnostic)).toEqual([]);
    expect(execNodes(runbook).length).toBeGreaterThan(0);
  });
});
