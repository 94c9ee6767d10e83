import type {Code} from 'mdast';
import {closest} from './attributes/suggest.js';
import {executableLanguages} from './languages.js';

// Checks of one fenced block that need nothing but the block and the source:
// a fence never closed, a misspelt executable language.

const closingFence = /^[ \t>]*(`{3,}|~{3,})[ \t]*$/;

// The opening fence (``` or ~~~…) of a fenced block that is never closed and
// so runs to the end of the file; undefined for a closed or indented block,
// and for one that only runs to the end of its list item or quote (valid
// CommonMark, and it takes no later step with it).
export function unclosedFence(code: Code, source: string): string | undefined {
  const start = code.position?.start.offset ?? 0;
  const end = code.position?.end.offset ?? start;
  const text = source.slice(start, end);
  const opening = /^(`{3,}|~{3,})/.exec(text)?.[1];
  if (opening === undefined) return undefined;
  const lines = text.split(/\r\n|\r|\n/);
  const last = lines.length > 1 ? closingFence.exec(lines.at(-1) ?? '')?.[1] : undefined;
  if (last !== undefined && last[0] === opening[0] && last.length >= opening.length) return undefined;
  // only white space after it (found without copying the rest of the file)
  const more = /\S/g;
  more.lastIndex = end;
  return more.test(source) ? undefined : opening;
}

// Display languages a fence commonly names: never taken for a typo, however
// close to an executable one (`ts` and `rs` are one letter from `js`).
const displayLanguages = new Set([
  'apache', 'as', 'asm', 'awk', 'bat', 'batch', 'c', 'cfg', 'cjs', 'clj', 'clojure', 'cmake', 'cmd', 'conf', 'console', 'cpp', 'cs',
  'csh', 'csharp', 'css', 'csv', 'cue', 'dart', 'dash', 'diff', 'docker', 'dockerfile', 'dot', 'dotenv', 'elixir', 'env', 'erb', 'erl', 'erlang', 'ex',
  'exs', 'fish', 'fs', 'fsharp', 'gitignore', 'go', 'gql', 'graphql', 'groovy', 'h', 'haml', 'hbs', 'hcl', 'hs', 'haskell', 'html', 'ini',
  'java', 'javascript', 'jinja', 'jq', 'js-session', 'json', 'json5', 'jsonc', 'jsonl', 'jsx', 'kotlin', 'ksh', 'kt', 'latex', 'less', 'log', 'lua', 'make',
  'makefile', 'markdown', 'md', 'mdx', 'mermaid', 'mjs', 'ml', 'nginx', 'nix', 'none', 'ocaml', 'output', 'patch', 'perl', 'php', 'pl',
  'plain', 'plaintext', 'promql', 'properties', 'proto', 'protobuf', 'ps', 'ps1', 'psql', 'pwsh', 'powershell', 'py', 'python', 'r', 'rb', 'rego',
  'regex', 'rs', 'ruby', 'rust', 'sass', 'scala', 'scss', 'sed', 'sh-session', 'shell-session', 'shellsession', 'sql', 'ssh', 'svg', 'swift',
  'tcsh', 'terraform', 'tex', 'text', 'tf', 'toml', 'ts', 'tsv', 'tsx', 'txt', 'typescript', 'vb', 'vim', 'vue', 'xml', 'yaml', 'yml', 'zig',
]);

// The executable language a fence language is a likely misspelling of
// (`bahs` → `bash`, `javscript` → `js`), by edit distance; undefined for an executable or a
// known display language and for anything not close to one.
export function languageTypo(lang: string): string | undefined {
  const name = lang.toLowerCase();
  if (Object.hasOwn(executableLanguages, name) || displayLanguages.has(name)) return undefined;
  const suggestion = closest(name, [...Object.keys(executableLanguages), 'javascript']);
  // `javascript` is display-only itself: `js` runs
  return suggestion === 'javascript' ? 'js' : suggestion;
}
