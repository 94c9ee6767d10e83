import {writeFile} from 'node:fs/promises';
import {exitCodes, UsageError} from '../cli/errors.js';
import {describeFsError, isFsError} from '../cli/fs-errors.js';
import {stdoutStatus} from '../cli/output.js';
import {transcriptPathFor} from '../cli/run-argument.js';
import {buildIncidentRecord, NotATranscript} from '../reporters/incident-record.js';
import {incidentMarkdown} from '../reporters/incident-markdown.js';
import {jsonForTerminal} from '../text/terminal-text.js';
import {readTranscriptItems} from '../transcript/read.js';
import {verifyTranscript, type VerifyResult} from '../transcript/verify.js';

export interface ReportCommandOptions {
  readonly out?: string;
  readonly json?: boolean;
  readonly transcriptDir?: string;
}

// `runbook report RUN`: the run's incident record, as Markdown for a
// postmortem (or `--json`), from its transcript alone. Exit 0 when written;
// 2 for a run that cannot be read or an --out that cannot be written.
export async function reportCommand(run: string, options: ReportCommandOptions): Promise<number> {
  const path = transcriptPathFor(run, options.transcriptDir);
  let text: string;
  try {
    const verification: VerifyResult = await verifyTranscript(path);
    const record = await buildIncidentRecord(path, readTranscriptItems(path), verification);
    text = options.json === true ? `${jsonForTerminal(JSON.stringify(record, null, 2))}\n` : incidentMarkdown(record);
  } catch (error) {
    if (error instanceof NotATranscript) throw new UsageError(`${path}: ${error.message}; give the path of a transcript.jsonl`);
    if (isFsError(error)) throw new UsageError(`${path}: cannot read the transcript (${describeFsError(error)}); give the path of a transcript.jsonl you can read`);
    throw error;
  }
  if (options.out === undefined) {
    process.stdout.write(text);
    return stdoutStatus('report');
  }
  try {
    await writeFile(options.out, text);
  } catch (error) {
    if (isFsError(error)) throw new UsageError(`${options.out}: cannot write the report (${describeFsError(error)}); give --out a file you can write`);
    throw error;
  }
  return exitCodes.ok;
}
