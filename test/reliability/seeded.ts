import {onTestFailed} from 'vitest';

// The reliability suite draws every random choice from one seed, so a failure
// is reproduced with `RUNBOOK_SEED=<seed> npx vitest run test/reliability/<file>`.
// `RUNBOOK_SOAK=1` (`npm run soak`) scales each file's counts up.

const defaultSeed = 20261202;

export const seed = parseSeed(process.env['RUNBOOK_SEED']);
export const soak = process.env['RUNBOOK_SOAK'] === '1';

// The count a case runs in CI, or when soaking.
export function times(ci: number, soaked: number): number {
  return soak ? soaked : ci;
}

function parseSeed(text: string | undefined): number {
  if (text === undefined || text === '') return defaultSeed;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`RUNBOOK_SEED=${text}: give an integer`);
  return value;
}

// Call inside a test: if it fails, the seed that reproduces it is printed.
export function printSeedOnFailure(): void {
  onTestFailed(() => {
    process.stderr.write(`\nreliability suite: reproduce with RUNBOOK_SEED=${seed}${soak ? ' RUNBOOK_SOAK=1' : ''}\n`);
  });
}

export interface Random {
  // [0, 1)
  next(): number;
  // an integer in [low, high]
  int(low: number, high: number): number;
  pick<T>(items: readonly T[]): T;
  // a new generator whose numbers depend on this seed and `label` only
  fork(label: string): Random;
}

// mulberry32: small, fast and good enough to spread test cases; not for secrets.
export function seeded(value: number = seed): Random {
  let state = value >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (low, high) => low + Math.floor(next() * (high - low + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from nothing');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    fork: (label) => seeded(hashLabel(value, label)),
  };
  return random;
}

function hashLabel(base: number, label: string): number {
  let hash = base >>> 0;
  for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}
