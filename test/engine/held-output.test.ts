import {describe, expect, it} from 'vitest';
import {HeldOutput} from '../../src/engine/held-output.js';

describe('HeldOutput', () => {
  it('gives back everything held, in order, and is empty afterwards', () => {
    const held = new HeldOutput(100);
    held.add('one\n');
    held.add('two\n');
    expect(held.release()).toBe('one\ntwo\n');
    expect(held.release()).toBe('');
  });

  it('keeps no more than its limit and says how much it left out', () => {
    const held = new HeldOutput(8);
    held.add('12345');
    held.add('67890');
    held.add('abc');
    expect(held.release()).toBe('12345678\n[runbook: 5 more characters not shown: a secret capture\'s stderr is held until its secret is known, up to 8 characters]\n');
  });
});
