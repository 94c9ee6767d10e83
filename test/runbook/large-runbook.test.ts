import {describe, expect, it} from 'vitest';
import {generateRunbook} from '../../bench/parse.js';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {allNodes, allSteps} from '../../src/runbook/walk.js';

// The benchmark's runbook must stay valid, or the benchmark measures error
// paths. No timing here: machines are noisy; `node --import tsx bench/parse.ts` times it.
describe('a generated 5,000-step runbook', () => {
  it('parses without diagnostics into 5,000 steps', () => {
    const source = generateRunbook(5000);
    expect(source.length).toBeGreaterThan(2_000_000);
    const {runbook, diagnostics} = parseRunbook(source, 'generated.md');
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(runbook.steps).toHaveLength(5000);
    expect(allSteps(runbook).at(-1)?.title).toBe('Check service 5000');
    const nodes = allNodes(runbook);
    expect(nodes.filter((node) => node.kind === 'exec')).toHaveLength(10_000);
    expect(nodes.filter((node) => node.kind === 'checklist')).toHaveLength(5000);
    expect(nodes.filter((node) => node.kind === 'display')).toHaveLength(1000);
  }, 600_000);
});
