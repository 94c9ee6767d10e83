// Bundles the CLI with esbuild: one start-up file plus lazily loaded chunks
// (the Ink UI is only loaded by `play` in a terminal), so `runbook` starts fast.
import {build} from 'esbuild';
import {readFileSync} from 'node:fs';

const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// dist/ is not emptied first: tests and a running CLI may be reading it while
// another build writes; chunk names carry content hashes, so nothing collides.
await build({
  entryPoints: {cli: 'src/cli.ts'},
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic',
  define: {RUNBOOK_VERSION: JSON.stringify(version), 'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"'},
  banner: {js: "import {createRequire as __runbookCreateRequire} from 'node:module'; const require = __runbookCreateRequire(import.meta.url);"},
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  external: ['@lydell/node-pty', 'react-devtools-core'],
});
