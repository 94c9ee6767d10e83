import {dirname, resolve} from 'node:path';
import type {ExecNode, Runbook, Step} from '../runbook/model.js';

// Where a node runs (docs/dialect.md, "Runme compatibility").
//
// Ours: the `cwd` that wins (the block's, else its step's, else the
// frontmatter's) relative to the directory `play` started in, which is also
// where a node without one runs.
//
// A Runme-annotated runbook's, as Runme resolves them: the document's own
// directory, then the frontmatter's `cwd` from there, then the block's (or
// its step's) `cwd` from that, each absolute one starting afresh. Unlike
// Runme, a directory that does not exist is not skipped: the node fails
// saying so.
export function workingDirectory(runbook: Runbook, step: Step, node: ExecNode, startDirectory: string, expand: (text: string) => string): string {
  const own = node.attributes.cwd ?? step.attributes.cwd;
  const frontmatter = runbook.frontmatter.cwd;
  if (runbook.runme !== true) {
    const cwd = own ?? frontmatter;
    return cwd === undefined ? startDirectory : fromBase(startDirectory, expand(cwd));
  }
  let directory = resolve(startDirectory, dirname(runbook.path));
  for (const cwd of [frontmatter, own]) {
    if (cwd !== undefined && cwd !== '') directory = resolve(directory, expand(cwd));
  }
  return directory;
}

// `cwd=` as it always was: joined as written, not normalised, so paths in
// transcripts read as in the runbook.
function fromBase(base: string, cwd: string): string {
  return cwd.startsWith('/') ? cwd : `${base.replace(/\/$/, '')}/${cwd}`;
}
