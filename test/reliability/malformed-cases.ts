import {execFileSync} from 'node:child_process';
import {chmodSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

// Malformed and odd runbooks, each with what `runbook check` and `runbook
// list` must make of it: a positioned error (exit 2), or acceptance with
// the right meaning (the node kinds `list` shows, in order).

export type Expected =
  // exit 2; `check` prints `name:line:column: error: …` matching `message`
  // (`alone`: and nothing else, the one mistake is said once)
  | {readonly error: string; readonly line: number; readonly column: number; readonly message: RegExp; readonly alone?: boolean}
  // exit 2 before parsing (the file cannot be read as a runbook): one line naming the file
  | {readonly refused: RegExp}
  // exit 0; `list` shows these node kinds per step (`sh`, `http`, `display`, `checklist`)
  | {readonly accepted: readonly (readonly string[])[]; readonly warning?: RegExp};

export interface MalformedCase {
  readonly name: string;
  // the file's bytes, or how to make it in `dir` (returns the path to give the CLI)
  readonly content: string | Uint8Array | ((dir: string, file: string) => string);
  readonly expected: Expected;
  // why the case cannot run here (root ignores chmod), checked when it runs
  readonly skip?: () => string | undefined;
}

const fm = (yaml: string, body = '# T\n\n## A\n\n```sh\necho a\n```\n'): string => `---\n${yaml}\n---\n${body}`;
const step = (content: string): string => `# T\n\n## A\n\n${content}\n`;
const sh = (info: string, code = 'echo a'): string => step(`\`\`\`sh ${info}\n${code}\n\`\`\``);
const http = (request: string): string => step(`\`\`\`http\n${request}\n\`\`\``);
const utf16 = (text: string, endian: 'le' | 'be'): Uint8Array => {
  const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');
  if (endian === 'be') bytes.swap16();
  return bytes;
};
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1ffb9ee0000000049454e44ae426082', 'hex');
// a fixed pseudo-random byte soup (a linear congruential generator)
const randomBytes = (count: number, seed: number): Uint8Array => {
  const bytes = new Uint8Array(count);
  let state = seed;
  for (let index = 0; index < count; index += 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    bytes[index] = state >> 16 & 0xff;
  }
  return bytes;
};
const err = (line: number, column: number, error: string, message: RegExp): Expected => ({error, line, column, message});
const only = (line: number, column: number, error: string, message: RegExp): Expected => ({error, line, column, message, alone: true});
const ok = (...steps: (readonly string[])[]): Expected => ({accepted: steps});
const okWarn = (warning: RegExp, ...steps: (readonly string[])[]): Expected => ({accepted: steps, warning});

export const malformedCases: readonly MalformedCase[] = [
  // frontmatter: YAML syntax
  {name: 'yaml-unclosed-quote', content: fm('title: "Rollback'), expected: err(2, 8, 'yaml-syntax', /Missing closing "quote/)},
  {name: 'yaml-unclosed-flow-map', content: fm('env: {A: 1'), expected: err(2, 6, 'yaml-syntax', /./)},
  {name: 'yaml-unclosed-flow-seq', content: fm('inputs:\n  A: {choices: [a, b}'), expected: err(3, 16, 'yaml-syntax', /./)},
  {name: 'yaml-bad-indent', content: fm('env:\n  A: 1\n   B: 2'), expected: err(3, 6, 'yaml-syntax', /./)},
  {name: 'yaml-tab-indent', content: fm('env:\n\tA: 1'), expected: only(3, 1, 'yaml-syntax', /Tabs are not allowed/)},
  {name: 'yaml-duplicate-key', content: fm('title: A\ntitle: B'), expected: err(3, 1, 'yaml-syntax', /unique/)},
  {name: 'yaml-colon-in-title', content: fm('title: Fix: now'), expected: err(2, 8, 'yaml-syntax', /./)},
  {name: 'yaml-undefined-alias', content: fm('title: *nope'), expected: err(2, 8, 'yaml-syntax', /./)},
  {name: 'yaml-a-list', content: fm('- a\n- b'), expected: err(2, 1, 'frontmatter-schema', /expected a YAML map/)},
  {name: 'yaml-a-scalar', content: fm('just words'), expected: err(2, 1, 'frontmatter-schema', /expected a YAML map/)},
  {name: 'yaml-unclosed-frontmatter', content: '---\ntitle: T\n# T\n\n## A\n\n```sh\necho a\n```\n', expected: err(1, 1, 'unclosed-frontmatter', /./)},
  {name: 'yaml-not-at-top', content: '\n---\ntitle: T\n---\n# T\n\n## A\n\n```sh\necho a\n```\n', expected: err(2, 1, 'misplaced-frontmatter', /./)},
  {name: 'yaml-empty', content: fm(''), expected: ok(['sh'])},
  {name: 'yaml-only-comment', content: fm('# nothing'), expected: ok(['sh'])},
  // frontmatter: wrong types
  {name: 'type-title-number', content: fm('title: 42'), expected: err(2, 1, 'frontmatter-schema', /title/)},
  {name: 'type-title-list', content: fm('title: [a, b]'), expected: err(2, 1, 'frontmatter-schema', /title/)},
  {name: 'type-shell-number', content: fm('shell: 5'), expected: err(2, 1, 'frontmatter-schema', /shell/)},
  {name: 'type-shell-with-args', content: fm('shell: bash -e'), expected: err(2, 1, 'frontmatter-schema', /interpreter/)},
  {name: 'type-env-list', content: fm('env: [A, B]'), expected: err(2, 1, 'frontmatter-schema', /env/)},
  {name: 'type-env-string', content: fm('env: A=1'), expected: err(2, 1, 'frontmatter-schema', /env/)},
  {name: 'type-env-value-list', content: fm('env:\n  A: [1, 2]'), expected: err(3, 3, 'frontmatter-schema', /env\.A/)},
  {name: 'type-env-value-empty', content: fm('env:\n  A:'), expected: err(3, 3, 'frontmatter-schema', /env\.A/)},
  {name: 'type-env-typed-unknown-key', content: fm('env:\n  A: {value: 1, typ: integer}'), expected: err(3, 17, 'frontmatter-schema', /typ/)},
  {name: 'type-env-typed-no-value', content: fm('env:\n  A: {type: integer}'), expected: err(3, 3, 'frontmatter-schema', /value/)},
  {name: 'type-env-typed-bad-value', content: fm('env:\n  A: {value: abc, type: integer}'), expected: err(3, 7, 'invalid-default', /integer/)},
  {name: 'type-inputs-list', content: fm('inputs:\n  - A\n  - B'), expected: err(2, 1, 'frontmatter-schema', /inputs/)},
  {name: 'type-inputs-string', content: fm('inputs: A'), expected: err(2, 1, 'frontmatter-schema', /inputs/)},
  {name: 'type-input-secret-string', content: fm('inputs:\n  A: {secret: "yes"}'), expected: err(3, 7, 'frontmatter-schema', /secret/)},
  {name: 'type-input-required-string', content: fm('inputs:\n  A: {required: no}'), expected: err(3, 7, 'frontmatter-schema', /required/)},
  {name: 'type-input-unknown-type', content: fm('inputs:\n  A: {type: float}'), expected: err(3, 7, 'frontmatter-schema', /type/)},
  {name: 'type-input-empty-choices', content: fm('inputs:\n  A: {choices: []}'), expected: err(3, 7, 'frontmatter-schema', /choice/)},
  {name: 'type-input-bad-pattern', content: fm('inputs:\n  A: {pattern: "("}'), expected: err(3, 7, 'frontmatter-schema', /regular expression/)},
  {name: 'type-input-unknown-key', content: fm('inputs:\n  A: {descripton: x}'), expected: err(3, 7, 'frontmatter-schema', /descripton/)},
  {name: 'type-input-default-off-pattern', content: fm('inputs:\n  A: {pattern: "^[0-9]+$", default: abc}'), expected: err(3, 28, 'invalid-default', /abc/)},
  {name: 'type-input-default-not-a-choice', content: fm('inputs:\n  A: {choices: [eu, us], default: asia}'), expected: err(3, 26, 'invalid-default', /asia/)},
  {name: 'type-defaults-timeout-number', content: fm('defaults: {timeout: 5}'), expected: err(2, 12, 'frontmatter-schema', /duration/)},
  {name: 'type-defaults-retries-negative', content: fm('defaults: {retries: -1}'), expected: err(2, 12, 'frontmatter-schema', /whole number/)},
  {name: 'type-defaults-retries-fraction', content: fm('defaults: {retries: 1.5}'), expected: err(2, 12, 'frontmatter-schema', /whole number/)},
  {name: 'type-defaults-retries-string', content: fm('defaults: {retries: "3"}'), expected: only(2, 12, 'frontmatter-schema', /`"3"` .*without quotes/)},
  {name: 'type-defaults-unknown-key', content: fm('defaults: {timout: 5m}'), expected: err(2, 12, 'frontmatter-schema', /timout/)},
  {name: 'type-defaults-list', content: fm('defaults: [5m]'), expected: err(2, 1, 'frontmatter-schema', /defaults/)},
  {name: 'unknown-frontmatter-key', content: fm('inptus: {A: x}'), expected: okWarn(/did you mean `inputs`/, ['sh'])},
  // frontmatter: variable names
  {name: 'var-name-dash', content: fm('env:\n  MY-VAR: 1'), expected: err(3, 3, 'frontmatter-schema', /variable name/)},
  {name: 'var-name-digit-first', content: fm('inputs:\n  1A: x'), expected: err(3, 3, 'frontmatter-schema', /variable name/)},
  {name: 'var-name-space', content: fm('env:\n  "A B": 1'), expected: err(3, 3, 'frontmatter-schema', /variable name/)},
  {name: 'var-in-env-and-inputs', content: fm('env: {A: 1}\ninputs: {A: x}'), expected: err(3, 10, 'duplicate-variable', /both/)},
  // attributes
  {name: 'attr-unknown', content: sh('{timout=5s}'), expected: err(5, 8, 'unknown-attribute', /did you mean `timeout`/)},
  {name: 'attr-duplicate', content: sh('{retries=1 retries=2}'), expected: err(5, 18, 'duplicate-attribute', /second `retries`/)},
  {name: 'attr-unclosed-quote', content: sh('{confirm="Go?}'), expected: err(5, 16, 'attribute-syntax', /closing `"`/)},
  {name: 'attr-unclosed-brace', content: sh('{#a timeout=5s'), expected: err(5, 21, 'attribute-syntax', /`}`/)},
  {name: 'attr-bad-duration', content: sh('{timeout=abc}'), expected: err(5, 16, 'invalid-attribute', /duration/)},
  {name: 'attr-duration-too-long', content: sh('{timeout=48h}'), expected: err(5, 16, 'invalid-attribute', /up to 24h/)},
  {name: 'attr-retries-fraction', content: sh('{retries=3.5}'), expected: err(5, 16, 'invalid-attribute', /whole number/)},
  {name: 'attr-retries-too-many', content: sh('{retries=1000}'), expected: err(5, 16, 'invalid-attribute', /up to 100/)},
  {name: 'attr-boolean-word', content: sh('{mutates=yes}'), expected: err(5, 16, 'invalid-attribute', /`true` or `false`/)},
  {name: 'attr-empty-confirm', content: sh('{confirm=""}'), expected: err(5, 16, 'invalid-attribute', /empty `confirm`/)},
  {name: 'attr-flag-needs-value', content: sh('{timeout}'), expected: err(5, 8, 'invalid-attribute', /without a value/)},
  {name: 'attr-spaces-around-equals', content: sh('{timeout = 5s}'), expected: err(5, 15, 'attribute-syntax', /space around `=`/)},
  {name: 'attr-misplaced-on-http', content: step('```http {interactive}\nGET https://example.com/\n```'), expected: err(5, 10, 'misplaced-attribute', /interactive/)},
  {name: 'attr-without-braces', content: sh('#a timeout=5s'), expected: okWarn(/attributes in braces/, ['sh'])},
  {name: 'attr-text-before-braces', content: sh('foo {#a}'), expected: err(5, 7, 'attribute-syntax', /before the attributes/)},
  {name: 'attr-text-after-braces', content: sh('{#a} foo'), expected: err(5, 12, 'attribute-syntax', /after the attributes/)},
  {name: 'attr-empty-id', content: sh('{#}'), expected: err(5, 8, 'attribute-syntax', /without a name/)},
  {name: 'attr-equals-first', content: sh('{=x}'), expected: err(5, 8, 'attribute-syntax', /attribute name/)},
  {name: 'attr-unknown-on-display', content: step('```python {startFrom=10}\nprint(1)\n```'), expected: okWarn(/display-only/, ['display'])},
  {name: 'attr-step-comment-unknown', content: '# T\n\n## A\n<!-- runbook: iff="x" -->\n\n```sh\necho a\n```\n', expected: err(4, 15, 'unknown-attribute', /iff/)},
  {name: 'attr-step-comment-unclosed', content: '# T\n\n## A\n<!-- runbook: #a\n\n```sh\necho a\n```\n\n## B\n\n```sh\necho b\n```\n', expected: only(4, 1, 'unclosed-comment', /never closed/)},
  {name: 'attr-step-comment-misplaced', content: '# T\n\n## A\n\nText.\n\n<!-- runbook: #a -->\n\n```sh\necho a\n```\n', expected: okWarn(/directly under a step heading/, ['sh'])},
  // ids
  {name: 'id-duplicate', content: step('```sh {#a}\necho 1\n```\n\n```sh {#a}\necho 2\n```'), expected: err(9, 8, 'duplicate-id', /first used at 5:8/)},
  {name: 'id-duplicate-step-and-block', content: '# T\n\n## A\n<!-- runbook: #a -->\n\n```sh {#a}\necho 1\n```\n', expected: err(6, 8, 'duplicate-id', /first used at 4:15/)},
  {name: 'id-invalid-character', content: sh('{#a/b}'), expected: err(5, 8, 'invalid-id', /a\/b/)},
  {name: 'id-dot', content: sh('{#a.b}'), expected: err(5, 8, 'invalid-id', /a\.b/)},
  {name: 'id-digit-first', content: sh('{#1st}'), expected: err(5, 8, 'invalid-id', /1st/)},
  {name: 'id-non-ascii', content: sh('{#ünï}'), expected: err(5, 8, 'invalid-id', /ünï/)},
  {name: 'id-two', content: sh('{#a #b}'), expected: err(5, 11, 'duplicate-attribute', /second id/)},
  {name: 'id-dash-in-condition', content: step('```sh {#a-b}\necho 1\n```\n\n```sh {if="a-b.ok"}\necho 2\n```'), expected: err(9, 12, 'undefined-name', /without `-`/)},
  // headings and step names
  {name: 'step-empty-heading', content: '# T\n\n##\n\n```sh\necho a\n```\n', expected: okWarn(/heading without a title/, ['sh'])},
  {name: 'step-duplicate-titles', content: '# T\n\n## Check\n\n```sh\necho a\n```\n\n## Check\n\n```sh\necho b\n```\n', expected: ok(['sh'], ['sh'])},
  {name: 'step-without-nodes', content: '# T\n\n## Only prose\n\nSome words.\n\n## B\n\n```sh\necho b\n```\n', expected: ok([], ['sh'])},
  {name: 'step-number-only', content: '# T\n\n## 1)\n\n```sh\necho a\n```\n', expected: ok(['sh'])},
  {name: 'step-seven-hashes', content: '# T\n\n####### not a heading\n\n## A\n\n```sh\necho a\n```\n', expected: ok(['sh'])},
  {name: 'step-setext', content: 'T\n===\n\nA\n---\n\n```sh\necho a\n```\n', expected: ok(['sh'])},
  {name: 'step-deeper-first', content: '# T\n\n### Deep\n\n```sh\necho a\n```\n', expected: ok(['sh'])},
  {name: 'step-html-in-heading', content: '# T\n\n## A <!-- note -->\n\n```sh\necho a\n```\n', expected: ok(['sh'])},
  // fences
  {name: 'fence-unclosed-backtick', content: '# T\n\n## A\n\n```sh\necho a\n\n## B\n\n- [ ] x\n', expected: err(5, 1, 'unclosed-fence', /never closed/)},
  {name: 'fence-unclosed-tilde', content: '# T\n\n## A\n\n~~~sh\necho a\n\n## B\n', expected: err(5, 1, 'unclosed-fence', /never closed/)},
  {name: 'fence-closed-shorter', content: '# T\n\n## A\n\n````sh\necho a\n```\n\n## B\n', expected: err(5, 1, 'unclosed-fence', /````/)},
  {name: 'fence-closed-longer', content: '# T\n\n## A\n\n```sh\necho a\n`````\n', expected: ok(['sh'])},
  {name: 'fence-closed-by-other-char', content: '# T\n\n## A\n\n```sh\necho a\n~~~\n', expected: err(5, 1, 'unclosed-fence', /```/)},
  {name: 'fence-in-list-unclosed', content: '# T\n\n## A\n\n- item\n  ```sh\n  echo a\n\n## B\n\n```sh\necho b\n```\n', expected: ok(['sh'], ['sh'])},
  {name: 'fence-indented-code', content: '# T\n\n## A\n\n    echo a\n', expected: ok(['display'])},
  {name: 'fence-language-typo', content: step('```bahs\necho a\n```'), expected: okWarn(/did you mean `bash`/, ['display'])},
  {name: 'fence-unknown-language', content: step('```cobol\nDISPLAY "A".\n```'), expected: ok(['display'])},
  {name: 'fence-no-language', content: step('```\nplain\n```'), expected: ok(['display'])},
  {name: 'fence-upper-case-language', content: step('```SH\necho a\n```'), expected: ok(['sh'])},
  {name: 'fence-attributes-glued', content: step('```sh{#a}\necho a\n```'), expected: ok(['sh'])},
  {name: 'fence-empty-shell-block', content: step('```sh\n```'), expected: okWarn(/empty `sh` block/, ['sh'])},
  {name: 'fence-empty-http-block', content: step('```http\n```'), expected: err(5, 1, 'http-request', /empty http block/)},
  {name: 'fence-backticks-in-info', content: step('```sh `x`\necho a\n```'), expected: only(5, 7, 'invalid-fence', /backtick/)},
  // line endings and characters
  {name: 'crlf', content: '# T\r\n\r\n## A\r\n\r\n```sh {#a}\r\necho a\r\n```\r\n\r\n## B\r\n\r\n- [ ] x\r\n', expected: ok(['sh'], ['checklist'])},
  {name: 'cr-only', content: '# T\r\r## A\r\r```sh {#a}\recho a\r```\r\r## B\r\r- [ ] x\r', expected: ok(['sh'], ['checklist'])},
  {name: 'crlf-error-position', content: '# T\r\n\r\n## A\r\n\r\n```sh {timout=1s}\r\necho a\r\n```\r\n', expected: err(5, 8, 'unknown-attribute', /timout/)},
  {name: 'cr-only-error-position', content: '# T\r\r## A\r\r```sh {timout=1s}\recho a\r```\r', expected: err(5, 8, 'unknown-attribute', /timout/)},
  {name: 'mixed-line-ends', content: '# T\n\r\n## A\r\r```sh\necho a\r\n```\n', expected: ok(['sh'])},
  {name: 'bom-utf8', content: `\uFEFF${sh('{#a}')}`, expected: ok(['sh'])},
  {name: 'bom-utf16le', content: utf16(sh('{#a}'), 'le'), expected: {refused: /UTF-16/}},
  {name: 'bom-utf16be', content: utf16(sh('{#a}'), 'be'), expected: {refused: /UTF-16/}},
  {name: 'utf16le-without-bom', content: Buffer.from(sh('{#a}'), 'utf16le'), expected: {refused: /not UTF-8|binary|NUL/}},
  {name: 'bom-utf32le', content: Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('#\0\0\0')]), expected: {refused: /UTF-32|UTF-16|not UTF-8/}},
  {name: 'tabs', content: '# T\n\n## A\n\n\t- [ ] tabbed\n\n```sh\n\techo a\n```\n\n-\t[ ]\tx\n', expected: ok(['display', 'sh', 'checklist'])},
  {name: 'nul-byte', content: '# T\n\n## A\n\n```sh\necho a\0b\n```\n', expected: {refused: /NUL byte at 6:7/}},
  {name: 'png', content: png, expected: {refused: /binary|not UTF-8|not a text/}},
  {name: 'random-bytes', content: randomBytes(4096, 7), expected: {refused: /binary|not UTF-8|not a text/}},
  {name: 'invalid-utf8', content: Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9]), Buffer.from('\n\n## A\n\n```sh\necho a\n```\n')]), expected: err(1, 6, 'encoding', /UTF-8/)},
  {name: 'overlong-utf8', content: Buffer.concat([Buffer.from('# T\n\n## A\n\n```sh\necho '), Buffer.from([0xc0, 0xaf]), Buffer.from('\n```\n')]), expected: err(6, 6, 'encoding', /UTF-8/)},
  {name: 'control-characters', content: '# T\n\n## A\u001b[31m\n\n```sh\necho a\n```\n', expected: ok(['sh'])},
  // sizes and depths
  {name: 'line-10k', content: step(`${'word '.repeat(2000)}\n\n\`\`\`sh\necho a\n\`\`\``), expected: ok(['sh'])},
  {name: 'heading-10k', content: `# T\n\n## ${'a'.repeat(10_000)}\n\n\`\`\`sh\necho a\n\`\`\`\n`, expected: ok(['sh'])},
  {name: 'code-line-10k', content: sh('{#a}', `echo ${'x'.repeat(10_000)}`), expected: ok(['sh'])},
  {name: 'attributes-10k', content: sh(`{${'mutates '.repeat(1250)}}`), expected: err(5, 16, 'duplicate-attribute', /second `mutates`/)},
  {name: 'nested-lists-1000', content: `# T\n\n## A\n\n${Array.from({length: 1000}, (_, depth) => `${'  '.repeat(depth)}- x`).join('\n')}\n`, expected: err(105, 201, 'too-deep', /nested more than 100/)},
  {name: 'nested-quotes-1000', content: `# T\n\n## A\n\n${'>'.repeat(1000)} x\n`, expected: err(5, 1, 'too-deep', /nested more than 100/)},
  {name: 'nested-links-5000', content: `# T\n\n## A\n\n${'['.repeat(5000)}x${'](u)'.repeat(5000)}\n`, expected: ok([])},
  {name: 'nested-emphasis-10000', content: `# T\n\n## A\n\n${'*_'.repeat(10_000)}x${'_*'.repeat(10_000)}\n`, expected: err(5, 1001, 'too-deep', /more than 1000 emphasis markers/)},
  {name: 'size-50mb', content: (dir, file) => {
    writeFileSync(join(dir, file), `# T\n\n## A\n\n${'x'.repeat(50_000_000)}\n`);
    return file;
  }, expected: err(1, 1, 'too-large', /50 MB/)},
  {name: 'steps-1000', content: `# T\n\n${Array.from({length: 1000}, (_, index) => `## S${index}\n`).join('\n')}`, expected: ok(...Array.from({length: 1000}, () => []))},
  // nothing much
  {name: 'empty', content: '', expected: okWarn(/without steps/)},
  {name: 'whitespace-only', content: ' \n\t\n   \r\n', expected: okWarn(/without steps/)},
  {name: 'only-frontmatter', content: '---\ntitle: T\n---\n', expected: okWarn(/without steps/)},
  {name: 'only-title', content: '# T\n', expected: okWarn(/without steps/)},
  {name: 'only-prose', content: 'Just words.\n', expected: okWarn(/without steps/)},
  // not a regular file
  {name: 'directory', content: (dir, file) => {
    mkdirSync(join(dir, file));
    return file;
  }, expected: {refused: /it is a directory/}},
  {name: 'fifo', content: (dir, file) => {
    execFileSync('mkfifo', [join(dir, file)]);
    return file;
  }, expected: {refused: /it is a FIFO/}},
  {name: 'symlink-loop', content: (dir, file) => {
    symlinkSync(file, join(dir, file));
    return file;
  }, expected: {refused: /too many levels of symbolic links/}},
  {name: 'symlink-dangling', content: (dir, file) => {
    symlinkSync('nowhere.md', join(dir, file));
    return file;
  }, expected: {refused: /no such file/}},
  {name: 'missing', content: (_dir, file) => file, expected: {refused: /no such file/}},
  {name: 'no-read-permission', content: (dir, file) => {
    writeFileSync(join(dir, file), sh('{#a}'));
    chmodSync(join(dir, file), 0o200);
    return file;
  }, expected: {refused: /permission denied/}, skip: () => process.getuid?.() === 0 ? 'running as root, which reads a file whatever its mode' : undefined},
  {name: 'device-zero', content: () => '/dev/zero', expected: {refused: /it is a device/}},
  {name: 'device-via-symlink', content: (dir, file) => {
    symlinkSync('/dev/zero', join(dir, file));
    return file;
  }, expected: {refused: /it is a device/}},
  // conditions
  {name: 'if-syntax', content: sh('{if="a.ok &&"}'), expected: err(5, 19, 'condition-syntax', /./)},
  {name: 'if-empty', content: sh('{if=""}'), expected: only(5, 11, 'invalid-attribute', /Unexpected empty `if`, expected a condition/)},
  {name: 'if-undefined-name', content: sh('{if="nope.ok"}'), expected: err(5, 12, 'undefined-name', /nope/)},
  {name: 'if-type', content: sh('{#a if="1 + \'x\' == 2"}'), expected: err(5, 15, 'condition-type', /./)},
  {name: 'if-not-boolean', content: sh('{if="\'yes\'"}'), expected: err(5, 12, 'condition-type', /bool/)},
  {name: 'if-deep-parentheses', content: sh(`{if="${'('.repeat(500)}true${')'.repeat(500)}"}`), expected: only(5, 62, 'condition-syntax', /condition `\({60}…`: more than 50 levels/)},
  {name: 'if-step-id', content: '# T\n\n## A\n\n```sh {if="a.ok"}\necho a\n```\n', expected: err(5, 12, 'undefined-name', /step id/)},
  {name: 'if-reserved-name', content: step('```sh {#type}\necho a\n```\n\n```sh {if="type.ok"}\necho b\n```'), expected: err(9, 12, 'reserved-name', /type/)},
  {name: 'if-in-step-comment', content: '# T\n\n## A\n<!-- runbook: if="(" -->\n\n```sh\necho a\n```\n', expected: err(4, 20, 'condition-syntax', /./)},
  {name: 'if-unquoted-spaces', content: sh('{if=a.ok && b.ok}'), expected: only(5, 11, 'attribute-syntax', /`if="a\.ok && b\.ok"`/)},
  // captures
  {name: 'capture-digit-first', content: sh('{capture=1A}'), expected: err(5, 16, 'invalid-attribute', /variable name/)},
  {name: 'capture-dash', content: sh('{capture=MY-VAR}'), expected: err(5, 16, 'invalid-attribute', /variable name/)},
  {name: 'capture-bad-type', content: sh('{capture=A:float}'), expected: err(5, 16, 'invalid-attribute', /float/)},
  {name: 'capture-empty', content: sh('{capture=}'), expected: err(5, 8, 'attribute-syntax', /empty value/)},
  {name: 'capture-twice', content: step('```sh {capture=A}\necho 1\n```\n\n```sh {capture=A}\necho 2\n```'), expected: ok(['sh', 'sh'])},
  {name: 'capture-shadows-env', content: fm('env: {A: 1}', step('```sh {capture=A}\necho 1\n```')), expected: okWarn(/`A` is already in `env`, and the capture replaces its value/, ['sh'])},
  // http blocks
  {name: 'http-bad-method', content: http('FETCH https://example.com/'), expected: err(6, 1, 'http-request', /FETCH/)},
  {name: 'http-method-without-url', content: http('GET'), expected: only(6, 1, 'http-request', /`GET` without a URL/)},
  {name: 'http-relative-url', content: http('GET /health'), expected: err(6, 5, 'http-request', /URL/)},
  {name: 'http-url-without-scheme', content: http('GET example.com/health'), expected: err(6, 5, 'http-request', /URL/)},
  {name: 'http-ftp-url', content: http('GET ftp://example.com/'), expected: err(6, 5, 'http-request', /URL/)},
  {name: 'http-url-with-space', content: http('GET https://example.com/a b'), expected: err(6, 27, 'http-request', /%20/)},
  {name: 'http-template-url', content: fm('env: {API: https://example.com}', step('```http\nGET {{API}}/health\n```')), expected: ok(['http'])},
  {name: 'http-lower-case-method', content: http('get https://example.com/'), expected: ok(['http'])},
  {name: 'http-bad-header', content: http('GET https://example.com/\nContent-Type application/json'), expected: err(7, 1, 'http-request', /Name: value/)},
  {name: 'http-body-without-blank-line', content: http('POST https://example.com/\n{"a": 1}'), expected: err(7, 1, 'http-request', /blank line/)},
  {name: 'http-bad-assertion-operator', content: http('GET https://example.com/\n?? status = 200'), expected: err(7, 11, 'http-request', /operator/)},
  {name: 'http-assertion-subject-typo', content: http('GET https://example.com/\n?? stauts == 200'), expected: err(7, 4, 'http-request', /did you mean `status`/)},
  {name: 'http-undefined-template', content: http('GET https://example.com/{{NOPE}}'), expected: err(6, 27, 'undefined-name', /NOPE/)},
  {name: 'http-unclosed-template', content: http('GET https://example.com/{{NOPE'), expected: only(6, 25, 'http-request', /`\{\{` without a closing `\}\}`/)},
  // checklists
  {name: 'checklist-empty-item', content: step('- [ ]'), expected: ok([])},
  {name: 'checklist-nested', content: step('- [ ] a\n  - [x] b'), expected: ok(['checklist'])},
  {name: 'checklist-not-a-task', content: step('- [y] a'), expected: ok([])},
];
