import {render, type Instance, type RenderOptions} from 'ink';
import {colorEnabled} from '../cli/style.js';
import type {Operator} from '../engine/operator.js';
import type {RunHandle, RunResult} from '../engine/session.js';
import type {EventSink} from '../engine/sink.js';
import type {Runbook} from '../runbook/model.js';
import {PlayerApp} from './components/PlayerApp.js';
import {PlayerStore} from './player-store.js';

export interface TerminalPlayOptions {
  readonly runbook: Runbook;
  readonly runId: string;
  readonly transcriptPath: string;
  readonly incident?: string;
  // the exact command that continues this run, printed when it can be resumed
  readonly resumeCommand: string;
  readonly resumed: boolean;
  // starts the engine with the player's operator and sink; called once, after the first frame
  readonly start: (operator: Operator, sink: EventSink) => RunHandle;
}

export interface TerminalStreams {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

// Plays a run in the terminal; resolves with the run's exit code once the
// player is gone and the terminal is back to normal.
export async function playInTerminal(options: TerminalPlayOptions, streams: TerminalStreams = process): Promise<number> {
  const store = new PlayerStore(options.runbook);
  const info = {runId: options.runId, transcriptPath: options.transcriptPath, ...(options.incident === undefined ? {} : {incident: options.incident})};
  const app = <PlayerApp store={store} runbook={options.runbook} info={info} clock={Date.now} color={colorEnabled(streams.stdout)} />;
  const renderOptions: RenderOptions = {stdout: streams.stdout, stdin: streams.stdin, stderr: streams.stderr, exitOnCtrlC: false};
  let instance: Instance = render(app, renderOptions);

  // An interactive node gets the terminal: Ink unmounts (raw mode off, input
  // released, the last frame left as a marker) and mounts again afterwards.
  store.setHost({
    suspend: async () => {
      instance.rerender(app);
      instance.unmount();
      await instance.waitUntilExit();
    },
    resume: () => {
      instance = render(app, renderOptions);
    },
  });

  const onTerminate = (): void => store.quit();
  const onInterrupt = (): void => store.interruptOrQuit();
  process.on('SIGTERM', onTerminate);
  process.on('SIGHUP', onTerminate);
  process.on('SIGINT', onInterrupt);
  let result: RunResult;
  try {
    const handle = options.start(store, store);
    store.attach(handle.controls);
    result = await handle.done;
    store.finish(result);
    instance.rerender(app);
  } finally {
    process.off('SIGTERM', onTerminate);
    process.off('SIGHUP', onTerminate);
    process.off('SIGINT', onInterrupt);
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
  }

  streams.stderr.write(`runbook: transcript ${options.transcriptPath}\n`);
  if (result.outcome === 'interrupted' || result.outcome === 'failed') streams.stderr.write(`runbook: to continue this run: ${options.resumeCommand}\n`);
  return result.exitCode;
}
