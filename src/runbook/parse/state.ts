import type {ChecklistNode, ContentBlock, Frontmatter, Point, Position, Step} from '../model.js';
import type {DiagnosticSink} from '../diagnostics.js';
import {valueOffset} from '../attributes/tokenize.js';
import type {TypedAttributes} from '../attributes/schema.js';
import {dollarVariablePattern} from '../templates.js';
import type {SourceText} from './source-text.js';

export type Mutable<T> = {-readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K]};
export type DraftStep = Mutable<Omit<Step, 'steps' | 'content'>> & {steps: DraftStep[]; content: ContentBlock[]};
export type DraftChecklist = Mutable<ChecklistNode>;

// Pending checks that need the whole document (ids, names) before they run.
export interface ConditionUse {
  readonly expression: string;
  readonly at: (offset: number) => Pick<Point, 'line' | 'column'>;
}
export interface TemplateUse {
  readonly root: string;
  readonly expression: string;
  readonly place: Pick<Point, 'line' | 'column'>;
}
// `$NAME` in a confirm prompt, with how many captures come before it.
export interface PromptUse {
  readonly name: string;
  readonly written: string;
  readonly place: Pick<Point, 'line' | 'column'>;
  readonly capturesBefore: number;
}

// What the frontmatter stage read, for the stages after it.
export interface FrontmatterRead {
  readonly frontmatter: Frontmatter;
  readonly declaredNames: ReadonlySet<string>;
  readonly namesComplete: boolean;
  readonly present: boolean;
  // `runme:` in the frontmatter: a Runme-annotated document
  readonly runme: boolean;
}

// What the stages share while they read one document: its text, where the
// diagnostics go, what the frontmatter declared, and what the rules stage
// checks once the whole document is read.
export class ParseState {
  readonly explicitIds = new Map<string, Position>();
  readonly conditionUses: ConditionUse[] = [];
  readonly templateUses: TemplateUse[] = [];
  readonly shellTemplateUses: TemplateUse[] = [];
  readonly promptUses: PromptUse[] = [];
  readonly captureNames = new Set<string>();
  // a paragraph that would be a ``` fence but for a backtick in its info
  // string: the unclosed fence after it is the same mistake
  fenceLookalikeSeen = false;
  // Runme-annotated: `runme:` frontmatter, JSON fence attributes or Runme's keys
  runmeDocument = false;

  constructor(readonly source: SourceText, readonly sink: DiagnosticSink, readonly read: FrontmatterRead) {}

  registerExplicitId(id: string, position: Position): void {
    const earlier = this.explicitIds.get(id);
    if (earlier === undefined) {
      this.explicitIds.set(id, position);
      return;
    }
    this.sink.error(`Unexpected duplicate id \`${id}\`, expected ids to be unique (first used at ${earlier.start.line}:${earlier.start.column})`, 'duplicate-id', position.start);
  }

  // Reports what typing the attributes found, and keeps the conditions and
  // confirm prompts for the rules stage.
  attributeProblems(typed: TypedAttributes, at: (offset: number) => Pick<Point, 'line' | 'column'>): void {
    for (const problem of typed.problems) {
      const start = at(problem.start);
      const end = at(problem.end);
      this.sink[problem.severity](problem.message, problem.ruleId, {start, end});
    }
    const expression = typed.attributes.if;
    const token = typed.tokens['if'];
    if (expression !== undefined && token?.kind === 'pair') {
      this.conditionUses.push({expression, at: (offset) => at(valueOffset(token, offset))});
    }
    const prompt = typed.attributes.confirm;
    const promptToken = typed.tokens['confirm'];
    if (typeof prompt === 'string' && promptToken?.kind === 'pair') {
      for (const match of prompt.matchAll(dollarVariablePattern)) {
        const name = match[1] ?? match[2] ?? '';
        this.promptUses.push({name, written: match[0], place: at(valueOffset(promptToken, match.index)), capturesBefore: this.captureNames.size});
      }
    }
  }
}
