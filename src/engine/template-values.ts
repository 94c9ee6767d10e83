import {jsonPathValue} from '../runbook/json-path.js';
import type {NodeResultView} from './results.js';

// Resolves `{{…}}` expressions in http blocks: a variable (`{{API_ORIGIN}}`)
// or an earlier node's result (`{{health.response.body.$.status}}`,
// `{{health.response.status}}`, `{{health.response.headers.etag}}`,
// `{{build.stdout}}`). Undefined means unresolved: the node fails unsent.
export function resolveTemplateExpression(
  expression: string,
  variables: ReadonlyMap<string, string>,
  results: ReadonlyMap<string, NodeResultView>,
): string | undefined {
  const direct = variables.get(expression);
  if (direct !== undefined) return direct;
  const dot = expression.indexOf('.');
  if (dot < 0) return undefined;
  const result = results.get(expression.slice(0, dot));
  if (result === undefined) return undefined;
  const path = expression.slice(dot + 1);
  if (path === 'stdout' || path === 'response.body') return result.stdout;
  if (path === 'response.status' || path === 'status') return String(result.status);
  if (path === 'exitCode') return result.exitCode === null ? undefined : String(result.exitCode);
  if (path.startsWith('response.headers.')) return result.headers[path.slice('response.headers.'.length).toLowerCase()];
  if (path.startsWith('response.body.$')) return stringify(jsonPathValue(result.json, path.slice('response.body.'.length)));
  return undefined;
}

function stringify(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
