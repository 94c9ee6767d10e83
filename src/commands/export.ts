import {once} from 'node:events';
import {createWriteStream, openSync} from 'node:fs';
import type {Writable} from 'node:stream';
import {exitCodes, UsageError} from '../cli/errors.js';
import {describeFsError, isFsError} from '../cli/fs-errors.js';
import {stdoutStatus} from '../cli/output.js';
import {transcriptPathFor} from '../cli/run-argument.js';
import {castFromTranscript} from '../reporters/cast-from-transcript.js';
import {shownText} from '../text/terminal-text.js';
import {privateFileMode} from '../transcript/paths.js';
import {verifyTranscript, type VerifyResult} from '../transcript/verify.js';

export interface ExportCommandOptions {
  readonly asciicast?: boolean;
  readonly v2?: boolean;
  readonly out?: string;
  readonly transcriptDir?: string;
}

// `runbook export RUN --asciicast [--v2] [--out FILE]`: the recorded run as an
// asciicast (v3, or v2) to play in asciinema, from the transcript's masked
// events. The transcript is verified first; the title carries its head and
// says when it is not intact (and so does stderr).
export async function exportCommand(run: string, options: ExportCommandOptions): Promise<number> {
  if (options.asciicast !== true) throw new UsageError('export: give the format, --asciicast (the only one so far)');
  const path = transcriptPathFor(run, options.transcriptDir);
  let result: VerifyResult;
  try {
    result = await verifyTranscript(path);
  } catch (error) {
    if (isFsError(error)) throw new UsageError(`${path}: cannot read the transcript (${describeFsError(error)}); give the path of a transcript.jsonl you can read`);
    throw error;
  }
  if (result.runId === undefined) throw new UsageError(`${path}: not a runbook transcript (no header); give the path of a transcript.jsonl`);
  const verdict = !result.ok ? 'NOT intact' : result.sealed ? 'intact' : 'not sealed';
  if (verdict !== 'intact') {
    process.stderr.write(`runbook: ${shownText(`warning: ${path} is ${verdict === 'NOT intact' ? 'NOT intact' : 'not sealed'} (see runbook verify); exporting what it holds, and the cast's title says so`)}\n`);
  }
  const version = options.v2 === true ? 2 : 3;
  const out = options.out === undefined ? process.stdout : openOut(options.out);
  let failure: Error | undefined;
  out.on('error', (error: Error) => (failure ??= error));
  try {
    for await (const line of castFromTranscript(path, {version, head: result.head, verdict})) {
      if (!await written(out, line)) break;
    }
  } finally {
    if (out !== process.stdout) await closed(out);
  }
  if (failure !== undefined) {
    // stdout gone (`| head`) ends quietly, as every command does; a full disk does not
    if (out === process.stdout) return stdoutStatus('asciicast');
    throw isFsError(failure) ? Object.assign(failure, {path: options.out}) : failure;
  }
  if (options.out !== undefined) process.stderr.write(`runbook: ${shownText(`asciicast written to ${options.out}`)}\n`);
  return exitCodes.ok;
}

function openOut(file: string): Writable {
  try {
    return createWriteStream(file, {fd: openSync(file, 'w', privateFileMode)});
  } catch (error) {
    if (isFsError(error)) throw new UsageError(`${file}: cannot write the asciicast (${describeFsError(error)}); give --out a file in a directory you can write`);
    throw error;
  }
}

// false once the stream failed or is gone: nothing more is written to it
async function written(out: Writable, text: string): Promise<boolean> {
  if (out.destroyed || out.errored !== null) return false;
  if (out.write(text)) return true;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      for (const name of ['drain', 'close', 'error']) out.off(name, done);
      resolve();
    };
    for (const name of ['drain', 'close', 'error']) out.on(name, done);
  });
  return !out.destroyed && out.errored === null;
}

async function closed(out: Writable): Promise<void> {
  if (out.destroyed) return;
  const done = once(out, 'close').catch(() => undefined);
  out.end();
  await done;
}
