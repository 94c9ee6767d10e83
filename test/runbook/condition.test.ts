import {describe, expect, it} from 'vitest';
import {ConditionChecker, evaluateCondition, reservedNamesUsed} from '../../src/runbook/condition.js';

describe('ConditionChecker', () => {
  const checker = new ConditionChecker(['health', 'LKG_SHA', 'step-with-dashes']);

  it('accepts CEL over declared names', () => {
    expect(checker.check('health.failed || (health.status == 200 && LKG_SHA != "")')).toBeUndefined();
    expect(checker.check('has(health.exitCode) && size(LKG_SHA) >= 7')).toBeUndefined();
  });

  it('reports unknown names, syntax and type errors with offsets', () => {
    expect(checker.check('health.ok && nope')).toEqual({kind: 'unknown-name', message: 'Unknown variable: nope', offset: 13});
    expect(checker.check('health.ok &&')).toEqual({kind: 'syntax', message: 'Unexpected token: EOF', offset: 12});
    expect(checker.check('health.ok && 1 + "a"')).toEqual({kind: 'type', message: 'no such overload: int + string', offset: 13});
  });
});

describe('evaluateCondition', () => {
  it('evaluates to a boolean and returns errors as data', () => {
    expect(evaluateCondition('health.failed && health.exitCode == 7', {health: {failed: true, exitCode: 7n}})).toEqual({ok: true, value: true});
    expect(evaluateCondition('health.status', {health: {status: 200n}})).toEqual({ok: false, message: 'condition `health.status` gave an int, expected true or false'});
    expect(evaluateCondition('missing.ok', {})).toMatchObject({ok: false});
  });

  it('says in words why text cannot be compared with a number, and what to do', () => {
    expect(evaluateCondition('USED_PCT > 90', {USED_PCT: '24'})).toEqual({ok: false,
      message: '`>` cannot take a string and an int (no such overload: dyn<string> > int); values without a `type` are strings: declare the type of the input, env value or capture'});
  });
});

describe('reservedNamesUsed', () => {
  const defined = new Set(['type', 'int', 'health', 'uint']);
  it('finds defined names that CEL reserves, where they stand as names', () => {
    expect(reservedNamesUsed("type == 'full' && int.ok", defined)).toEqual([{name: 'type', offset: 0}, {name: 'int', offset: 18}]);
  });

  it('leaves out calls, fields, string literals and names the runbook does not define', () => {
    const expression = "int (health.type) == 1 && health . int == 2 && 'type' != \"int\" && '''a ' type''' != r'\\' && string(x) == '' && uint";
    expect(reservedNamesUsed(expression, defined)).toEqual([{name: 'uint', offset: expression.length - 4}]);
  });
});
