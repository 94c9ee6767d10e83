import type {ExecNode, PromptEnv, Runbook} from './model.js';

// Which of a block's `export NAME=…` values are asked before it runs, as
// Runme's `promptEnv` says (docs/dialect.md, "Runme compatibility"):
// `auto` those without a value yet, `always` each (the written value as the
// default), `never` none; undefined: the block did not ask, and is not in a
// Runme-annotated document, whose blocks ask as its frontmatter says
// (`skipPrompts: true` is `never`), else as Runme's default, `auto`.
// The hook for asking for unresolved names (issue 12, "placeholders become
// inputs") to read.
export function promptEnvFor(runbook: Pick<Runbook, 'runme' | 'frontmatter'>, node: Pick<ExecNode, 'attributes'>): PromptEnv | undefined {
  if (node.attributes.promptEnv !== undefined) return node.attributes.promptEnv;
  return runbook.runme === true ? runbook.frontmatter.promptEnv ?? 'auto' : undefined;
}
