import {setFlagsFromString} from 'node:v8';
import {Command, CommanderError, Option} from 'commander';
import {exitCodes, UsageError} from './cli/errors.js';
import {describeFsError, isFsError} from './cli/fs-errors.js';
import {dropFailedConsumers} from './cli/output.js';
import {shownText} from './text/terminal-text.js';
import type {TranscriptWriteError} from './transcript/write.js';
import {engineVersion} from './version.js';

// The shell parsers (sh-syntax, tree-sitter-bash) are WebAssembly, used for a
// few small parses per run: V8's baseline compiler is enough, and tiering up
// to its optimising one cost more than the parses (check of
// runbooks/rollback.md: 0.55 s of CPU instead of 1.7 s). Set before any
// module is compiled.
setFlagsFromString('--liftoff-only');

// argv → commands. Command modules are imported lazily so `check` never
// loads the engine and only `play` in a terminal loads the Ink UI.

const program = new Command()
  .name('runbook')
  .description('Play Markdown runbooks step by step, with checkpoints and a verifiable transcript.')
  .version(engineVersion, '-V, --version')
  .showHelpAfterError('(run `runbook --help` or `runbook <command> --help` for usage)')
  .exitOverride()
  // commander quotes what was typed (an unknown option, a file name): shown inert
  .configureOutput({outputError: (text, write) => write(shownText(text))});

program
  .command('check')
  .description('validate runbooks; print every problem as file:line:col (exit 2 if any error)')
  .argument('<file...>', 'Markdown runbooks')
  .option('--json', 'print the diagnostics as JSON')
  .action(async (files: string[], options: {json?: boolean}) => {
    const {checkCommand} = await import('./commands/check.js');
    process.exitCode = await checkCommand(files, options);
  });

program
  .command('list')
  .description('print the plan: steps, nodes, attributes and variables')
  .argument('<file>', 'Markdown runbook')
  .option('--json', 'print the parsed model as JSON')
  .action(async (file: string, options: {json?: boolean}) => {
    const {listCommand} = await import('./commands/list.js');
    process.exitCode = await listCommand(file, options);
  });

program
  .command('play')
  .description('run a runbook: the interactive player in a terminal, plain lines otherwise')
  .argument('<file>', 'Markdown runbook')
  .option('-y, --yes', 'headless: approve confirm gates and checklists, recorded as auto-approved')
  .option('--set <NAME=VALUE>', 'set a variable (repeatable; wins over everything else); any local user can read it in the process list, so pass secrets with --set-file, --set-stdin or the environment', collect, [])
  .option('--set-file <NAME=PATH>', 'set a variable to the text of a file, without its final line break (repeatable; a pipe such as <(pass show x) works); masked as a secret', collect, [])
  .option('--set-stdin <NAME>', 'set a variable to what stdin holds, without its final line break (at a terminal: one line, not echoed); masked as a secret')
  .option('--env-file <file>', 'read variables from a dotenv file')
  .option('--dotenv <file>', 'the same as --env-file; Node 20 never reads this spelling itself (see docs/playing.md)')
  .option('--resume [run-id]', 'continue an interrupted run (default: the latest unfinished run of this file)')
  .option('--allow-changed', 'with --resume: accept a runbook that changed since the run began, mapping nodes by id')
  .option('--read-only', 'rehearse: skip every node marked `mutates`')
  .option('--live', 'with --resume: play a read-only rehearsal on for real (the player asks first)')
  .option('--transcript-dir <dir>', 'where runs are recorded (default: .runbook/runs)')
  .option('--incident <id>', 'incident id shown in the header and recorded in the transcript')
  .option('--json', 'print events as JSON lines instead of text (headless)')
  .option('--operator <name>', 'who plays this attempt, recorded with the OS user and host (default: the OS user)')
  .option('--sign-key <file>', 'sign each seal of the transcript with this SSH key, via ssh-keygen -Y sign (default: $RUNBOOK_SIGNING_KEY)')
  .addOption(new Option('--no-color', 'disable colour').hideHelp())
  .action(async (file: string, options: Record<string, unknown>) => {
    const {playCommand} = await import('./commands/play.js');
    process.exitCode = await playCommand(file, options);
  });

program
  .command('verify')
  .description('check a transcript\'s hash chain, seals, signatures and side files; report tampering or truncation (exit 1)')
  .argument('<run>', 'a transcript.jsonl, a run directory, or a run id (looked up under --transcript-dir)')
  .option('--expect-head <sha256>', 'fail unless the transcript ends at this head (the `transcript head:` play printed)')
  .option('--allowed-signers <file>', 'check seal signatures against this ssh allowed-signers file (default: $RUNBOOK_ALLOWED_SIGNERS); every seal must then be signed')
  .option('--transcript-dir <dir>', 'where runs are recorded, for a run id (default: .runbook/runs)')
  .option('--json', 'print the result as JSON')
  .action(async (path: string, options: {json?: boolean; expectHead?: string; allowedSigners?: string; transcriptDir?: string}) => {
    const {verifyCommand} = await import('./commands/verify.js');
    process.exitCode = await verifyCommand(path, options);
  });

program
  .command('replay')
  .description('step through a recorded run on the player\'s screen, from its transcript alone: nothing runs (without a terminal: the timeline as text)')
  .argument('<run>', 'a transcript.jsonl, a run directory, or a run id (looked up under --transcript-dir)')
  .option('--transcript-dir <dir>', 'where runs are recorded, for a run id (default: .runbook/runs)')
  .addOption(new Option('--no-color', 'disable colour').hideHelp())
  .action(async (run: string, options: {transcriptDir?: string}) => {
    const {replayCommand} = await import('./commands/replay.js');
    process.exitCode = await replayCommand(run, options);
  });

program
  .command('report')
  .description('write a run\'s incident record as Markdown for a postmortem: summary, timeline, what changed things, failures, action items')
  .argument('<run>', 'a transcript.jsonl, a run directory, or a run id (looked up under --transcript-dir)')
  .option('--out <file>', 'write the report to this file instead of stdout')
  .option('--json', 'print the same content as JSON')
  .option('--transcript-dir <dir>', 'where runs are recorded, for a run id (default: .runbook/runs)')
  .action(async (run: string, options: {out?: string; json?: boolean; transcriptDir?: string}) => {
    const {reportCommand} = await import('./commands/report.js');
    process.exitCode = await reportCommand(run, options);
  });

program
  .command('export')
  .description('write a recorded run as an asciicast to play in asciinema (v3, or v2), from the transcript\'s masked events')
  .argument('<run>', 'a transcript.jsonl, a run directory, or a run id (looked up under --transcript-dir)')
  .option('--asciicast', 'the format: an asciicast (the only one so far)')
  .option('--v2', 'asciicast v2 (asciinema 2.x) instead of v3')
  .option('--out <file>', 'write it to this file (default: stdout)')
  .option('--transcript-dir <dir>', 'where runs are recorded, for a run id (default: .runbook/runs)')
  .action(async (run: string, options: {asciicast?: boolean; v2?: boolean; out?: string; transcriptDir?: string}) => {
    const {exportCommand} = await import('./commands/export.js');
    process.exitCode = await exportCommand(run, options);
  });

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

dropFailedConsumers();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.invalid;
  } else if (error instanceof UsageError) {
    process.stderr.write(`runbook: ${shownText(error.message)}\n`);
    process.exitCode = exitCodes.invalid;
  } else if (error instanceof Error && error.name === 'TranscriptWriteError') {
    // the run began: it stopped at the event that could not be recorded
    const {path, runId, cause, resumeCommand} = error as TranscriptWriteError;
    const where = cause.path === undefined || cause.path === path ? path : `${path} (${cause.path})`;
    process.stderr.write(`runbook: ${shownText(`cannot write the transcript ${where}: ${describeFsError(cause)}; the run stopped before its next step — fix the disk, then continue it with ${resumeCommand ?? `--resume ${runId}`}`)}\n`);
    process.exitCode = exitCodes.failed;
  } else if (isFsError(error)) {
    process.stderr.write(`runbook: ${shownText(`${error.path === undefined ? '' : `${error.path}: `}${describeFsError(error)}`)}\n`);
    process.exitCode = exitCodes.failed;
  } else {
    throw error;
  }
}
