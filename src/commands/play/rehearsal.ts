import {UsageError} from '../../cli/errors.js';
import type {ResumePlan} from '../../engine/run.js';
import type {OpenedRun} from './open-run.js';

export interface ModeFlags {
  readonly readOnly: boolean;
  readonly live: boolean;
  readonly resume: boolean;
}

// Flags that cannot go together, refused before anything is opened.
export function checkModeFlags(flags: ModeFlags): void {
  if (flags.live && !flags.resume) throw new UsageError('--live goes with --resume, to play a read-only rehearsal on for real; a new run is live unless --read-only');
  if (flags.live && flags.readOnly) throw new UsageError('--live and --read-only contradict each other; give one');
}

// The question the player asks before a rehearsal goes live; undefined when
// there is nothing to ask (not a rehearsal, or no --live).
export function goLiveQuestion(opened: OpenedRun, flags: ModeFlags): string | undefined {
  if (!flags.live || opened.rehearsal === undefined || opened.resume === undefined) return undefined;
  const {nodes} = opened.rehearsal;
  const count = nodes.length === 1 ? '1 node' : `${nodes.length} nodes`;
  return `Attempt ${opened.resume.attempt - 1} was a read-only rehearsal; ${nodes.length === 0 ? 'nodes that mutate will run from here on' : `the ${count} it skipped because ${nodes.length === 1 ? 'it mutates' : 'they mutate'} (${nodes.join(', ')}) will run`}.`;
}

// Whether this attempt is a rehearsal, and what it resumes from. Resuming a
// rehearsal stays a rehearsal unless --live was given and confirmed: then
// every node it skipped because it mutates is pending again.
export function attemptMode(opened: OpenedRun, flags: ModeFlags, confirmed: boolean): {readOnly: boolean; resume?: ResumePlan} {
  const {resume, rehearsal} = opened;
  if (resume === undefined) return {readOnly: flags.readOnly};
  if (rehearsal === undefined || flags.readOnly) return {readOnly: flags.readOnly, resume};
  const earlier = resume.attempt - 1;
  if (flags.live && confirmed) {
    const pending = rehearsal.nodes.length === 0 ? '' : `, and the nodes the rehearsal skipped because they mutate are pending again: ${rehearsal.nodes.join(', ')}`;
    return {readOnly: false, resume: withNote(rehearsal.livePlan, `attempt ${earlier} was a read-only rehearsal; this attempt is live${pending}`)};
  }
  const why = flags.live ? 'the operator chose to keep rehearsing' : 'resume with --live to play it for real';
  return {readOnly: true, resume: withNote(resume, `attempt ${earlier} was a read-only rehearsal, and so is this one: nodes that mutate are skipped (${why})`)};
}

function withNote(plan: ResumePlan, note: string): ResumePlan {
  return {...plan, notes: [...(plan.notes ?? []), note]};
}
