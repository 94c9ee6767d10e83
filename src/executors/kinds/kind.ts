import type {Frontmatter} from '../../runbook/model.js';

// One executor kind, as everything but its executor sees it: the parser
// (which fences are this kind, what their body means), the attribute schema
// (which attributes the kind accepts), the registry (how its executor loads)
// and the reporters (what its result records). Descriptors are pure data and
// functions, loaded at start-up; the kind's executor (and execa or undici
// behind it) loads from loaders.ts, only on the first node of the kind.
export interface KindDescriptor<Kind extends string = string, Fields extends object = object> {
  readonly kind: Kind;
  // fence languages, lower case
  readonly languages: readonly string[];
  // how messages name the kind's blocks: "`http` blocks"
  readonly label: string;
  // the shared attributes (src/runbook/attributes/schema.ts) it accepts
  readonly attributes: readonly string[];
  // a frontmatter switch of the kind (`console: run`): its values, the first the default
  readonly frontmatter?: {readonly key: string; readonly values: readonly [string, ...string[]]; readonly description: string};
  // `{{…}}` in the body: `filled` by the executor (a name must exist),
  // `passed` on to a shell as written (worth a warning when it looks meant),
  // or `ignored` (the language's own syntax)
  readonly templates: 'filled' | 'passed' | 'ignored';
  // the body, read into the fields the kind's nodes carry; `fields` absent
  // when it cannot run (its problems say why)
  readonly parseBody: (code: string, context: BodyContext) => BodyParse<Fields>;
  // what a node acts on, one line with the `{{…}}` values known now filled in
  // (`GET https://api…/health`), shown before it runs; secrets are masked by the caller
  readonly target?: (node: Fields, resolve: (expression: string) => string | undefined) => string | undefined;
  // the lines that show the command a node runs (http: without its `??` assertions)
  readonly shownLines?: (command: string) => string[];
  // what a result of the kind records beyond its outcome: an exit code, or an HTTP response
  readonly result: 'exit-code' | 'http-response';
}

export interface BodyContext {
  readonly lang: string;
  readonly frontmatter: Frontmatter;
  // false when the fence is never closed (reported on its own)
  readonly fenceClosed: boolean;
}

export interface BodyProblem {
  readonly severity: 'error' | 'warning';
  readonly ruleId: string;
  readonly message: string;
  // 0-based line in the block, 1-based columns
  readonly line: number;
  readonly column: number;
  readonly endColumn?: number;
}

export interface BodyParse<Fields> {
  readonly fields?: Fields;
  readonly problems: readonly BodyProblem[];
  // the body runs nothing (an empty block, a transcript with no command): a
  // display-only node, said with `problems` when worth saying
  readonly display?: boolean;
}
