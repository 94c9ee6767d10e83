import {describe, expect, it} from 'vitest';
import {autoOperator} from '../../src/engine/auto-operator.js';
import type {NodeEndEvent} from '../../src/engine/events.js';
import type {Operator} from '../../src/engine/operator.js';
import {applyDefaults, resolveVariables} from '../../src/engine/variables.js';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {outline, play} from './helpers.js';

const nodeEnd = (events: readonly {type: string}[], id: string): NodeEndEvent =>
  events.filter((event): event is NodeEndEvent => event.type === 'node-end' && (event as NodeEndEvent).nodeId === id).at(-1) as NodeEndEvent;

// The disk-usage check of issue 8: untyped, `"24" > "100"` compared text and
// the cleanup ran with 24 % used; typed, conditions compare numbers.
const cleanup = [
  '---',
  'env:',
  '  MAX_USED_PCT: {value: 100, type: integer}',
  '---',
  '## Check the disk',
  '```sh {#usage capture=USED_PCT:integer}',
  'echo 24',
  '```',
  '```sh {#cleanup if="USED_PCT > MAX_USED_PCT" mutates confirm=false}',
  'echo cleaning',
  '```',
  '```sh {#fine if="USED_PCT < MAX_USED_PCT"}',
  'echo "$USED_PCT is below $MAX_USED_PCT"',
  '```',
].join('\n');

describe('typed values', () => {
  it('compares a typed capture with a typed env value as integers: 24 < 100', async () => {
    const {events, result} = await play(cleanup);
    expect(result.outcome).toBe('passed');
    expect(nodeEnd(events, 'usage').captures).toEqual({USED_PCT: '24'});
    expect(nodeEnd(events, 'cleanup')).toMatchObject({outcome: 'skipped', reason: 'if="USED_PCT > MAX_USED_PCT" is false'});
    // shell nodes still get the values as strings
    expect(events).toContainEqual({type: 'output', nodeId: 'fine', stream: 'stdout', text: '24 is below 100\n'});
  });

  it('warns in check when the same values are untyped, where the condition compares text', () => {
    const untyped = cleanup.replace('{value: 100, type: integer}', '100').replace('capture=USED_PCT:integer', 'capture=USED_PCT');
    expect(parseRunbook(untyped, 'disk.md').diagnostics.map(formatDiagnostic)).toEqual([
      'disk.md:9:21: warning: Unexpected `>` on text in condition `USED_PCT > MAX_USED_PCT`: `USED_PCT` has no `type`, so it is a string and `>` compares text (`"24" > "100"` is true); declare the capture\'s type, such as `capture=USED_PCT:integer` [untyped-comparison]',
      'disk.md:12:18: warning: Unexpected `<` on text in condition `USED_PCT < MAX_USED_PCT`: `USED_PCT` has no `type`, so it is a string and `<` compares text (`"24" > "100"` is true); declare the capture\'s type, such as `capture=USED_PCT:integer` [untyped-comparison]',
    ]);
    // and compared with a number, it is an error
    const withNumber = untyped.replace('USED_PCT < MAX_USED_PCT', 'USED_PCT < 100');
    expect(parseRunbook(withNumber, 'disk.md').diagnostics.map(formatDiagnostic).at(-1)).toBe(
      'disk.md:12:18: error: Unexpected types in condition `USED_PCT < 100`: no such overload: string < int; `USED_PCT` is a string (without a `type`, variables and captures are strings): declare the capture\'s type, such as `capture=USED_PCT:integer`, or compare it with a string [condition-type]');
  });

  it('gives conditions typed inputs from --set as integers, numbers, booleans and durations', async () => {
    const {events, result} = await play([
      '---',
      'inputs:',
      '  REPLICAS: {type: integer}',
      '  RATIO: {type: number}',
      '  DRY_RUN: {type: boolean, default: false}',
      '  WAIT: {type: duration, default: 90s}',
      '---',
      '## Decide',
      '```sh {#scale if="REPLICAS >= 10 && RATIO > 0.5 && !DRY_RUN && WAIT > duration(\'1m\') && WAIT < duration(\'2m\')"}',
      'echo "scale $REPLICAS $RATIO $DRY_RUN $WAIT"',
      '```',
      '```sh {#small if="REPLICAS < 9"}',
      'echo never',
      '```',
    ].join('\n'), {sources: {set: {REPLICAS: '12', RATIO: '0.75'}}});
    expect(result.outcome).toBe('passed');
    expect(events).toContainEqual({type: 'output', nodeId: 'scale', stream: 'stdout', text: 'scale 12 0.75 false 90s\n'});
    expect(nodeEnd(events, 'small').outcome).toBe('skipped');
  });

  it('fails a node whose typed capture is not of its type, saying what it got', async () => {
    const {events, result} = await play([
      '## Measure',
      '```sh {#usage capture=USED_PCT:integer}',
      'echo 24%',
      '```',
      '```sh {#after}',
      'echo never',
      '```',
    ].join('\n'));
    expect(result.outcome).toBe('failed');
    expect(nodeEnd(events, 'usage')).toMatchObject({outcome: 'failed', exitCode: 0, reason: 'capture `USED_PCT` expected an integer, got `24%`', captures: {}});
    expect(outline(events)).not.toContain('node-start after#1');
  });

  it('never shows the value of a secret typed capture that is not of its type', async () => {
    const {events} = await play([
      '## Measure',
      '```sh {#token capture=TOKEN:integer secret}',
      'echo "s3cr3t-$((6 * 7))"',
      '```',
    ].join('\n'));
    expect(nodeEnd(events, 'token').reason).toBe('capture `TOKEN` expected an integer, got its output (not shown: the capture is secret)');
    expect(JSON.stringify(events)).not.toContain('s3cr3t-42');
  });

  it('asks again when a typed value from the prompt is not of its type, saying what is expected', async () => {
    const answers = ['24%', '24'];
    const problems: (string | undefined)[] = [];
    const operator: Operator = {
      ...autoOperator,
      kind: 'operator',
      input: async ({problem}) => {
        problems.push(problem);
        return {decision: 'value', value: answers.shift() ?? ''};
      },
    };
    const {events, result} = await play([
      '---',
      'inputs:',
      '  USED_PCT: {type: integer}',
      '---',
      '## Decide',
      '```sh {#low if="USED_PCT < 100"}',
      'echo "low: $USED_PCT"',
      '```',
    ].join('\n'), {operator});
    expect(result.outcome).toBe('passed');
    expect(problems).toEqual([undefined, 'expected an integer such as `42` or `-3`']);
    expect(events).toContainEqual({type: 'output', nodeId: 'low', stream: 'stdout', text: 'low: 24\n'});
  });

  it('refuses typed values from every source that are not of their type, naming the variable, the source and what is expected', () => {
    const {runbook} = parseRunbook([
      '---',
      'env:',
      '  MAX_USED_PCT: {value: 100, type: integer}',
      'inputs:',
      '  RATIO: {type: number}',
      '  DRY_RUN: {type: boolean, default: false}',
      '  WAIT: {type: duration, default: 90s}',
      '---',
      '## S',
    ].join('\n'), 'typed.md');
    const resolution = applyDefaults(resolveVariables(runbook, {
      set: {MAX_USED_PCT: '90%'},
      envFile: {RATIO: 'most'},
      environment: {DRY_RUN: 'yes', WAIT: '90'},
    }));
    expect(resolution.problems).toEqual([
      'MAX_USED_PCT: the value from --set is not valid: expected an integer such as `42` or `-3`',
      'RATIO: the value from --env-file is not valid: expected a number such as `0.75`, `12` or `1e3`',
      'DRY_RUN: the value from the environment is not valid: expected `true` or `false`',
      'WAIT: the value from the environment is not valid: expected a duration such as `500ms`, `10s`, `1.5m` or `1h`',
    ]);
  });
});
