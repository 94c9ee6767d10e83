import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {exitCodes, UsageError} from '../cli/errors.js';
import {describeFsError, isFsError} from '../cli/fs-errors.js';
import {stdoutStatus} from '../cli/output.js';
import {transcriptPathFor} from '../cli/run-argument.js';
import {looksSecretName, Redactor} from '../engine/redaction.js';
import {buildIncidentRecord, NotATranscript} from '../reporters/incident-record.js';
import {timelineTextLines} from '../reporters/timeline-text.js';
import {parseRunbook} from '../runbook/parse.js';
import {shownText} from '../text/terminal-text.js';
import {shownHead} from '../transcript/format.js';
import {readTranscript, readTranscriptItems} from '../transcript/read.js';
import {verifyTranscript} from '../transcript/verify.js';
import type * as replayScreen from '../ui/replay.js';

export interface ReplayCommandOptions {
  readonly transcriptDir?: string;
}

// `runbook replay RUN`: a recorded run on the player's screen, rebuilt from
// the transcript's events; without a terminal, the timeline as text. It
// reads files and nothing else: no process is started, no request sent
// (the runbook comes from the header's `source`, parsed, never run).
export async function replayCommand(run: string, options: ReplayCommandOptions): Promise<number> {
  const path = transcriptPathFor(run, options.transcriptDir);
  try {
    if (process.stdout.isTTY !== true || process.stdin.isTTY !== true) {
      const verification = await verifyTranscript(path);
      const record = await buildIncidentRecord(path, readTranscriptItems(path), verification);
      const head = verification.head === undefined ? '' : ` ${shownHead(verification.head)}`;
      process.stderr.write(`runbook: ${shownText(`replay of ${path}: transcript ${verification.ok ? 'intact' : 'NOT intact'}${head}; nothing runs`)}\n`);
      for (const line of timelineTextLines(record.timeline)) process.stdout.write(`${line}\n`);
      return await stdoutStatus('timeline', 'send it to a file on a disk with room');
    }
    // the screen's modules load while the transcript is read
    const screen = importReplay();
    screen.catch(() => undefined);
    const transcript = await readTranscript(path);
    const header = transcript.header;
    if (header === undefined) throw new NotATranscript('not a runbook transcript (its first line is not a header)');
    const runbook = parseRunbook(header.source, header.runbookPath).runbook;
    const current = await readFile(header.runbookPath, 'utf8').catch(() => null);
    const changed = current === null ? null : createHash('sha256').update(current).digest('hex') !== header.runbookSha256;
    const {replayInTerminal} = await screen;
    await replayInTerminal({
      runbook, records: transcript.records, runId: header.runId, transcriptPath: path,
      ...(header.incident === undefined ? {} : {incident: header.incident}),
      facts: {intact: null, head: null, runbookChanged: changed},
      verified: async () => {
        const verification = await verifyTranscript(path);
        return {intact: verification.ok, head: verification.head === undefined ? null : shownHead(verification.head)};
      },
      runbookPath: header.runbookPath, recordedSource: header.source, currentSource: current === null ? null : maskedAsPlayWould(current),
    });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof NotATranscript) throw new UsageError(`${path}: ${error.message}; give the path of a transcript.jsonl`);
    if (isFsError(error)) throw new UsageError(`${path}: cannot read the transcript (${describeFsError(error)}); give the path of a transcript.jsonl you can read`);
    throw error;
  }
}

// As `play` does: a person at a terminal asked for the screen, so Ink loads
// without the CI variables that would make it draw only the last frame.
async function importReplay(): Promise<typeof replayScreen> {
  const saved = {CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION']};
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  try {
    return await import('../ui/replay.js');
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
}

// The runbook file as the diff shows it: masked as play masks the recorded
// source (every value of an environment variable whose name looks secret),
// so a secret written into the file is no more on screen than in the record.
function maskedAsPlayWould(text: string): string {
  const redactor = new Redactor();
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && looksSecretName(name)) redactor.add(value);
  }
  return redactor.redact(text);
}

