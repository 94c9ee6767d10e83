// A consumer of stdout or stderr that goes away (`runbook play … | head -1`:
// EPIPE) or fails is dropped: the error is absorbed, later writes to it are
// ignored, and the command goes on to its end with its own status. The run
// and its transcript never depend on anyone reading the screen.
export function dropFailedConsumers(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', () => {
      broken.add(stream);
    });
  }
}

const broken = new Set<NodeJS.WriteStream>();

// Writes unless the stream's consumer is gone.
export function writeTo(stream: NodeJS.WriteStream, text: string): void {
  if (broken.has(stream) || stream.destroyed) return;
  stream.write(text);
}
