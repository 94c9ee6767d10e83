import {exitCodes, UsageError} from '../cli/errors.js';
import {describeFsError, isFsError, notARegularFile} from '../cli/fs-errors.js';
import {jsonForTerminal, shownText} from '../text/terminal-text.js';
import {verifyTranscript} from '../transcript/verify.js';

// `runbook verify TRANSCRIPT`: recompute the hash chain and check side files;
// exit 0 when intact (a run still in progress or unfinished is reported,
// not an error of the file), 1 when anything was altered or lost.
export async function verifyCommand(path: string, options: {json?: boolean}): Promise<number> {
  let result;
  const refused = notARegularFile(path);
  if (refused !== undefined) throw new UsageError(`${path}: cannot read the transcript (${refused}); give the path of a transcript.jsonl`);
  try {
    result = await verifyTranscript(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') throw new UsageError(`${path}: no transcript there; give the path of a transcript.jsonl`);
    if (isFsError(error)) throw new UsageError(`${path}: cannot read the transcript (${describeFsError(error)}); give the path of a transcript.jsonl you can read`);
    throw error;
  }
  if (options.json === true) {
    process.stdout.write(`${jsonForTerminal(JSON.stringify(result, null, 2))}\n`);
  } else {
    for (const problem of result.problems) {
      process.stdout.write(`${shownText(`${path}${problem.line === undefined ? '' : `:${problem.line}`}: ${problem.severity}: ${problem.message}`)}\n`);
    }
    const verdict = result.ok ? 'intact' : 'NOT intact';
    process.stdout.write(`${shownText(`${path}: ${verdict} — run ${result.runId ?? '(unknown)'}, ${result.lines} lines, ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}, ${result.status}${result.outcome === undefined ? '' : ` (${result.outcome})`}`)}\n`);
  }
  return result.ok ? exitCodes.ok : exitCodes.failed;
}
