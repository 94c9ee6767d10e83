import type {RunState} from '../../engine/run-state.js';
import {plain, seg, wrap, type Line} from './lines.js';
import {noteSegments} from './step-body.js';

// Every note of the run, by the step it was made in, oldest first.
export function notesViewLines(run: RunState, width: number): Line[] {
  const lines: Line[] = [plain('Notes', {bold: true})];
  if (run.notes.length === 0) return [...lines, plain('No notes yet: n adds one.', {dim: true})];
  let stepId: string | undefined | null = null;
  for (const note of run.notes) {
    if (note.stepId !== stepId) {
      stepId = note.stepId;
      const step = stepId === undefined ? undefined : run.steps.get(stepId);
      const title = step === undefined ? 'Before the first step' : [step.number, step.title].filter((part) => part !== null).join(' ');
      lines.push([], plain(title, {bold: true}));
    }
    lines.push(...wrap(noteSegments(run, note), width, {first: [seg('  ')], rest: [seg('      ')]}));
  }
  return lines;
}
