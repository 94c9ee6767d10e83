import type {Diagnostic} from '../runbook/diagnostics.js';
import {parseRunbook, type ParseResult} from '../runbook/parse.js';
import {readShellBlocks} from '../runbook/shell-reading.js';
import {decodeRunbookBytes} from '../runbook/source-encoding.js';
import {UsageError} from './errors.js';
import {readUserBytes} from './fs-errors.js';

export interface LoadedRunbook extends ParseResult {
  readonly source: string;
}

export async function loadRunbook(path: string): Promise<LoadedRunbook> {
  const bytes = await readUserBytes(path, (why) => `${path}: cannot read the runbook (${why}); give the path of a Markdown file`);
  const decoded = decodeRunbookBytes(bytes);
  if (!decoded.ok) throw new UsageError(`${path}: cannot read the runbook (${decoded.why})`);
  const {text: source, invalid} = decoded;
  const parsed = parseRunbook(source, path);
  await readShellFacts(parsed, source);
  if (invalid === undefined) return {source, ...parsed};
  const encoding: Diagnostic = {
    file: path, severity: 'error', ruleId: 'encoding', start: invalid,
    message: 'Unexpected bytes that are not UTF-8 (shown as �), expected UTF-8 text; save the file as UTF-8',
  };
  const diagnostics = [encoding, ...parsed.diagnostics].sort((a, b) => a.start.line - b.start.line || a.start.column - b.start.column);
  return {source, runbook: parsed.runbook, diagnostics};
}

// Placeholders and sessions, read with the shell parser onto the model. A
// parser that fails to load leaves the blocks as written (`check` says so).
async function readShellFacts(parsed: ParseResult, source: string): Promise<void> {
  try {
    await readShellBlocks(parsed.runbook, source);
  } catch (error) {
    process.stderr.write(`runbook: ${parsed.runbook.path}: shell blocks not read for placeholders and sessions (the shell parser failed: ${error instanceof Error ? error.message : String(error)})\n`);
  }
}
