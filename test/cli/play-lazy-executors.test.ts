import {build} from 'esbuild';
import {describe, expect, it} from 'vitest';

// What `play` loads before its first frame: the modules its entry reaches
// through static imports. execa and undici come with the first node that
// needs them, never before.
describe('what play loads at start-up', () => {
  it('reaches neither execa nor undici but through a lazy import', async () => {
    const result = await build({
      entryPoints: ['src/commands/play.ts'], bundle: true, splitting: true, write: false, outdir: '/tmp/runbook-play-lazy',
      platform: 'node', format: 'esm', metafile: true, packages: 'external', logLevel: 'silent', jsx: 'automatic',
    });
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((path) => outputs[path]?.entryPoint === 'src/commands/play.ts');
    const reached = new Set<string>();
    const visit = (path: string): void => {
      if (reached.has(path)) return;
      reached.add(path);
      for (const imported of outputs[path]?.imports ?? []) {
        if (imported.kind !== 'import-statement') continue;
        if (imported.external) reached.add(imported.path);
        else visit(imported.path);
      }
    };
    visit(entry ?? '');
    expect(entry).toBeDefined();
    expect([...reached].filter((path) => path === 'execa' || path === 'undici')).toEqual([]);
    // and they are in the bundle, lazily
    expect(Object.values(outputs).some((output) => output.imports.some((imported) => imported.path === 'execa'))).toBe(true);
  });
});
