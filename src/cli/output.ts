import {describeFsError} from './fs-errors.js';
import {exitCodes} from './errors.js';

// A consumer of stdout or stderr that goes away (`runbook play … | head -1`:
// EPIPE) or fails is dropped: the error is absorbed, later writes to it are
// ignored, and the command goes on to its end with its own status. The run
// and its transcript never depend on anyone reading the screen.
export function dropFailedConsumers(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      broken.add(stream);
      if (!failures.has(stream)) failures.set(stream, error);
    });
  }
}

const broken = new Set<NodeJS.WriteStream>();
const failures = new Map<NodeJS.WriteStream, NodeJS.ErrnoException>();

// For a command whose output is what it makes (report, export, a replay's
// timeline): the error that lost some of it, once what was written has been
// handed over. A reader that went away on purpose (`| head`: EPIPE) is not
// one; a full disk or an I/O error is.
export async function lostOutput(stream: NodeJS.WriteStream = process.stdout): Promise<NodeJS.ErrnoException | undefined> {
  if (!stream.destroyed && stream.writableNeedDrain) await new Promise((resolve) => stream.once('drain', resolve));
  // errors of writes already made are emitted on a later tick
  await new Promise((resolve) => setImmediate(resolve));
  const failure = failures.get(stream);
  return failure === undefined || failure.code === 'EPIPE' ? undefined : failure;
}

// Writes unless the stream's consumer is gone.
export function writeTo(stream: NodeJS.WriteStream, text: string): void {
  if (broken.has(stream) || stream.destroyed) return;
  stream.write(text);
}

// The exit status of a command that wrote `what` to stdout: 1, said on
// stderr with `remedy`, when part of it was lost (see lostOutput); 0 otherwise.
export async function stdoutStatus(what: string, remedy = 'give --out FILE on a disk with room'): Promise<number> {
  const lost = await lostOutput(process.stdout);
  if (lost === undefined) return exitCodes.ok;
  process.stderr.write(`runbook: cannot write the ${what} to stdout: ${describeFsError(lost)}; what was written is incomplete — ${remedy}\n`);
  return exitCodes.failed;
}
