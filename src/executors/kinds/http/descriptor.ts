import {pasteTemplateValue} from '../../../runbook/template-paste.js';
import {urlTemplates} from '../../../runbook/template-places.js';
import {renderTemplate} from '../../../runbook/templates.js';
import type {BodyProblem, KindDescriptor} from '../kind.js';
import {parseHttpRequest, type HttpRequestSpec} from './request.js';
import {templateEncodingWarnings} from './template-warnings.js';

export interface HttpFields {
  readonly request: HttpRequestSpec;
}

// `http`: one request in REST Client syntax with `??` assertions, sent by undici.
export const httpKind: KindDescriptor<'http', HttpFields> = {
  kind: 'http',
  languages: ['http'],
  label: '`http` blocks',
  attributes: ['timeout', 'retries', 'interval', 'confirm', 'mutates', 'if', 'capture', 'secret', 'allow-failure', 'idempotent', 'run'],
  templates: 'filled',
  parseBody: (code) => {
    const parsed = parseHttpRequest(code);
    const problems: BodyProblem[] = parsed.problems.map((problem) => ({severity: 'error', ruleId: 'http-request', ...problem}));
    if (parsed.request === undefined) return {problems};
    for (const warning of parsed.layout === undefined ? [] : templateEncodingWarnings(parsed.request, parsed.layout)) {
      problems.push({severity: 'warning', ruleId: 'template-encoding', message: warning.message, line: warning.line, column: warning.index + 1});
    }
    return {fields: {request: parsed.request}, problems};
  },
  // a template with no value yet stays as written
  target: ({request}, resolve) => {
    const url = renderTemplate(request.url, urlTemplates(request.url), (template) => {
      const value = resolve(template.expression);
      if (value === undefined) return `{{${template.expression}}}`;
      const pasted = pasteTemplateValue(template, value);
      return 'text' in pasted ? pasted.text : `{{${template.expression}}}`;
    });
    return `${request.method} ${url}`;
  },
  // `??` assertions are checks on the response, not part of the request
  shownLines: (command) => command.split('\n').filter((line) => !/^\s*\?\?/.test(line)),
  result: 'http-response',
};
