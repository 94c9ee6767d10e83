import {render} from 'ink';
import {colorEnabled} from '../cli/style.js';
import type {Runbook} from '../runbook/model.js';
import type {TranscriptEntry} from '../transcript/read.js';
import {ReplayApp} from './components/ReplayApp.js';
import type {TerminalIo} from './play.js';
import {ReplayStore} from './replay-store.js';
import type {ReplayFacts} from './view/header.js';

export interface TerminalReplayOptions {
  readonly runbook: Runbook;
  readonly records: readonly TranscriptEntry[];
  readonly runId: string;
  readonly transcriptPath: string;
  readonly incident?: string;
  // shown as soon as the transcript is read; `verified` fills in the rest
  readonly facts: ReplayFacts;
  readonly verified: () => Promise<Pick<ReplayFacts, 'intact' | 'head'>>;
  readonly runbookPath: string;
  readonly recordedSource: string;
  readonly currentSource: string | null;
}

const processTerminal: TerminalIo = {stdout: process.stdout, stdin: process.stdin, stderr: process.stderr, patchConsole: true};

// Replays a recorded run in the terminal, from its first event, paused,
// the transcript verified once the first frame is drawn; resolves once the
// operator quits and the terminal is back to normal.
export async function replayInTerminal(options: TerminalReplayOptions, io: TerminalIo = processTerminal): Promise<void> {
  const replay = new ReplayStore(options.runbook, options.records);
  replay.seek(0);
  let quit = (): void => undefined;
  const quitting = new Promise<void>((resolve) => {
    quit = resolve;
  });
  const app = (facts: ReplayFacts) => {
    const info = {runId: options.runId, transcriptPath: options.transcriptPath, replay: facts, ...(options.incident === undefined ? {} : {incident: options.incident})};
    return <ReplayApp replay={replay} runbook={options.runbook} info={info} runbookPath={options.runbookPath} recordedSource={options.recordedSource} currentSource={options.currentSource} color={colorEnabled(io.stdout)} onQuit={() => quit()} />;
  };
  const instance = render(app(options.facts), {stdout: io.stdout, stdin: io.stdin, stderr: io.stderr, exitOnCtrlC: false, patchConsole: io.patchConsole});
  void options.verified().then(
    (verified) => instance.rerender(app({...options.facts, ...verified})),
    () => instance.rerender(app({...options.facts, intact: false, head: null})),
  );
  const onSignal = (): void => replay.quit();
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await quitting;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('SIGINT', onSignal);
    replay.pause();
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
  }
}
