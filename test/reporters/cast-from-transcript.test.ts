import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../src/engine/events.js';
import {castFromTranscript} from '../../src/reporters/cast-from-transcript.js';
import {sampleRun, sha256, startTranscript, temporaryDir} from '../transcript/helpers.js';
import {parseCast} from './asciicast-schema.js';

async function castOf(path: string, version: 2 | 3 = 3): Promise<string> {
  let text = '';
  for await (const line of castFromTranscript(path, {version, head: 'ab'.repeat(32), verdict: 'intact'})) text += line;
  return text;
}

function record(events: readonly RunEvent[]): string {
  const writer = startTranscript(temporaryDir());
  for (const event of events) writer.onEvent(event);
  writer.close();
  return writer.path;
}

describe('a transcript as an asciicast', () => {
  it('names the operator who took each decision in its marker', async () => {
    const events = sampleRun('r1').map((event): RunEvent => {
      if (event.type === 'run-start') return {...event, operator: 'alice'};
      if (event.type === 'decision-taken') return {...event, by: 'operator'};
      return event;
    });
    const cast = parseCast(await castOf(record(events)), 3);
    expect(cast.events.filter((event) => event[1] === 'm').map((event) => event[2])).toEqual(['step check', 'confirm health: run — operator alice']);
    expect(cast.events.at(-1)?.slice(1)).toEqual(['x', '0']);
  });

  it('ends with a marker, not an exit status, when the last attempt never ended', async () => {
    const cast = parseCast(await castOf(record(sampleRun('r1', 'none'))), 3);
    expect(cast.events.some((event) => event[1] === 'x')).toBe(false);
    expect(cast.events.at(-1)?.slice(1)).toEqual(['m', 'the transcript ends without the end of the run (the process was killed, or the run is still going)']);
  });

  it.each([['interrupted', '130'], ['aborted', '1'], ['failed', '1'], ['passed', '0']] as const)('ends a run %s with the exit status %s', async (outcome, status) => {
    const cast = parseCast(await castOf(record(sampleRun('r1', outcome))), 3);
    expect(cast.events.filter((event) => event[1] === 'x').map((event) => event[2])).toEqual([status]);
  });

  it('shows escape sequences in recorded ids inert in the markers and the tags', async () => {
    const writer = startTranscript(temporaryDir(), {header: {
      runbookPath: 'runbooks/rollback.md', runbookSha256: sha256('# Rollback\n'), source: '# Rollback\n', argv: [], inputs: {},
      operator: 'ops@laptop', engineVersion: '1.2.3', startedAt: '2026-11-28T23:15:02.000Z', incident: 'INC-1\u001b[2J',
    }});
    const events = sampleRun(writer.runId).map((event): RunEvent => (event.type === 'step-start' ? {...event, stepId: 'x\u001b]0;pwned\u0007'} : event));
    for (const event of events) writer.onEvent(event);
    writer.close();
    const text = await castOf(writer.path, 2);
    const cast = parseCast(text, 2);
    expect(cast.events.find((event) => event[1] === 'm')?.[2]).toBe('step x\\x1b]0;pwned\\x07');
    const v3 = parseCast(await castOf(writer.path, 3), 3);
    expect(v3.header['tags']).toEqual(['runbook', 'INC-1\\x1b[2J']);
    expect(String(v3.header['title'])).toContain('incident INC-1\\x1b[2J');
    expect(JSON.stringify(cast.events)).not.toContain('\u001b');
  });
});
