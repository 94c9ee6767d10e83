import {describe, expect, it} from 'vitest';
import {closest} from '../../../src/runbook/attributes/suggest.js';

const keys = ['timeout', 'retries', 'interval', 'confirm', 'mutates', 'if', 'capture', 'cwd'];

describe('closest', () => {
  it('suggests the key one or two edits away', () => {
    expect(closest('retires', keys)).toBe('retries');
    expect(closest('timout', keys)).toBe('timeout');
    expect(closest('captur', keys)).toBe('capture');
    expect(closest('Confirm', keys)).toBe('confirm');
  });

  it('suggests nothing for names that are not near any key', () => {
    expect(closest('colour', keys)).toBeUndefined();
    expect(closest('startFrom', keys)).toBeUndefined();
  });

  it('allows a single edit only for short names', () => {
    expect(closest('cdw', keys)).toBe('cwd');
    expect(closest('xy', keys)).toBeUndefined();
  });
});
