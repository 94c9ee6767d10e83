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
  const {skipped, rerun, since} = opened.rehearsal;
  const attempts = capitalized(rehearsals(since, opened.resume.attempt - 1));
  const [first] = skipped;
  if (first === undefined) return `${attempts}; nodes that mutate will run from here on.`;
  const after = rerun.length - 1;
  return `${attempts}. ${rerun.length === 1 ? '1 node runs' : `${rerun.length} nodes run`} again: ${first}, the first node skipped because it mutates${after === 0 ? '' : `, and the ${after === 1 ? 'one' : after} played after it`}.`;
}

// "attempt 2 was a read-only rehearsal", "attempts 1–2 were read-only rehearsals"
function rehearsals(since: number, last: number): string {
  return since >= last ? `attempt ${last} was a read-only rehearsal` : `attempts ${since}–${last} were read-only rehearsals`;
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

// Whether this attempt is a rehearsal, and what it resumes from. Resuming a
// rehearsal stays a rehearsal unless --live was given and confirmed: then
// every node from the first it skipped because it mutates on is pending
// again, checks included, and what those nodes captured no longer counts.
export function attemptMode(opened: OpenedRun, flags: ModeFlags, confirmed: boolean): {readOnly: boolean; resume?: ResumePlan} {
  const {resume, rehearsal} = opened;
  if (resume === undefined) return {readOnly: flags.readOnly};
  if (rehearsal === undefined || flags.readOnly) return {readOnly: flags.readOnly, resume};
  const earlier = resume.attempt - 1;
  if (flags.live && confirmed) {
    const [first] = rehearsal.skipped;
    const pending = first === undefined ? '' : `: from ${first} on (the first node skipped because it mutates) the rehearsal's results no longer count, and ${rehearsal.rerun.length === 1 ? 'this node is' : `these ${rehearsal.rerun.length} nodes are`} pending again: ${rehearsal.rerun.join(', ')}`;
    return {readOnly: false, resume: withNote(rehearsal.livePlan, `${rehearsals(rehearsal.since, earlier)}; this attempt is live${pending}`)};
  }
  const why = flags.live ? 'the operator chose to keep rehearsing' : 'resume with --live to play it for real';
  return {readOnly: true, resume: withNote(resume, `attempt ${earlier} was a read-only rehearsal, and so is this one: nodes that mutate are skipped (${why})`)};
}

function withNote(plan: ResumePlan, note: string): ResumePlan {
  return {...plan, notes: [...(plan.notes ?? []), note]};
}
