// Bundles the CLI with esbuild: one start-up file plus lazily loaded chunks
// (the Ink UI is only loaded by `play` in a terminal), so `runbook` starts fast.
import {build} from 'esbuild';
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';

const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Rewrites files of a dependency as they are bundled. `patch` returns the new
// text, or undefined when what it replaces is not there: the build then
// fails, so a patch never lapses silently when the dependency changes.
function patchDependency(name, filter, patch) {
  return {
    name,
    setup(bundler) {
      bundler.onLoad({filter, namespace: 'file'}, async ({path}) => {
        const contents = patch(await readFile(path, 'utf8'));
        if (contents === undefined) throw new Error(`${path}: not as ${name} in scripts/build.mjs expects; update the patch`);
        return {loader: 'js', contents};
      });
    },
  };
}

// Replaces `text` exactly once.
function replaceOnce(source, text, replacement) {
  return source.split(text).length === 2 ? source.replace(text, replacement) : undefined;
}

const sourceOf = (path) => JSON.stringify(fileURLToPath(new URL(path, import.meta.url)));

// Ink's layout engine decodes its WebAssembly from a data: URL with fetch()
// when fetch exists; in Node that first loads the whole fetch
// implementation (~50 ms before the player's first frame). Its own
// fallback decodes the same base64 directly.
// Measured gain: a data: URL fetch costs 50 ms of CPU in Node 20 (0.135 s
// against 0.085 s for `node -e 0`, 5 runs each); on the first frame the
// pairs were within the noise (with 2,057 ms, without 1,728 ms median).
// Upstream (yoga-layout): "Decode the embedded WebAssembly without fetch()
// in Node: loading undici costs 50 ms before the first layout".
const yogaWithoutFetch = patchDependency('yoga-without-fetch', /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/, (source) =>
  replaceOnce(source, 'function ya(){return w||"function"!=typeof fetch?', 'function ya(){return true?'));

// Ink's text helpers each make an ICU grapheme segmenter when they load
// (about 20 ms for the first) and split every line of every frame with one;
// they get src/ui/grapheme-segmenter.ts's instead, which splits the
// player's usual text itself and makes an ICU one on the first string that
// needs it.
// Measured gain: first frame of rollback.md 1,575 ms with, 1,786 ms without
// (medians of 5 pairs, loaded machine).
const icuSegmenter = /new Intl\.Segmenter\((?:undefined,\s*\{\s*granularity:\s*(['"])grapheme\1\s*\})?\)/g;
const lazyGraphemeSegmenter = patchDependency('lazy-grapheme-segmenter', /node_modules[\\/](?:slice-ansi[\\/]tokenize-ansi|@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize|string-width[\\/]index)\.js$/, (source) => {
  const contents = source.replace(icuSegmenter, '__createGraphemeSegmenter()');
  if (contents === source || contents.includes('Intl.Segmenter')) return undefined;
  return `import {createGraphemeSegmenter as __createGraphemeSegmenter} from ${sourceOf('../src/ui/grapheme-segmenter.ts')};\n${contents}`;
});

// Between two cells with the same styles the escape-code diff Ink asks for
// is empty; src/ui/same-styles.ts says so without building three sets.
// Measured gain: first frame of rollback.md 1,781 ms with, 2,401 ms without.
// Upstream (@alcalzone/ansi-tokenize): "diffAnsiCodes: return early when
// both sides have the same codes".
const sameStylesFirst = patchDependency('same-styles-first', /node_modules[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]diff\.js$/, (source) => {
  const contents = replaceOnce(source, 'export function diffAnsiCodes(from, to) {', 'export function diffAnsiCodes(from, to) {\n    if (__sameStyles(from, to)) return [];');
  return contents === undefined ? undefined : `import {sameStyles as __sameStyles} from ${sourceOf('../src/ui/same-styles.ts')};\n${contents}`;
});

// mdast-util-from-markdown calls each token's handler with a fresh copy of
// its compile context (eight fields) plus the token's `sliceSerialize`: one
// object per event, about a tenth of all the memory a parse allocates, and
// 20–30% of `runbook check`'s time on a large runbook here (measured:
// `check` of a 5,000-step runbook 16.8 s with, 23.6 s without, 29 %). Every handler
// (its own, GFM's, frontmatter's) uses `this` only during the call, so one
// context per compile, with `sliceSerialize` set before each call, does the
// same. test/cli/bundle-parse.test.ts checks the bundle's models against
// the unpatched source's.
const oneCompileContext = patchDependency('one-compile-context', /node_modules[\\/]mdast-util-from-markdown[\\/]lib[\\/]index\.js$/, (source) => {
  const declared = replaceOnce(source, '    const listStack = [];', '    const listStack = [];\n    const __shared = {...context, sliceSerialize: undefined};');
  return declared === undefined ? undefined : replaceOnce(declared, [
    '        handler[events[index][1].type].call({',
    '          ...context,',
    '          sliceSerialize: events[index][2].sliceSerialize',
    '        }, events[index][1]);',
  ].join('\n'), '        __shared.sliceSerialize = events[index][2].sliceSerialize;\n        handler[events[index][1].type].call(__shared, events[index][1]);');
});

// Ink measures every string it draws with string-width, whose first use
// costs about 90 ms (see src/ui/simple-width.ts; measured: first frame of
// rollback.md 1,966 ms with, 2,178 ms without). Every import of it gets a
// stand-in that loads the real module on the first string that needs it;
// for the string-width Ink itself uses, strings simpleWidth can measure
// (checked against that version by test/ui/simple-width.test.ts) never do.
const inkStringWidth = createRequire(createRequire(import.meta.url).resolve('ink')).resolve('string-width');
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(bundler) {
    bundler.onResolve({filter: /^string-width$/}, async ({importer, kind, resolveDir, pluginData}) => {
      if (pluginData === 'real') return undefined;
      const real = await bundler.resolve('string-width', {importer, kind, resolveDir, pluginData: 'real'});
      if (real.errors.length > 0) return {errors: real.errors};
      return {path: real.path, namespace: 'lazy-string-width'};
    });
    bundler.onLoad({filter: /.*/, namespace: 'lazy-string-width'}, ({path}) => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: [
        path === inkStringWidth ? `import {simpleWidth} from ${sourceOf('../src/ui/simple-width.ts')};` : 'const simpleWidth = () => undefined;',
        'let measure;',
        'export default function stringWidth(text, options) {',
        "  const simple = options === undefined && typeof text === 'string' ? simpleWidth(text) : undefined;",
        '  if (simple !== undefined) return simple;',
        `  measure ??= require(${JSON.stringify(path)}).default;`,
        '  return measure(text, options);',
        '}',
      ].join('\n'),
    }));
  },
};

// For measuring what each patch gains (bench/patches.mjs):
// RUNBOOK_BUILD_WITHOUT=name,… leaves those patches out and
// RUNBOOK_BUILD_OUTDIR=DIR builds there instead of dist/.
const without = new Set((process.env['RUNBOOK_BUILD_WITHOUT'] ?? '').split(',').filter((name) => name !== ''));
// Each patch's gain, measured by bench/patches.mjs (5 alternating pairs on a
// loaded 2-core machine, so first-frame figures are ±300 ms): a patch stays
// only with a clear gain on the row it targets. Removed: zod-english-only
// (zod's message locales left out of the bundle): `check` of rollback.md
// took the same CPU with and without it (0.56–0.60 s, 5 runs each): V8
// only pre-parses the locales nothing calls.
const patches = [yogaWithoutFetch, lazyGraphemeSegmenter, sameStylesFirst, lazyStringWidth, oneCompileContext];
for (const name of without) if (!patches.some((patch) => patch.name === name)) throw new Error(`RUNBOOK_BUILD_WITHOUT: no patch named ${name}`);
const outdir = process.env['RUNBOOK_BUILD_OUTDIR'] ?? 'dist';

// dist/ is not emptied first: tests and a running CLI may be reading it while
// another build writes; chunk names carry content hashes, so nothing collides.
const result = await build({
  entryPoints: {cli: 'src/cli.ts'},
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // less to parse at start-up; the source map keeps stack traces readable
  // (RUNBOOK_BUILD_UNMINIFIED=1 for a profile that names functions)
  minify: process.env['RUNBOOK_BUILD_UNMINIFIED'] !== '1',
  jsx: 'automatic',
  define: {RUNBOOK_VERSION: JSON.stringify(version), 'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"'},
  banner: {js: "import {createRequire as __runbookCreateRequire} from 'node:module'; const require = __runbookCreateRequire(import.meta.url);"},
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  metafile: true,
  external: ['@lydell/node-pty', 'react-devtools-core'],
  plugins: patches.filter((patch) => !without.has(patch.name)),
});

// Chunks of earlier builds (other hashes) are removed once this build is in
// place; a CLI already running has loaded what it needs.
const current = new Set(Object.keys(result.metafile.outputs).map((path) => relative(outdir, path)));
for (const name of readdirSync(join(outdir, 'chunks'))) {
  const path = join('chunks', name);
  if (!current.has(path)) rmSync(join(outdir, path), {force: true});
}
