// `{{NAME}}` and `{{id.response.body.$.path}}` references in http blocks;
// `{{raw NAME}}` pastes the value exactly as it is, without the encoding
// its place in the request would give it.

export interface TemplateReference {
  readonly expression: string;
  // the variable or node id the expression starts with
  readonly root: string;
  // index of the first character of `expression` in the scanned text
  readonly offset: number;
  // where the whole `{{…}}` starts in the scanned text, and its length
  readonly index: number;
  readonly length: number;
  // written `{{raw NAME}}`
  readonly raw: boolean;
}

const templatePattern = /\{\{\s*([^{}]*?)\s*\}\}/g;
const rawPrefix = /^raw\s+(?=\S)/;

export function findTemplateReferences(text: string): TemplateReference[] {
  const references: TemplateReference[] = [];
  for (const match of text.matchAll(templatePattern)) references.push(referenceOf(match));
  return references;
}

// Where `{{` opens no reference (no `}}` after it): such text is sent as
// it is, which is never what was meant.
export function unclosedTemplateOffsets(text: string): number[] {
  const rest = text.replace(templatePattern, (match) => ' '.repeat(match.length));
  return [...rest.matchAll(/\{\{/g)].map((match) => match.index);
}

function referenceOf(match: RegExpMatchArray): TemplateReference {
  const written = match[1] ?? '';
  const raw = rawPrefix.exec(written)?.[0];
  const expression = raw === undefined ? written : written.slice(raw.length);
  const root = /^[^.[\s]*/.exec(expression)?.[0] ?? '';
  const index = match.index ?? 0;
  const offset = index + match[0].indexOf(written) + (raw?.length ?? 0);
  return {expression, root, offset, index, length: match[0].length, raw: raw !== undefined};
}

// Replaces each of `references` (those found in `text`, in order) with
// `paste(reference)`; the caller resolves and encodes, and decides what an
// unresolved reference means (the http executor fails the node).
export function renderTemplate<Reference extends TemplateReference>(
  text: string,
  references: readonly Reference[],
  paste: (reference: Reference) => string,
): string {
  let out = '';
  let position = 0;
  for (const reference of references) {
    out += text.slice(position, reference.index) + paste(reference);
    position = reference.index + reference.length;
  }
  return out + text.slice(position);
}

// `$NAME` and `${NAME}` in a confirm prompt or `cwd=`: the engine fills in
// the value, and `check` warns about a prompt's names that nothing declares.
export const dollarVariablePattern = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
