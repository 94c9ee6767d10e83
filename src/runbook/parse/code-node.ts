import type {Code} from 'mdast';
import {kindForLanguage} from '../../executors/kinds/index.js';
import {typeAttributes, type AttributeHost, type TypedAttributes} from '../attributes/schema.js';
import {tokenizeRunmeAttributes} from '../attributes/runme-tokenize.js';
import {tokenizeAttributes} from '../attributes/tokenize.js';
import {languageTypo, unclosedFence} from '../block-rules.js';
import type {DisplayNode, ExecNode, NodeAttributes, Point} from '../model.js';
import {findTemplateReferences, unclosedTemplateOffsets} from '../templates.js';
import type {ParseState} from './state.js';

// Where a code block sits: before the first step, or under a step that
// (or whose parent) says `run=false`.
export interface CodePlace {
  readonly inIntroduction: boolean;
  readonly runOff: boolean;
}

// A fenced block → an executable node of its language's kind, or a
// display-only one: its info string (language, `{…}` attributes), then its
// body as the kind's descriptor reads it.
export function codeNode(state: ParseState, code: Code, where: CodePlace): ExecNode | DisplayNode {
  const {source, sink} = state;
  const {frontmatter, declaredNames} = state.read;
  const position = source.positionOf(code);
  const fenceOffset = code.position?.start.offset ?? 0;
  const fenceLine = source.text.slice(fenceOffset, source.lineEndAt(fenceOffset));
  const rawLang = code.lang ?? null;
  const braceInLang = rawLang?.indexOf('{') ?? -1;
  const lang = rawLang === null ? null : braceInLang >= 0 ? rawLang.slice(0, braceInLang) || null : rawLang;
  const info = fenceLine.replace(/^\s*(`{3,}|~{3,})\s*/, '');
  const infoStart = fenceLine.length - info.length;
  const kind = lang === null ? undefined : kindForLanguage(lang);
  const executor = kind?.kind;
  const braceStart = fenceLine.indexOf('{');
  let typed: TypedAttributes = {attributes: {}, tokens: {}, problems: []};
  const at = (offset: number): Point => source.pointAt(fenceOffset + offset);
  const typo = executor === undefined && lang !== null ? languageTypo(lang) : undefined;
  if (typo !== undefined) {
    sink.warning(`Unexpected fence language \`${lang}\`, did you mean \`${typo}\`? As written the block is display-only and never runs`,
      'language-typo', {start: at(infoStart), end: at(infoStart + (lang ?? '').length)});
  }
  const openFence = unclosedFence(code, source.text);
  if (openFence !== undefined && !state.fenceLookalikeSeen) {
    sink.error(`Unexpected code fence ${openFence} that is never closed, expected a closing ${openFence} line: as it is, everything after it to the end of the file, later steps included, is this one block`,
      'unclosed-fence', position.start);
  }
  if (braceStart >= 0 && (executor !== undefined || fenceLine.slice(braceStart).trimEnd().endsWith('}'))) {
    const braceEnd = fenceLine.lastIndexOf('}');
    const closed = braceEnd > braceStart;
    if (!closed) {
      sink.error('Unexpected end of info string, expected `}` to close the attributes', 'attribute-syntax', at(fenceLine.length));
    }
    if (executor !== undefined) {
      const langEnd = infoStart + (lang ?? '').length;
      const before = fenceLine.slice(langEnd, braceStart);
      if (before.trim() !== '') {
        const start = langEnd + before.length - before.trimStart().length;
        sink.error(`Unexpected \`${before.trim()}\` before the attributes, expected \`{\` right after the language`, 'attribute-syntax',
          {start: at(start), end: at(langEnd + before.trimEnd().length)});
      }
      const after = closed ? fenceLine.slice(braceEnd + 1) : '';
      if (after.trim() !== '') {
        const start = braceEnd + 1 + after.length - after.trimStart().length;
        sink.error(`Unexpected \`${after.trim()}\` after the attributes, expected the end of the line`, 'attribute-syntax',
          {start: at(start), end: at(braceEnd + 1 + after.trimEnd().length)});
      }
    }
    // Runme's JSON attributes (`{"name":"x"}`) first: runme-tokenize.ts
    const attributesEnd = closed ? braceEnd : fenceLine.length;
    const runmeTokens = tokenizeRunmeAttributes(fenceLine, braceStart + 1, attributesEnd);
    const {tokens, errors} = runmeTokens ?? tokenizeAttributes(fenceLine, braceStart + 1, attributesEnd);
    for (const error of errors) sink.error(error.message, 'attribute-syntax', {start: at(error.start), end: at(error.end)});
    const host: AttributeHost = executor ?? 'display';
    typed = typeAttributes(tokens, host, `a \`${lang ?? 'plain'}\` block`);
    if (runmeTokens !== undefined || typed.runme === true) state.runmeDocument = true;
    // Runme lets cells share a name; here ids are unique, so a repeated
    // one is said and the block gets a derived id
    const runmeId = typed.id?.runmeKey === undefined ? undefined : typed.id;
    const earlier = runmeId === undefined ? undefined : state.explicitIds.get(runmeId.value);
    if (runmeId !== undefined && earlier !== undefined) {
      sink.warning(`Unexpected Runme ${runmeId.runmeKey ?? 'name'} \`${runmeId.value}\` used before (at ${earlier.start.line}:${earlier.start.column}), expected names to be unique; this block gets a derived id`,
        'duplicate-id', {start: at(runmeId.start), end: at(runmeId.end)});
      const {id: _repeated, ...rest} = typed;
      typed = rest;
    }
    state.attributeProblems(typed, at);
  } else if (executor !== undefined && code.meta) {
    const metaStart = fenceLine.indexOf(code.meta, infoStart);
    sink.warning(`Unexpected \`${code.meta}\` after the language, expected attributes in braces such as \`{#id timeout=10s}\`; it is ignored`,
      'attribute-syntax', at(metaStart >= 0 ? metaStart : infoStart));
  }
  const attributes: NodeAttributes = typed.attributes;
  const explicitId = typed.id !== undefined;
  const base = {
    lang,
    id: typed.id?.value ?? '',
    explicitId,
    attributes,
    info,
    code: code.value,
    position,
  };
  if (typed.id !== undefined) state.registerExplicitId(typed.id.value, {start: at(typed.id.start), end: at(typed.id.end)});
  if (attributes.capture !== undefined) state.captureNames.add(attributes.capture);
  const captureToken = typed.tokens['capture'];
  if (attributes.capture !== undefined && declaredNames.has(attributes.capture) && captureToken?.kind === 'pair') {
    const where = attributes.capture in frontmatter.inputs ? 'an input' : 'in `env`';
    sink.warning(`Unexpected \`capture=${attributes.capture}\`: \`${attributes.capture}\` is already ${where}, and the capture replaces its value once the block has run (a value given with --set too); expected a name of its own`,
      'capture-shadows-variable', {start: at(captureToken.valueStart), end: at(captureToken.end)});
  }

  // `run=false` on a step makes every block under it display-only.
  const runs = kind !== undefined && lang !== null && attributes.run !== false && !where.runOff;
  if (!runs) return {kind: 'display', ...base};
  // Lines as the source counts them (a lone CR ends a line too).
  const lines = code.value.split(/\r\n|\r|\n/);
  const bodyAt = source.bodyPlace(lines, position.start);
  const body = kind.parseBody(code.value, {lang, frontmatter, fenceClosed: openFence === undefined});
  if (body.display === true) return {kind: 'display', ...base};
  if (where.inIntroduction) {
    sink.warning('Unexpected executable block before the first step, expected it under a `##` heading; it is shown but never run',
      'block-outside-step', position.start);
  }
  // a block that is never run is not read further, but an empty one is still worth saying
  for (const problem of where.inIntroduction ? body.problems.filter((each) => each.ruleId === 'empty-block') : body.problems) {
    const start = problem.ruleId === 'empty-block' ? position.start : bodyAt(problem.line, problem.column);
    sink[problem.severity](problem.message, problem.ruleId, problem.endColumn === undefined ? start : {start, end: bodyAt(problem.line, problem.endColumn)});
  }
  if (where.inIntroduction) return {kind: 'display', ...base};
  if (kind.templates === 'filled') {
    lines.forEach((line, index) => {
      for (const reference of findTemplateReferences(line)) {
        state.templateUses.push({root: reference.root, expression: reference.expression, place: bodyAt(index, reference.offset + 1)});
      }
      for (const offset of unclosedTemplateOffsets(line)) {
        sink.error('Unexpected `{{` without a closing `}}`, expected a reference such as `{{API_ORIGIN}}`: as written it is sent as it is', 'http-request', bodyAt(index, offset + 1));
      }
    });
  } else if (kind.templates === 'passed' && code.value.includes('{{')) {
    lines.forEach((line, index) => {
      for (const reference of findTemplateReferences(line)) {
        state.shellTemplateUses.push({root: reference.root, expression: reference.expression, place: bodyAt(index, line.lastIndexOf('{{', reference.offset) + 1)});
      }
    });
  }
  if (body.fields === undefined) return {kind: 'display', ...base};
  return {kind: 'exec', executor: kind.kind, ...base, lang, ...body.fields} as ExecNode;
}
