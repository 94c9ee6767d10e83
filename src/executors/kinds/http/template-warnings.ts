import {bodyKind, bodyTemplates, headerTemplates, urlTemplates, type PlacedTemplate} from '../../../runbook/template-places.js';
import type {HttpLayout, HttpRequestSpec} from './request.js';

// `template-encoding`: a template in an http block where the engine cannot
// know how its value should be encoded, so it is pasted as it is. A raw
// template (`{{raw X}}`) says that is meant and is never reported.
export interface TemplateWarning {
  readonly message: string;
  // 0-based line of the block and 0-based index in it
  readonly line: number;
  readonly index: number;
}

export function templateEncodingWarnings(request: HttpRequestSpec, layout: HttpLayout): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  const written = (template: PlacedTemplate): string => `\`{{${template.expression}}}\``;
  for (const template of urlTemplates(request.url)) {
    if (template.raw || template.place !== 'url-fragment') continue;
    warnings.push({...at(layout.url, template.index),
      message: `Unexpected ${written(template)} in the URL's fragment (after \`#\`), which is never sent to the server; expected it in the path or the query`});
  }
  request.headers.forEach((header, index) => {
    if (header.name.toLowerCase() !== 'cookie') return;
    const start = layout.headers[index];
    for (const template of headerTemplates(header)) {
      if (template.raw || start === undefined) continue;
      warnings.push({...at(start, template.index),
        message: `Unexpected ${written(template)} in a \`Cookie\` header, where it is pasted as it is and a \`;\` in its value would set another cookie; expected a value that cannot hold one, written \`{{raw ${template.expression}}}\` to say so`});
    }
  });
  const kind = bodyKind(request);
  if (kind !== 'other') return warnings;
  const contentType = request.headers.findLast((header) => header.name.toLowerCase() === 'content-type')?.value;
  const type = contentType === undefined ? 'no `Content-Type`' : `\`Content-Type: ${contentType}\``;
  for (const template of bodyTemplates(request)) {
    if (template.raw) continue;
    const point = bodyPoint(request.body, layout, template.index);
    if (point === undefined) continue;
    warnings.push({...point,
      message: `Unexpected ${written(template)} in a body with ${type} that is not JSON, so its value is pasted as it is; expected a \`Content-Type\` the engine encodes for (JSON, \`application/x-www-form-urlencoded\`, \`text/plain\`), or \`{{raw ${template.expression}}}\` to say it is meant as it is`});
  }
  return warnings;
}

function at(start: {readonly line: number; readonly index: number}, offset: number): {line: number; index: number} {
  return {line: start.line, index: start.index + offset};
}

function bodyPoint(body: string, layout: HttpLayout, offset: number): {line: number; index: number} | undefined {
  const before = body.slice(0, offset).split('\n');
  const line = layout.body[before.length - 1];
  return line === undefined ? undefined : {line, index: (before.at(-1) ?? '').length};
}
