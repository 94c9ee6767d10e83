import {formatDuration} from '../runbook/duration.js';
import type {ExecutionStatus} from './types.js';

// Why a running node was stopped before it finished on its own.
export type StopCause = 'timeout' | 'abort';

// setTimeout fires at once for delays past 2^31-1 ms; such a timeout means "no timeout".
const longestTimer = 2 ** 31 - 1;

// Calls `onStop` once, at the timeout or the abort, whichever comes first;
// the returned function stops watching.
export function watchForStop(signal: AbortSignal, timeoutMs: number | undefined, onStop: (cause: StopCause) => void): () => void {
  let stopped = false;
  const stop = (cause: StopCause): void => {
    if (stopped) return;
    stopped = true;
    dispose();
    onStop(cause);
  };
  const onAbort = (): void => stop('abort');
  const timer = timeoutMs !== undefined && timeoutMs >= 0 && timeoutMs <= longestTimer
    ? setTimeout(() => stop('timeout'), timeoutMs)
    : undefined;
  signal.addEventListener('abort', onAbort, {once: true});
  function dispose(): void {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
  if (signal.aborted) stop('abort');
  return () => {
    stopped = true;
    dispose();
  };
}

export function stopOutcome(cause: StopCause, timeoutMs: number | undefined): {status: ExecutionStatus; reason: string} {
  switch (cause) {
    case 'timeout':
      return {status: 'timed-out', reason: `timed out after ${formatDuration(timeoutMs ?? 0)}`};
    case 'abort':
      return {status: 'interrupted', reason: 'interrupted'};
  }
}
