// `{{NAME}}` and `{{id.response.body.$.path}}` references in http blocks.

export interface TemplateReference {
  readonly expression: string;
  // the variable or node id the expression starts with
  readonly root: string;
  // index of the first character of `expression` in the scanned text
  readonly offset: number;
}

const templatePattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function findTemplateReferences(text: string): TemplateReference[] {
  const references: TemplateReference[] = [];
  for (const match of text.matchAll(templatePattern)) {
    const expression = match[1] ?? '';
    const root = /^[^.[\s]*/.exec(expression)?.[0] ?? '';
    const offset = (match.index ?? 0) + match[0].indexOf(expression);
    references.push({expression, root, offset});
  }
  return references;
}

// Where `{{` opens no reference (no `}}` after it): such text is sent as
// it is, which is never what was meant.
export function unclosedTemplateOffsets(text: string): number[] {
  const rest = text.replace(templatePattern, (match) => ' '.repeat(match.length));
  return [...rest.matchAll(/\{\{/g)].map((match) => match.index);
}

// Replaces every reference with `resolve(expression)`; the caller decides
// what an unresolved reference means (the http executor fails the node).
export function renderTemplate(text: string, resolve: (expression: string) => string): string {
  return text.replace(templatePattern, (_match, expression: string) => resolve(expression));
}

// `$NAME` and `${NAME}` in a confirm prompt or `cwd=`: the engine fills in
// the value, and `check` warns about a prompt's names that nothing declares.
export const dollarVariablePattern = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
