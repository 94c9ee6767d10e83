import type {RootContent} from 'mdast';

// A document without step headings plays as one implicit step, so the
// blocks of a plain README or a Runme notebook are not "outside a step".
//
// "Without step headings": its only heading, if any, is its title, the
// first heading when it is a `#` one (see parse.ts: every other heading, of
// any depth, makes a step). A document with a step heading keeps the rule
// that blocks before the first step are only shown.
export interface StepHeadings {
  // known before the first block is handed on
  found: boolean;
}

// Hands `blocks` on as they are, but only once it is known whether a step
// heading comes: blocks are held until the first one (or the end), so the
// parser sees a document's first blocks with `found` already decided. Only
// what comes before the first step is held, so long documents stay lazy.
export function* withStepHeadingsKnown(blocks: Iterable<RootContent>, known: StepHeadings): Generator<RootContent, void> {
  const held: RootContent[] = [];
  const iterator = blocks[Symbol.iterator]();
  let headings = 0;
  for (let next = iterator.next(); next.done !== true; next = iterator.next()) {
    const block = next.value;
    held.push(block);
    if (block.type !== 'heading') continue;
    headings += 1;
    if (headings > 1 || block.depth !== 1) {
      known.found = true;
      break;
    }
  }
  yield* held;
  for (let next = iterator.next(); next.done !== true; next = iterator.next()) yield next.value;
}

// The implicit step's title: the runbook's title, else the file's name
// without its extension (`README` for README.md).
export function implicitStepTitle(title: string | null, path: string): string {
  if (title !== null && title.trim() !== '') return title;
  const file = path.split(/[\\/]/).at(-1) ?? '';
  const name = file.replace(/\.[^.]+$/, '');
  return name === '' ? 'Runbook' : name;
}
