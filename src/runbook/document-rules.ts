import type {Html} from 'mdast';

// Checks of the document's shape that need only the source (and a block):
// a frontmatter the parser did not take for one, a line that looks like a
// code fence but is not one, a comment never closed.

export interface SourceProblem {
  readonly message: string;
  readonly ruleId: 'unclosed-frontmatter' | 'misplaced-frontmatter';
  // 1-based line of the source
  readonly line: number;
}

const fenceLine = /^---[ \t]*$/;
const yamlKeyLine = /^[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)/;

// A `---` block at the top that was not read as frontmatter, though its
// next line is a YAML key: never closed, or not on the very first line
// (blank lines before it). Either way it is read as Markdown (a `---` rule
// and a paragraph, or a step titled `title: …`), and its variables are lost.
export function frontmatterPlacementProblem(source: string, frontmatterRead: boolean): SourceProblem | undefined {
  if (frontmatterRead || !source.trimStart().startsWith('---')) return undefined;
  const lines = source.split(/\r\n|\r|\n/);
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first < 0 || !fenceLine.test(lines[first] ?? '') || !yamlKeyLine.test(lines[first + 1] ?? '')) return undefined;
  const closed = lines.slice(first + 2).some((line) => fenceLine.test(line));
  if (first === 0) {
    return closed ? undefined : {ruleId: 'unclosed-frontmatter', line: 1,
      message: 'Unexpected frontmatter without a closing `---` line, expected `---` on the line after its last key: as it is, it is read as Markdown and its keys are ignored'};
  }
  return {ruleId: 'misplaced-frontmatter', line: first + 1,
    message: `Unexpected frontmatter on line ${first + 1}, expected its \`---\` on the very first line of the file (nothing before it, not even a blank line): as it is, it is read as Markdown and its keys are ignored`};
}

const backtickFenceWithBacktick = /^ {0,3}(`{3,})([A-Za-z][^`\r\n]*`[^\r\n]*)/;

// A paragraph whose first line would open a ``` code fence but for a
// backtick in its info string: CommonMark then reads the line as text, and
// the closing fence opens a block that runs on. The backtick column, or
// undefined. A code span written with as many backticks (```a``` text) is
// left alone.
export function backtickInFenceInfo(paragraph: string): number | undefined {
  const match = backtickFenceWithBacktick.exec(paragraph);
  const opening = match?.[1];
  const info = match?.[2];
  if (opening === undefined || info === undefined) return undefined;
  if ([...info.matchAll(/`+/g)].some((run) => run[0].length >= opening.length)) return undefined;
  return paragraph.indexOf(opening) + opening.length + info.indexOf('`') + 1;
}

// An HTML comment without `-->` that runs to the end of the file.
export function commentNeverClosed(html: Html, source: string): boolean {
  if (!/^\s*<!--/.test(html.value) || html.value.includes('-->')) return false;
  const more = /\S/g;
  more.lastIndex = html.position?.end.offset ?? source.length;
  return !more.test(source);
}
