import {quote} from 'shell-quote';

// What a run was played with that its resume needs again.
export interface ResumeOptions {
  readonly envFile?: string;
  readonly dotenv?: string;
  // `NAME=PATH`, as given: paths, never the values they hold
  readonly setFile?: readonly string[];
  readonly setStdin?: string;
  readonly transcriptDir?: string;
  readonly readOnly?: boolean;
  // the runbook changed since the run began: every resume needs it again
  readonly allowChanged?: boolean;
  readonly incident?: string;
  readonly operator?: string;
  readonly yes?: boolean;
  readonly json?: boolean;
}

// The command that continues this run, shell-quoted so that it works as
// typed: the files and options the run was played with, never a value
// (`--set` values are recorded in the transcript unless secret, and a
// secret given with `--set` has to be given again, by a safer way).
export function resumeCommand(file: string, runId: string, inputs: ResumeOptions): string {
  const args = ['runbook', 'play', file, '--resume', runId];
  if (inputs.envFile !== undefined) args.push('--env-file', inputs.envFile);
  if (inputs.dotenv !== undefined) args.push('--dotenv', inputs.dotenv);
  for (const item of inputs.setFile ?? []) args.push('--set-file', item);
  if (inputs.setStdin !== undefined) args.push('--set-stdin', inputs.setStdin);
  if (inputs.transcriptDir !== undefined) args.push('--transcript-dir', inputs.transcriptDir);
  if (inputs.readOnly === true) args.push('--read-only');
  if (inputs.allowChanged === true) args.push('--allow-changed');
  if (inputs.incident !== undefined) args.push('--incident', inputs.incident);
  if (inputs.operator !== undefined) args.push('--operator', inputs.operator);
  if (inputs.yes === true) args.push('--yes');
  if (inputs.json === true) args.push('--json');
  return quote(args);
}
