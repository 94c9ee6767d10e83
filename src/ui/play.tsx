import {render, type Instance, type RenderOptions} from 'ink';
import {colorEnabled} from '../cli/style.js';
import type {Operator} from '../engine/operator.js';
import type {RunHandle, RunResult} from '../engine/session.js';
import type {EventSink} from '../engine/sink.js';
import type {Runbook} from '../runbook/model.js';
import {shownText} from '../text/terminal-text.js';
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
  // asked before the run starts when a rehearsal would go live (--live)
  readonly goLive?: string;
  // starts the engine with the player's operator and sink; called once, after
  // the first frame (and the answer to `goLive`: `confirmed` is true for yes)
  readonly start: (operator: Operator, sink: EventSink, confirmed: boolean) => RunHandle;
}

// Where the player draws and reads keys; tests pass a terminal in memory.
export interface TerminalIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
  // route console.* output above the frame instead of through it
  readonly patchConsole: boolean;
}

const processTerminal: TerminalIo = {stdout: process.stdout, stdin: process.stdin, stderr: process.stderr, patchConsole: true};

// Plays a run in the terminal; resolves with the run's exit code once the
// player is gone and the terminal is back to normal.
export async function playInTerminal(options: TerminalPlayOptions, io: TerminalIo = processTerminal): Promise<number> {
  const store = new PlayerStore(options.runbook);
  const info = {runId: options.runId, transcriptPath: options.transcriptPath, resumed: options.resumed, ...(options.incident === undefined ? {} : {incident: options.incident})};
  let ready = (): void => undefined;
  const listening = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const app = <PlayerApp store={store} runbook={options.runbook} info={info} clock={Date.now} color={colorEnabled(io.stdout)} onReady={() => ready()} />;
  const renderOptions: RenderOptions = {stdout: io.stdout, stdin: io.stdin, stderr: io.stderr, exitOnCtrlC: false, patchConsole: io.patchConsole};
  let instance: Instance = render(app, renderOptions);
  await listening;

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
    const confirmed = options.goLive === undefined ? false : await store.askGoLive(options.goLive);
    const handle = options.start(store, store, confirmed);
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

  io.stderr.write(`runbook: transcript ${shownText(options.transcriptPath)}\n`);
  if (result.outcome === 'interrupted' || result.outcome === 'failed') io.stderr.write(`runbook: to continue this run: ${shownText(options.resumeCommand)}\n`);
  return result.exitCode;
}
