import {readdirSync, readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {checkDiagnostics} from '../../src/runbook/shell-check.js';
import {allNodes} from '../../src/runbook/walk.js';

// Runme's own examples and fixtures, and its documentation, copied from
// /work/shared/corpus with their LICENSE and COMMIT (see test/fixtures/README.md).
const corpus = 'test/fixtures/corpus';
const collections = ['runme', 'docs.runme.dev'] as const;
const files = collections.flatMap((collection) =>
  readdirSync(`${corpus}/${collection}`).filter((name) => name.endsWith('.md')).sort().map((name) => `${corpus}/${collection}/${name}`));

const check = async (path: string) => {
  const source = readFileSync(path, 'utf8');
  const parsed = parseRunbook(source, path);
  return {parsed, diagnostics: await checkDiagnostics(parsed, source)};
};

describe('the Runme corpus', () => {
  it('holds Runme’s 12 examples, fixtures and docs and 6 pages of its docs', () => {
    expect(files.filter((path) => path.includes('/runme/'))).toHaveLength(12);
    expect(files.filter((path) => path.includes('/docs.runme.dev/'))).toHaveLength(6);
  });

  it.each(files)('%s checks with no errors', async (path) => {
    const {diagnostics} = await check(path);
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map(formatDiagnostic)).toEqual([]);
  });

  it.each(files)('%s is Runme-annotated', async (path) => {
    expect((await check(path)).parsed.runbook.runme).toBe(true);
  });

  // the named blocks of each file, in document order (their ULIDs are ids too)
  const names: Record<string, string[]> = {
    'runme/CONTRIBUTING.md': ['build', 'setup', 'lint', 'test', 'test-docker', 'server-dev', 'proto-dev', 'proto-dev-reset', 'proto-publish-buf'],
    'runme/README.md': ['update-brew', 'install-runme', 'install-npm', 'install-via-go', 'runme-list', 'runme-print', 'runme-help'],
    'runme/examples__README.md': ['echo', 'print-name', 'hello-js', 'a', 'b', 'c', 'generate'],
    'runme/examples__frontmatter__cwd__ABSOLUTE.md': ['absolute-pwd', 'absolute-rel-pwd', 'absolute-abs-pwd'],
    'runme/examples__grpc-samples__services.md': ['resolve-vars'],
    'runme/internal__owl__testdata__jwt.md': ['PAYLOAD', 'JWT'],
    'runme/internal__renderer__testdata__happy.md': ['install', 'docker-compose', 'run', 'watch', 'migrate', 'post-task', 'patch-task', 'post-feedback', 'patch-feedback', 'post-editor-config'],
    'runme/pkg__project__testdata__dir-project__readme.md': ['my-task'],
  };
  it.each(Object.entries(names))('%s keeps the names of its blocks as their ids', async (name, expected) => {
    const {runbook} = (await check(`${corpus}/${name}`)).parsed;
    const ids = allNodes(runbook).filter((node) => node.explicitId && !/^[0-9][0-9A-Z]{25}$/.test(node.id)).map((node) => node.id);
    expect(ids).toEqual(expected);
  });

  it('gives every block with a Runme ULID that ULID as its id, but where a name or a repeat wins', async () => {
    const {runbook} = (await check(`${corpus}/docs.runme.dev/docs__guide__k8s__sops.md`)).parsed;
    const source = readFileSync(`${corpus}/docs.runme.dev/docs__guide__k8s__sops.md`, 'utf8');
    const ulids = [...source.matchAll(/^```\w+ \{"id":"([0-9A-Z]{26})"\}$/gm)].map((match) => match[1]);
    expect(ulids.length).toBeGreaterThan(5);
    expect(allNodes(runbook).map((node) => node.id)).toEqual(ulids);
  });

  it('plays the blocks of a file without step headings, in one step named after the file', async () => {
    const {runbook} = (await check(`${corpus}/runme/examples__frontmatter__cwd__ABSOLUTE.md`)).parsed;
    expect(runbook.steps.map((step) => [step.title, step.implicit])).toEqual([['examples__frontmatter__cwd__ABSOLUTE', true]]);
    expect(allNodes(runbook).map((node) => [node.kind, node.id, node.attributes.cwd])).toEqual([
      ['exec', 'absolute-pwd', undefined], ['exec', 'absolute-rel-pwd', '../'], ['exec', 'absolute-abs-pwd', '/opt'],
    ]);
  });
});
