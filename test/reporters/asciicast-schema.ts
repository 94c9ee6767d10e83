import {z} from 'zod';
import {expect} from 'vitest';

// The asciicast formats as asciinema documents them
// (docs.asciinema.org/manual/asciicast/v2, …/v3), strictly: a header object
// on the first line, then one `[time, code, data]` array per line.

const time = z.number().nonnegative();

export const v3Header = z.strictObject({
  version: z.literal(3),
  term: z.strictObject({cols: z.int().positive(), rows: z.int().positive(), type: z.string().optional()}),
  timestamp: z.int().nonnegative().optional(),
  idle_time_limit: z.number().positive().optional(),
  command: z.string().optional(),
  title: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.string()).optional(),
});

// v3: the time is the interval since the previous event; `x` is the exit status
export const v3Event = z.union([
  z.tuple([time, z.literal('o'), z.string()]),
  z.tuple([time, z.literal('m'), z.string()]),
  z.tuple([time, z.literal('x'), z.string().regex(/^\d+$/)]),
]);

export const v2Header = z.strictObject({
  version: z.literal(2),
  width: z.int().positive(),
  height: z.int().positive(),
  timestamp: z.int().nonnegative().optional(),
  duration: z.number().nonnegative().optional(),
  idle_time_limit: z.number().positive().optional(),
  command: z.string().optional(),
  title: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});

// v2: the time is since the start of the recording; there is no exit event
export const v2Event = z.union([
  z.tuple([time, z.literal('o'), z.string()]),
  z.tuple([time, z.literal('m'), z.string()]),
]);

export type CastEvent = readonly [number, string, string];

export interface ParsedCast {
  readonly header: Record<string, unknown>;
  readonly events: readonly CastEvent[];
  // each event's time since the start
  readonly at: readonly number[];
}

// Validates every line of the file against its version's schema (throwing
// with the line number otherwise) and gives the events with absolute times.
export function parseCast(text: string, version: 2 | 3): ParsedCast {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  const header = (version === 3 ? v3Header : v2Header).parse(JSON.parse(lines[0] ?? ''));
  const events: CastEvent[] = [];
  const at: number[] = [];
  let now = 0;
  for (const [index, line] of lines.slice(1).entries()) {
    const parsed = (version === 3 ? v3Event : v2Event).safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`line ${index + 2} is not an asciicast v${version} event: ${line}\n${parsed.error.message}`);
    const event = parsed.data as CastEvent;
    if (version === 3) now += event[0];
    else {
      expect(event[0]).toBeGreaterThanOrEqual(now);
      now = event[0];
    }
    events.push(event);
    at.push(now);
  }
  return {header, events, at};
}

