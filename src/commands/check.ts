import {exitCodes, UsageError} from '../cli/errors.js';
import {loadRunbook} from '../cli/load.js';
import {paint} from '../cli/style.js';
import {formatDiagnostic, hasErrors, type Diagnostic} from '../runbook/diagnostics.js';
import {checkDiagnostics} from '../runbook/shell-check.js';
import {jsonForTerminal, shownText} from '../text/terminal-text.js';

export interface CheckOptions {
  readonly json?: boolean;
}

// `runbook check FILE...`: every diagnostic, one positioned line each.
export async function checkCommand(files: readonly string[], options: CheckOptions): Promise<number> {
  const all: Diagnostic[] = [];
  const color = paint(process.stdout);
  let unreadable = 0;
  for (const file of files) {
    let diagnostics: Diagnostic[];
    try {
      const loaded = await loadRunbook(file);
      diagnostics = loaded.diagnostics;
      try {
        diagnostics = await checkDiagnostics(loaded, loaded.source);
      } catch (error) {
        process.stderr.write(`runbook: ${shownText(`${file}: shell blocks not checked (the shell parser failed: ${error instanceof Error ? error.message : String(error)})`)}\n`);
      }
    } catch (error) {
      // One missing file must not hide the problems of the others.
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`runbook: ${shownText(error.message)}\n`);
      unreadable += 1;
      continue;
    }
    all.push(...diagnostics);
    if (options.json) continue;
    for (const diagnostic of diagnostics) {
      // diagnostics quote the runbook and name its file
      const line = shownText(formatDiagnostic(diagnostic));
      process.stdout.write(`${diagnostic.severity === 'error' ? color('red', line) : diagnostic.severity === 'warning' ? color('yellow', line) : line}\n`);
    }
  }
  if (options.json) {
    process.stdout.write(`${jsonForTerminal(JSON.stringify(all, null, 2))}\n`);
  } else if (unreadable < files.length) {
    const errors = all.filter((diagnostic) => diagnostic.severity === 'error').length;
    const infos = all.filter((diagnostic) => diagnostic.severity === 'info').length;
    const warnings = all.length - errors - infos;
    // infos (what is accepted but ignored) are not problems
    const notes = infos === 0 ? '' : `, ${plural(infos, 'info')}`;
    const summary = errors + warnings === 0 && unreadable === 0
      ? `${files.length === 1 ? shownText(files[0] ?? '') : `${files.length} runbooks`}: no problems${notes}`
      : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${notes}${unreadable === 0 ? '' : `, ${unreadable} unreadable`}`;
    process.stderr.write(`${summary}\n`);
  }
  return hasErrors(all) || unreadable > 0 ? exitCodes.invalid : exitCodes.ok;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
