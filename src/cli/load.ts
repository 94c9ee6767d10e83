import {parseRunbook, type ParseResult} from '../runbook/parse.js';
import {readUserFile} from './fs-errors.js';

export interface LoadedRunbook extends ParseResult {
  readonly source: string;
}

export async function loadRunbook(path: string): Promise<LoadedRunbook> {
  const source = await readUserFile(path, (why) => `${path}: cannot read the runbook (${why}); give the path of a Markdown file`);
  return {source, ...parseRunbook(source, path)};
}
