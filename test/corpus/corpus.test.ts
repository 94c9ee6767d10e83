import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {parseRunbook} from '../../src/runbook/parse.js';
import {isShellNode, runnableScript} from '../../src/runbook/node-script.js';
import {checkDiagnostics} from '../../src/runbook/shell-check.js';
import {readShellBlocks} from '../../src/runbook/shell-reading.js';
import type {Diagnostic} from '../../src/runbook/diagnostics.js';
import type {ExecNode, Runbook, RunbookNode, Step} from '../../src/runbook/model.js';

// Every file of every collection under test/fixtures/corpus (real runbooks,
// copied with their licences) checks with zero errors, and every shell node
// either is valid shell as it will run or has a diagnostic inside it that
// says why not. `bash -n` is the judge of "valid shell": it is not the parser
// the diagnostics come from.
const corpus = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

function collectionFiles(): string[] {
  const files: string[] = [];
  for (const collection of readdirSync(corpus).sort()) {
    const directory = join(corpus, collection);
    if (!statSync(directory).isDirectory()) continue;
    for (const name of readdirSync(directory).sort()) {
      if (name.endsWith('.md')) files.push(relative(repositoryRoot, join(directory, name)));
    }
  }
  return files;
}

function nodesOf(runbook: Runbook): RunbookNode[] {
  const nodes: RunbookNode[] = [];
  const visit = (steps: readonly Step[]): void => {
    for (const step of steps) {
      for (const block of step.content) if (block.kind !== 'prose') nodes.push(block);
      visit(step.steps);
    }
  };
  for (const block of runbook.introduction) if (block.kind !== 'prose') nodes.push(block);
  visit(runbook.steps);
  return nodes;
}

// The text the shell executor runs for a node: prompts stripped, each
// placeholder an environment variable, lines meant for a session left out.
function scriptOf(node: ExecNode): string {
  return isShellNode(node) ? runnableScript(node) : node.code;
}

// A line bash accepts but that does not run as written: a command behind a
// shell prompt (`$ oc get pods`, `user@host:~$ ls`), or a `<placeholder>`
// left inside quotes.
const promptLine = /^\s*(?:\$|[\w.-]+@[\w.-]+(?::[^\s$#]*)?[$#]|sh-[\d.]+[$#])\s/m;
const quotedPlaceholder = /["'][^"'\n]*<[A-Za-z][\w .-]*>[^"'\n]*["']/;

function runsAsWritten(script: string): boolean {
  if (promptLine.test(script) || quotedPlaceholder.test(script)) return false;
  return spawnSync('bash', ['-n'], {input: script, encoding: 'utf8'}).status === 0;
}

function inside(diagnostic: Diagnostic, node: RunbookNode): boolean {
  return diagnostic.start.line >= node.position.start.line && diagnostic.start.line <= node.position.end.line;
}

const files = collectionFiles();
let shellNodes = 0;
let runnable = 0;

describe('the corpus of real runbooks', () => {
  it('holds every collection of ../shared/corpus', () => {
    expect(new Set(files.map((file) => file.split('/')[3]))).toEqual(new Set([
      'docs.runme.dev', 'gitlab-com-runbooks', 'kubernetes-mixin', 'kubevirt-monitoring', 'openshift-runbooks', 'prometheus-operator-runbooks', 'runme',
    ].filter((collection) => readdirSync(corpus).includes(collection))));
    expect(files.length).toBeGreaterThan(70);
  });

  it.each(files)('%s: no errors, and every shell node runs as written or says why not', async (file) => {
    const source = readFileSync(join(repositoryRoot, file), 'utf8');
    const parsed = parseRunbook(source, file);
    await readShellBlocks(parsed.runbook, source);
    const diagnostics = await checkDiagnostics(parsed, source);
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    const unexplained: string[] = [];
    for (const node of nodesOf(parsed.runbook)) {
      if (node.kind !== 'exec' || !isShellNode(node)) continue;
      shellNodes += 1;
      if (runsAsWritten(scriptOf(node))) {
        runnable += 1;
      } else if (!diagnostics.some((diagnostic) => inside(diagnostic, node))) {
        unexplained.push(`${file}:${node.position.start.line}: not valid shell, and no diagnostic says so`);
      }
    }
    expect(unexplained).toEqual([]);
  });

  // runs after every file above (tests of a file run in order)
  it('runs at least 95 % of the shell nodes of the corpus as written (prompts stripped, placeholders asked)', () => {
    expect(shellNodes).toBeGreaterThan(250);
    expect(runnable / shellNodes).toBeGreaterThanOrEqual(0.95);
  });

  afterAll(() => {
    const share = shellNodes === 0 ? 0 : (100 * runnable) / shellNodes;
    process.stdout.write(`corpus: ${files.length} files, ${runnable} of ${shellNodes} shell nodes runnable as written (${share.toFixed(1)} %)\n`);
  });
});
