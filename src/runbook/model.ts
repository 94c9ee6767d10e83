// The executable model of a runbook: what `parseRunbook` produces and every
// later stage (engine, UI, transcript, replay) consumes. Plain data only, so a
// model survives JSON round trips (the transcript stores the source, not this).

import type {ExecutorKind, KindFields} from '../executors/kinds/index.js';
import type {VariableType} from './value-types.js';

export interface Point {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Position {
  readonly start: Point;
  readonly end: Point;
}

export type {ExecutorKind};

// `string` (the default), `integer`, `number`, `boolean` or `duration`.
export type {VariableType};

export interface InputSpec {
  readonly name: string;
  readonly description?: string;
  readonly default?: string;
  readonly pattern?: string;
  readonly choices?: readonly string[];
  // absent for `string`
  readonly type?: VariableType;
  readonly secret: boolean;
  readonly required: boolean;
  readonly position: Position;
}

export interface RunbookDefaults {
  readonly timeout?: number;
  readonly retries?: number;
  readonly interval?: number;
}

export interface Frontmatter {
  readonly title?: string;
  // `api {{API_ORIGIN}}`: where the run acts, shown in the player's header
  readonly target?: string;
  readonly shell?: string;
  readonly cwd?: string;
  // `carry: false`: no shell block's exports reach later blocks
  readonly carry?: boolean;
  readonly env: Readonly<Record<string, string>>;
  // the declared type of each `env` value that has one other than `string`
  readonly envTypes?: Readonly<Record<string, VariableType>>;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly defaults: RunbookDefaults;
  // the frontmatter switches of executor kinds (`console: run`), as written
  readonly switches?: Readonly<Record<string, string>>;
  // `mutating-commands: [mytool deploy]`: more commands `check` reports
  // when a block runs them without `mutates` (src/runbook/mutating-commands.ts)
  readonly mutatingCommands?: readonly string[];
  // `never` from Runme's `skipPrompts: true`: the default of blocks' `promptEnv`
  readonly promptEnv?: PromptEnv;
}

// Attribute names are spelled as in the dialect (`allow-failure`), so the
// model, the docs and `runbook list --json` share one vocabulary.
export interface NodeAttributes {
  readonly timeout?: number;
  readonly retries?: number;
  readonly interval?: number;
  readonly confirm?: boolean | string;
  readonly mutates?: boolean;
  readonly if?: string;
  readonly capture?: string;
  // `capture=NAME:integer`: the type the capture must have (absent for `string`)
  readonly captureType?: VariableType;
  readonly secret?: boolean;
  readonly 'allow-failure'?: boolean;
  readonly interactive?: boolean;
  // leaves processes running after the node passes; they end with the run
  readonly background?: boolean;
  readonly idempotent?: boolean;
  readonly run?: boolean;
  readonly cwd?: string;
  // `carry=false`: what a shell block exports does not reach later blocks
  readonly carry?: boolean;
  // Runme's `promptEnv` (see docs/dialect.md, "Runme compatibility"): whether
  // the values of the block's `export NAME=…` lines are asked before it runs
  readonly promptEnv?: PromptEnv;
  // Runme's `interpreter`: the program a shell block runs with (`bash -x`)
  readonly interpreter?: string;
  readonly classes?: readonly string[];
}

// `auto`: ask for the exported names that have no value yet; `always`: ask
// for each, the written value as the default; `never`: ask for none.
export type PromptEnv = 'auto' | 'always' | 'never';

export type StepAttributes = Omit<NodeAttributes, 'capture' | 'captureType' | 'secret' | 'interactive' | 'background' | 'carry' | 'classes' | 'promptEnv' | 'interpreter'>;

// A value a shell block needs and nothing gives it: `<node-name>`, a
// `$POD` that nothing declares, captures or sets before it, or the value of
// a fill-in assignment (`NAME='<value …>'`, `NAME=CHANGEME`). The run asks
// for the input `name` before the block (headless: `--set name=…`).
export interface Placeholder {
  readonly name: string;
  // as the block writes it: `<node-name>`, `$POD`, `'<value of … from alert>'`
  readonly written: string;
  readonly kind: 'angle' | 'variable' | 'fill-in';
  // the value written in the block, offered as the default: an
  // `export NAME=value` under Runme's `promptEnv: always`
  readonly default?: string;
  // in the Markdown file
  readonly position: {readonly line: number; readonly column: number};
}

// An interactive or remote session a shell block opens (`ssh host`, `oc
// debug node/x`, `psql` without `-c`): the block runs `interactive`, up to
// the command that opens it.
export interface ShellSession {
  // the command as written
  readonly command: string;
  readonly position: {readonly line: number; readonly column: number};
  // the block's lines after it, meant to be typed in the session
  readonly lines: readonly string[];
}

// What reading a shell block with the shell parser found (src/runbook/shell-reading.ts).
export interface ShellFacts {
  readonly placeholders: readonly Placeholder[];
  // what runs: each placeholder replaced by its environment variable, quoted
  // to stay one word, and without the lines meant for a session
  readonly script: string;
  readonly session?: ShellSession;
}

interface ExecNodeOf<Kind extends ExecutorKind> {
  readonly kind: 'exec';
  readonly executor: Kind;
  readonly lang: string;
  readonly id: string;
  readonly explicitId: boolean;
  readonly attributes: NodeAttributes;
  readonly info: string;
  // the block as written
  readonly code: string;
  readonly position: Position;
}

// One member per executor kind, each with the fields its descriptor's body
// parser gives (`request` of an http node, `script` of a shell node).
export type ExecNode<Kind extends ExecutorKind = ExecutorKind> = Kind extends ExecutorKind ? ExecNodeOf<Kind> & KindFields[Kind] : never;

export interface DisplayNode {
  readonly kind: 'display';
  readonly lang: string | null;
  readonly id: string;
  readonly explicitId: boolean;
  readonly attributes: NodeAttributes;
  readonly info: string;
  readonly code: string;
  readonly position: Position;
}

export interface ChecklistItem {
  readonly text: string;
  readonly checked: boolean;
  readonly position: Position;
}

export interface ChecklistNode {
  readonly kind: 'checklist';
  readonly lang: null;
  readonly id: string;
  readonly explicitId: boolean;
  readonly attributes: NodeAttributes;
  readonly items: readonly ChecklistItem[];
  readonly position: Position;
}

export type RunbookNode = ExecNode | DisplayNode | ChecklistNode;

export interface ProseBlock {
  readonly kind: 'prose';
  readonly markdown: string;
  readonly position: Position;
}

export type ContentBlock = ProseBlock | RunbookNode;

export interface Step {
  readonly id: string;
  readonly explicitId: boolean;
  // as written before the title, e.g. `1)` or `2.1`; null when unnumbered
  readonly number: string | null;
  readonly title: string;
  readonly depth: number;
  readonly attributes: StepAttributes;
  readonly content: readonly ContentBlock[];
  readonly steps: readonly Step[];
  readonly position: Position;
  // the one step of a document without step headings (see docs/dialect.md,
  // "Documents without steps"): no heading of its own
  readonly implicit?: true;
}

export interface Runbook {
  readonly path: string;
  readonly title: string | null;
  readonly frontmatter: Frontmatter;
  readonly introduction: readonly ContentBlock[];
  readonly steps: readonly Step[];
  // Runme-annotated (`runme:` frontmatter, or fence attributes in Runme's
  // JSON form or with its keys): blocks then run in the document's
  // directory, relative `cwd`s start there, as in Runme (docs/dialect.md,
  // "Runme compatibility")
  readonly runme?: true;
}
