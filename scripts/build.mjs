// Bundles the CLI with esbuild: one start-up file plus lazily loaded chunks
// (the Ink UI is only loaded by `play` in a terminal), so `runbook` starts fast.
import {build} from 'esbuild';
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import {join, relative} from 'node:path';

const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// dist/ is not emptied first: tests and a running CLI may be reading it while
// another build writes; chunk names carry content hashes, so nothing collides.
const result = await build({
  entryPoints: {cli: 'src/cli.ts'},
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // less to parse at start-up; the source map keeps stack traces readable
  minify: true,
  jsx: 'automatic',
  define: {RUNBOOK_VERSION: JSON.stringify(version), 'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"'},
  banner: {js: "import {createRequire as __runbookCreateRequire} from 'node:module'; const require = __runbookCreateRequire(import.meta.url);"},
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  metafile: true,
  external: ['@lydell/node-pty', 'react-devtools-core'],
});

// Chunks of earlier builds (other hashes) are removed once this build is in
// place; a CLI already running has loaded what it needs.
const current = new Set(Object.keys(result.metafile.outputs).map((path) => relative('dist', path)));
for (const name of readdirSync('dist/chunks')) {
  const path = join('chunks', name);
  if (!current.has(path)) rmSync(join('dist', path), {force: true});
}
