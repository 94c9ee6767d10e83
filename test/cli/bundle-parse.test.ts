import fc from 'fast-check';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {generateRunbook} from '../../bench/parse.js';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {runbookExports} from '../../src/runbook/carried-names.js';
import {toJsonModel} from '../../src/runbook/json-model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {checkDiagnostics} from '../../src/runbook/shell-check.js';
import {runbookMarkdown, sectionedMarkdown} from '../runbook/arbitrary-markdown.js';
import {repositoryRoot, runCli} from './run-cli.js';

// The built CLI parses with dependencies that scripts/build.mjs patches for
// speed; the tests of src/ run them unpatched. The two must build the same
// model and the same diagnostics, on real runbooks and on arbitrary text.
const directory = mkdtempSync(join(tmpdir(), 'runbook-bundle-parse-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));

function markdownFiles(folder: string): string[] {
  return readdirSync(join(repositoryRoot, folder), {recursive: true, encoding: 'utf8'})
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(folder, name));
}

const realRunbooks = [...markdownFiles('runbooks'), ...markdownFiles('test/fixtures')];
const arbitrary = [
  ...fc.sample(runbookMarkdown, {seed: 20261129, numRuns: 150}),
  ...fc.sample(sectionedMarkdown, {seed: 20261129, numRuns: 150}),
];

async function sourceModel(text: string, path: string): Promise<unknown> {
  const {runbook} = parseRunbook(text, path);
  return JSON.parse(JSON.stringify(toJsonModel(runbook, await runbookExports(runbook))));
}

// as `runbook check` reports them: the parser's and the shell parser's
async function sourceDiagnostics(text: string, path: string): Promise<unknown[]> {
  return JSON.parse(JSON.stringify(await checkDiagnostics(parseRunbook(text, path), text))) as unknown[];
}

// Writes `text` and returns it as the CLI will read it (lone surrogates of
// arbitrary strings become U+FFFD in UTF-8). A NUL makes a file binary, which
// the CLI refuses: written as U+FFFD, which is what the parser reads it as.
function written(path: string, text: string): string {
  writeFileSync(path, text.replaceAll('\u0000', '\uFFFD'));
  return readFileSync(path, 'utf8');
}

describe('the bundled parser', () => {
  it('builds the same model as the source, for real runbooks, all of them in one document, and a generated one', async () => {
    const together = realRunbooks.map((path) => readFileSync(join(repositoryRoot, path), 'utf8')).join('\n\n');
    const cases = [
      ['runbooks/rollback.md', readFileSync(join(repositoryRoot, 'runbooks/rollback.md'), 'utf8')],
      [join(directory, 'together.md'), together],
      [join(directory, 'generated.md'), generateRunbook(300)],
    ] as const;
    for (const [path, text] of cases) {
      if (path.startsWith(directory)) writeFileSync(path, text);
      const result = await runCli(['list', '--json', path], {cwd: repositoryRoot});
      expect(JSON.parse(result.stdout)).toEqual(await sourceModel(text, path));
      expect(result.stderr).toBe(parseRunbook(text, path).diagnostics.map((diagnostic) => `${formatDiagnostic(diagnostic)}\n`).join(''));
    }
  }, 120_000);

  it('gives the same diagnostics as the source, file by file', async () => {
    const files = [
      ...realRunbooks.map((path) => ({path, text: readFileSync(join(repositoryRoot, path), 'utf8')})),
      ...arbitrary.map((text, index) => {
        const path = join(directory, `arbitrary-${index}.md`);
        return {path: relative(repositoryRoot, path), text: written(path, text)};
      }),
    ];
    const result = await runCli(['check', '--json', ...files.map(({path}) => path)], {cwd: repositoryRoot});
    const expected: unknown[] = [];
    for (const {path, text} of files) expected.push(...await sourceDiagnostics(text, path));
    expect(JSON.parse(result.stdout)).toEqual(expected);
  }, 120_000);

  it('builds the same model as the source for one document of arbitrary text', async () => {
    const path = join(directory, 'arbitrary.md');
    const text = written(path, arbitrary.join('\n\n'));
    const result = await runCli(['list', '--json', path], {cwd: repositoryRoot});
    expect(JSON.parse(result.stdout)).toEqual(await sourceModel(text, path));
  }, 120_000);
});
