import {z} from 'zod';

// The incident record `runbook report` builds from a transcript, as data:
// what `--json` prints and what the Markdown is rendered from. Every text
// in it comes from the transcript, already masked (secrets are `••••••`);
// nothing here is unmasked. Times are RFC 3339 in UTC.

export const incidentRecordFormat = 'runbook-incident-record/1';

const time = z.string();
const who = z.enum(['operator', 'auto', 'engine']);

export const attemptSchema = z.object({
  attempt: z.number().int(),
  operator: z.string().nullable(),
  user: z.string().nullable(),
  host: z.string().nullable(),
  mode: z.enum(['live', 'rehearsal']),
  resumed: z.boolean(),
  startedAt: time,
  // absent when the attempt recorded no run-end (killed, or in progress)
  endedAt: time.nullable(),
  durationMs: z.number().nullable(),
  outcome: z.enum(['passed', 'failed', 'aborted', 'interrupted', 'unfinished']),
  reason: z.string().nullable(),
});

export const verificationSchema = z.object({
  // `intact`, `NOT intact`, `intact so far, in progress`
  verdict: z.string(),
  ok: z.boolean(),
  sealed: z.boolean(),
  status: z.enum(['finished', 'unfinished', 'in-progress']),
  // `sha256:` and the first 32 hex digits, as play and verify print it
  head: z.string().nullable(),
  problems: z.array(z.object({line: z.number().int().nullable(), severity: z.enum(['error', 'warning']), message: z.string()})),
});

export const timelineKind = z.enum(['attempt-start', 'attempt-end', 'step-start', 'step-end', 'node', 'retry', 'decision', 'note', 'interruption', 'recovered', 'unreadable']);

export const timelineEntrySchema = z.object({
  time,
  attempt: z.number().int(),
  kind: timelineKind,
  // the step's title (with its number) when the event belongs to one
  step: z.string().nullable(),
  // what happened, in words (`http node health`, `confirm redeploy_web: run`)
  event: z.string(),
  nodeId: z.string().nullable(),
  who: z.string().nullable(),
  result: z.string().nullable(),
  durationMs: z.number().nullable(),
  // a reason, a note, a prompt's answer: free text
  details: z.string().nullable(),
});

export const approvalSchema = z.object({
  by: who,
  // `operator alice` (the attempt's operator), `auto` (--yes)
  who: z.string(),
  decision: z.string(),
  time,
  note: z.string().nullable(),
});

export const mutatingNodeSchema = z.object({
  nodeId: z.string(),
  step: z.string().nullable(),
  // every attempt of the run that reached the node, in order
  runs: z.array(z.object({
    attempt: z.number().int(),
    try: z.number().int(),
    time,
    outcome: z.string(),
    reason: z.string().nullable(),
    approval: approvalSchema.nullable(),
  })),
});

export const exceptionSchema = z.object({
  time,
  attempt: z.number().int(),
  // skipped, marked-done, not-applicable (a checklist item), step-skipped
  kind: z.enum(['skipped', 'marked-done', 'not-applicable', 'step-skipped']),
  // the node or checklist it concerns, when one
  nodeId: z.string().nullable(),
  // `sh node`, `step Roll back`, `item: Update the status page`
  what: z.string(),
  step: z.string().nullable(),
  by: z.string(),
  reason: z.string().nullable(),
});

export const failureSchema = z.object({
  time,
  attempt: z.number().int(),
  nodeId: z.string(),
  try: z.number().int(),
  step: z.string().nullable(),
  outcome: z.string(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  reason: z.string().nullable(),
  // the last lines of its output (stdout and stderr as they came), masked
  excerpt: z.array(z.string()),
  // lines of output before the excerpt that it leaves out (null when part
  // of it is in a side file, whose tail alone is read)
  linesBefore: z.number().int().nullable(),
  // the side file the rest of the output is in, relative to the run directory
  sideFile: z.string().nullable(),
});

export const captureSchema = z.object({nodeId: z.string(), attempt: z.number().int(), name: z.string(), value: z.string()});

export const httpTargetSchema = z.object({
  nodeId: z.string(), attempt: z.number().int(), try: z.number().int(), time,
  method: z.string(), url: z.string(), status: z.number().int(), outcome: z.string(),
});

export const actionItemSchema = z.object({checklistId: z.string(), step: z.string().nullable(), text: z.string(), why: z.string()});

export const incidentRecordSchema = z.object({
  format: z.literal(incidentRecordFormat),
  runId: z.string(),
  title: z.string().nullable(),
  runbookPath: z.string(),
  runbookSha256: z.string(),
  incident: z.string().nullable(),
  transcriptPath: z.string(),
  startedAt: time,
  endedAt: time.nullable(),
  durationMs: z.number().nullable(),
  outcome: z.enum(['passed', 'failed', 'aborted', 'interrupted', 'unfinished']),
  // `passed`, `passed with 8 exceptions (6 allowed failures, 2 skipped)`, …
  outcomeText: z.string(),
  exceptions: z.number().int(),
  mode: z.enum(['live', 'rehearsal', 'rehearsal, then live']),
  attempts: z.array(attemptSchema),
  verification: verificationSchema,
  timeline: z.array(timelineEntrySchema),
  mutating: z.array(mutatingNodeSchema),
  exceptionList: z.array(exceptionSchema),
  failures: z.array(failureSchema),
  // failures past the excerpt limit are listed without their output
  failuresWithoutExcerpt: z.number().int(),
  captures: z.array(captureSchema),
  httpTargets: z.array(httpTargetSchema),
  actionItems: z.array(actionItemSchema),
});

export type IncidentRecord = z.infer<typeof incidentRecordSchema>;
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
export type AttemptSummary = z.infer<typeof attemptSchema>;
export type MutatingNode = z.infer<typeof mutatingNodeSchema>;
export type ExceptionEntry = z.infer<typeof exceptionSchema>;
export type FailureEntry = z.infer<typeof failureSchema>;
export type ActionItem = z.infer<typeof actionItemSchema>;
export type Verification = z.infer<typeof verificationSchema>;
