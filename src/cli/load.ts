import {readFile} from 'node:fs/promises';
import {parseRunbook, type ParseResult} from '../runbook/parse.js';
import {UsageError} from './errors.js';
import {describeFsError, notARegularFile} from './fs-errors.js';

export interface LoadedRunbook extends ParseResult {
  readonly source: string;
}

export async function loadRunbook(path: string): Promise<LoadedRunbook> {
  let source: string;
  const refused = notARegularFile(path);
  if (refused !== undefined) throw new UsageError(`${path}: cannot read the runbook (${refused}); give the path of a Markdown file`);
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : describeFsError(error as NodeJS.ErrnoException);
    throw new UsageError(`${path}: cannot read the runbook (${why}); give the path of a Markdown file`);
  }
  return {source, ...parseRunbook(source, path)};
}
