import {createHash} from 'node:crypto';
import {relative, resolve} from 'node:path';
import {exitCodes, UsageError} from '../cli/errors.js';
import {describeFsError, isFsError, readUserFile} from '../cli/fs-errors.js';
import {readStdinValue, readValueFile} from '../cli/read-secret.js';
import {loadRunbook} from '../cli/load.js';
import {writeTo} from '../cli/output.js';
import {colorEnabled, paint} from '../cli/style.js';
import {autoOperator} from '../engine/auto-operator.js';
import {firstPlaceholders, placeholderAliases} from '../engine/placeholder-inputs.js';
import {Redactor, looksSecretName} from '../engine/redaction.js';
import {startRun} from '../engine/run.js';
import {killTrackedRunsNow} from '../executors/tracked-runs.js';
import type {EventSink} from '../engine/sink.js';
import {applyDefaults, isVariableName, parseEnvFile, parseSetArguments, resolveVariables} from '../engine/variables.js';
import {createJsonLinesReporter} from '../reporters/json-lines.js';
import {createPlainReporter} from '../reporters/plain.js';
import {shownText} from '../text/terminal-text.js';
import {formatDiagnostic, hasErrors, worthTelling} from '../runbook/diagnostics.js';
import type {InputSpec, Runbook} from '../runbook/model.js';
import {splitPrompts, transcriptLanguages} from '../runbook/prompts.js';
import {allNodes} from '../runbook/walk.js';
import {describeInvocation} from './play/invocation.js';
import {openRun, type OpenedRun} from './play/open-run.js';
import {attemptMode, checkModeFlags, goLiveQuestion} from './play/rehearsal.js';
import {resumeCommand as resumeCommandFor} from './play/resume-command.js';
import type * as player from '../ui/play.js';
import {shownHead} from '../transcript/format.js';
import type {SealResult, SealSigner, TranscriptWriteError} from '../transcript/write.js';

export interface PlayOptions {
  readonly yes?: boolean;
  readonly set?: string[];
  readonly setFile?: string[];
  readonly setStdin?: string;
  readonly envFile?: string;
  // the same as --env-file, under a name Node 20 never reads itself
  readonly dotenv?: string;
  readonly resume?: string | boolean;
  readonly allowChanged?: boolean;
  readonly readOnly?: boolean;
  readonly live?: boolean;
  readonly transcriptDir?: string;
  readonly incident?: string;
  readonly json?: boolean;
  readonly operator?: string;
  readonly signKey?: string;
}

// `runbook play FILE`: validates everything first (exit 2 before anything
// runs), then plays in the Ink player on a terminal or headless with --yes.
export async function playCommand(file: string, rawOptions: Record<string, unknown>): Promise<number> {
  const options = rawOptions as PlayOptions;
  const {runbook, diagnostics, source} = await loadRunbook(file);
  for (const diagnostic of diagnostics.filter(worthTelling)) process.stderr.write(`${shownText(formatDiagnostic(diagnostic))}\n`);
  if (hasErrors(diagnostics)) {
    process.stderr.write(`runbook: ${shownText(`${file} has errors; fix them (see \`runbook check ${file}\`) before playing it`)}\n`);
    return exitCodes.invalid;
  }
  if (!allNodes(runbook).some((node) => node.kind === 'exec' || node.kind === 'checklist')) {
    // console transcripts are shown unless the runbook says `console: run`
    const transcripts = allNodes(runbook).some((node) => node.kind === 'display' && node.lang !== null && transcriptLanguages.has(node.lang.toLowerCase()) && splitPrompts(node.code, node.lang).prompted);
    const hint = transcripts ? '; its `console` blocks are shown, not run: add `console: run` to its frontmatter to run their commands' : '';
    process.stderr.write(`runbook: ${shownText(`${file} has nothing to run: no executable block (\`sh\`, \`bash\`, \`http\`, \`js\` … under a \`##\` heading) and no task list${hint}; nothing ran, no transcript was written`)}\n`);
    return exitCodes.invalid;
  }
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && options.yes !== true && options.json !== true;
  if (!interactive && options.yes !== true) {
    throw new UsageError('play needs a terminal for the interactive player; without one, pass --yes to approve gates automatically (recorded as auto-approved)');
  }

  const modeFlags = {readOnly: options.readOnly === true, live: options.live === true, resume: options.resume !== undefined && options.resume !== false};
  checkModeFlags(modeFlags);
  const set = parseSetArguments(withPlaceholderNames(options.set ?? [], placeholderAliases(runbook)));
  const setFile = parseSetArguments(options.setFile ?? [], '--set-file', 'PATH');
  const problems = [...set.problems, ...setFile.problems];
  if (options.setStdin !== undefined && !isVariableName(options.setStdin)) problems.push(`--set-stdin ${options.setStdin}: expected the NAME of a variable, of letters, digits and _`);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  // values that must not show in the process list (see docs/playing.md)
  const fromFiles: Record<string, string> = {};
  for (const [name, path] of Object.entries(setFile.values)) fromFiles[name] = await readValueFile(name, path);
  const fromStdin: Record<string, string> = options.setStdin === undefined ? {} : {[options.setStdin]: await readStdinValue(options.setStdin)};
  if (options.envFile !== undefined && options.dotenv !== undefined) throw new UsageError('give the dotenv file once, with --env-file or --dotenv');
  const envFilePath = options.envFile ?? options.dotenv;
  const envFile = envFilePath === undefined ? {} : parseEnvFile(await readEnvFile(envFilePath, options.envFile === undefined ? '--dotenv' : '--env-file'));
  const sha256 = createHash('sha256').update(source).digest('hex');
  const signer = await sealSigner(options.signKey ?? nonEmpty(process.env['RUNBOOK_SIGNING_KEY']), options.signKey === undefined ? 'RUNBOOK_SIGNING_KEY' : '--sign-key');
  const transcriptDir = resolve(options.transcriptDir ?? '.runbook/runs');

  // Secrets are known once variables are resolved, before the transcript's
  // header (inputs and the runbook source) is written.
  const invocation = describeInvocation(runbook, process.argv.slice(2), options.operator);
  const redactor = new Redactor();
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && looksSecretName(name)) redactor.add(value);
  }
  const opened: OpenedRun = await openRun({
    redactor,
    ...(signer === undefined ? {} : {signer}),
    runbook, source, sha256, transcriptDir,
    resume: options.resume,
    allowChanged: options.allowChanged === true,
    argv: invocation.argv,
    operator: `${invocation.operator}@${invocation.host}`,
    ...(options.incident === undefined ? {} : {incident: options.incident}),
  }, async (transcriptValues) => {
    const resolution = resolveVariables(runbook, {set: set.values, setFile: fromFiles, stdin: fromStdin, envFile, environment: process.env, ...(transcriptValues === undefined ? {} : {transcript: transcriptValues})});
    if (resolution.problems.length > 0) throw new UsageError(resolution.problems.join('\n'));
    const {resolved, missing} = interactive ? resolution : applyDefaults(resolution);
    if (!interactive && missing.length > 0) {
      throw new UsageError(`no value for ${missingNames(runbook, missing)}; give ${missing.length === 1 ? 'it' : 'them'} with --set NAME=VALUE, --set-file NAME=PATH, --set-stdin NAME, --env-file FILE or the environment`);
    }
    for (const variable of resolved) {
      if (variable.secret || looksSecretName(variable.name)) redactor.add(variable.value);
    }
    for (const [name, value] of Object.entries(resolution.extraEnv)) {
      if (looksSecretName(name)) redactor.add(value);
    }
    return {resolved, missing, extraEnv: resolution.extraEnv};
  }).catch((error: unknown) => {
    throw isFsError(error) ? new UsageError(transcriptDirProblem(options.transcriptDir ?? '.runbook/runs', error)) : error;
  });

  const {variables} = opened;
  const shownPath = relative(process.cwd(), opened.transcriptPath) || opened.transcriptPath;
  const resumeCommand = resumeCommandFor(file, opened.runId, options);
  const engineOptions = {
    runbook, runId: opened.runId, sha256, transcriptPath: opened.transcriptPath,
    variables: variables.resolved, missingInputs: variables.missing, extraEnv: variables.extraEnv,
    processEnv: process.env, redactor, cwd: process.cwd(), invocation,
  };
  const goLive = goLiveQuestion(opened, modeFlags);

  try {
    if (interactive) {
      const {playInTerminal} = await importPlayer();
      return await playInTerminal({
        runbook, runId: opened.runId, transcriptPath: shownPath, resumeCommand, resumed: opened.resume !== undefined,
        ...(opened.incident === undefined ? {} : {incident: opened.incident}),
        ...(goLive === undefined ? {} : {goLive}),
        start: (operator, sink, confirmed) => startRun({...engineOptions, ...attemptMode(opened, modeFlags, confirmed), operator, sinks: [opened.transcript, sink], stepwise: true}),
      });
    }
    const write = (text: string): void => writeTo(process.stdout, text);
    const reporter: EventSink = options.json === true ? createJsonLinesReporter(write) : createPlainReporter(runbook, {write, color: paint(process.stdout), outputColour: colorEnabled(process.stdout)});
    process.stderr.write(`runbook: transcript ${shownText(shownPath)}\n`);
    // headless, --live with --yes is explicit enough: nobody is there to ask
    const handle = startRun({...engineOptions, ...attemptMode(opened, modeFlags, true), operator: autoOperator, sinks: [opened.transcript, reporter]});
    // SIGINT, SIGTERM and SIGHUP (the terminal closed) quit: the interruption
    // is recorded and the node's processes are stopped. A second one kills
    // them at once and exits.
    let interrupts = 0;
    const onSignal = (): void => {
      interrupts += 1;
      if (interrupts === 1) {
        process.stderr.write('\nrunbook: interrupted; stopping safely (Ctrl-C again to force)\n');
        handle.controls.quit();
      } else {
        process.stderr.write('runbook: interrupted again; killing the node\'s processes\n');
        killTrackedRunsNow();
        process.exit(exitCodes.interrupted);
      }
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const signal of signals) process.on(signal, onSignal);
    const result = await handle.done;
    for (const signal of signals) process.off(signal, onSignal);
    process.stderr.write(`runbook: transcript ${shownText(shownPath)}\n`);
    if (result.outcome === 'failed' || result.outcome === 'interrupted') process.stderr.write(`runbook: to continue this run: ${shownText(resumeCommand)}\n`);
    return result.exitCode;
  } catch (error) {
    if (error instanceof Error && error.name === 'TranscriptWriteError') (error as TranscriptWriteError).resumeCommand = resumeCommand;
    throw error;
  } finally {
    reportSeal(opened.close());
  }
}

// `--set node-name=x` for the placeholder `<node-name>` is `--set NODE_NAME=x`.
function withPlaceholderNames(items: readonly string[], aliases: ReadonlyMap<string, string>): string[] {
  return items.map((item) => {
    const equals = item.indexOf('=');
    const name = aliases.get(equals < 0 ? item : item.slice(0, equals));
    return name === undefined || equals < 0 ? item : `${name}${item.slice(equals)}`;
  });
}

// `NODE_NAME (<node-name> at runbooks/x.md:12:17), TOKEN`: the inputs with
// no value, a placeholder's with where the runbook first writes it.
function missingNames(runbook: Runbook, missing: readonly InputSpec[]): string {
  const placeholders = firstPlaceholders(runbook);
  return missing.map((input) => {
    const first = input.name in runbook.frontmatter.inputs ? undefined : placeholders.get(input.name);
    return first === undefined ? input.name : `${input.name} (${first.placeholder.written} at ${runbook.path}:${first.placeholder.position.line}:${first.placeholder.position.column})`;
  }).join(', ');
}

// The head the record ends at, to paste into the incident channel; `runbook
// verify --expect-head` checks the transcript still ends there.
function reportSeal(seal: SealResult | undefined): void {
  if (seal === undefined) return;
  const signed = seal.signed ? ' (signed)' : '';
  process.stderr.write(`runbook: transcript head: ${shownHead(seal.head)}${signed}\n`);
  if (seal.signingProblem !== undefined) process.stderr.write(`runbook: ${shownText(`the seal is not signed: ${seal.signingProblem}`)}\n`);
}

// A signing key is tried before anything runs, so a run never starts with
// a key that cannot sign its seal.
async function sealSigner(keyPath: string | undefined, flag: string): Promise<SealSigner | undefined> {
  if (keyPath === undefined) return undefined;
  const {signWithSshKey} = await import('../executors/ssh-signatures.js');
  const signer = signWithSshKey(keyPath);
  try {
    signer('runbook: checking the signing key\n');
  } catch (error) {
    throw new UsageError(`${flag} ${keyPath}: ${(error as Error).message}; nothing ran — give the path of an SSH private key (or the public key of one in ssh-agent)`);
  }
  return signer;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function readEnvFile(path: string, flag: string): Promise<string> {
  return readUserFile(path, (why, refused) => `${flag} ${path}: cannot read it (${why})${refused ? '; give the path of a dotenv file' : ''}`);
}

// Nothing ran yet: the transcript directory (or a run in it) cannot be used.
function transcriptDirProblem(shown: string, error: NodeJS.ErrnoException): string {
  return `cannot record the run in ${shown}: ${error.path === undefined ? '' : `${error.path}: `}${describeFsError(error)}; nothing ran — give --transcript-dir a directory you can write to`;
}

// Ink reads CI/CONTINUOUS_INTEGRATION when it loads and, if set, draws only
// the final frame. A person at a terminal asked for the player, so Ink loads
// without them; commands still get them (they are restored at once).
async function importPlayer(): Promise<typeof player> {
  const saved = {CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION']};
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  try {
    return await import('../ui/play.js');
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
}
