import {JSONPath} from 'jsonpath-plus';

// The value a JSONPath (`$.items[0].id`) selects in parsed JSON: undefined
// when nothing matches, the value itself for one match, an array of the
// values for several. Filter expressions run in jsonpath-plus's safe
// evaluator, never `eval`.
export function jsonPathValue(json: unknown, path: string): unknown {
  if (json === undefined) return undefined;
  if (json === null) return path.trim() === '$' ? null : undefined;
  let matches: unknown;
  try {
    matches = JSONPath({path, json: json as object, wrap: true, eval: 'safe'}) as unknown;
  } catch {
    return undefined;
  }
  if (!Array.isArray(matches) || matches.length === 0) return undefined;
  return matches.length === 1 ? (matches[0] as unknown) : matches;
}
