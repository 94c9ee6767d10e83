import {describe, expect, it} from 'vitest';
import {AsciicastEncoder, attemptGapMs, CastClock} from '../../src/reporters/asciicast.js';
import {parseCast} from './asciicast-schema.js';

const fields = {cols: 120, rows: 35, timestamp: 1_796_000_000, title: 'Rollback — run r1', tags: ['runbook', 'INC-7'], idleTimeLimit: 3};

function cast(version: 2 | 3): string {
  const encoder = new AsciicastEncoder(version);
  return [
    encoder.header(fields),
    encoder.marker(0, 'step 1 Check'),
    encoder.output(250, 'one\ntwo\r\n'),
    encoder.output(1250, 'three\n'),
    // a time before the last one never makes the timeline go back
    encoder.output(1000, 'four\n'),
    encoder.exit(2000, 130),
  ].join('');
}

describe('the asciicast encoder', () => {
  it('writes v3: a header with term, title and tags, intervals since the previous event, markers and the exit status', () => {
    const text = cast(3);
    const {header, events, at} = parseCast(text, 3);
    expect(header).toEqual({version: 3, term: {cols: 120, rows: 35, type: 'xterm-256color'}, timestamp: 1_796_000_000, idle_time_limit: 3, title: 'Rollback — run r1', tags: ['runbook', 'INC-7']});
    expect(events).toEqual([[0, 'm', 'step 1 Check'], [0.25, 'o', 'one\r\ntwo\r\n'], [1, 'o', 'three\r\n'], [0, 'o', 'four\r\n'], [0.75, 'x', '130']]);
    expect(at).toEqual([0, 0.25, 1.25, 1.25, 2]);
  });

  it('writes v2: width and height, times since the start, no tags and no exit event', () => {
    const {header, events} = parseCast(cast(2), 2);
    expect(header).toEqual({version: 2, width: 120, height: 35, timestamp: 1_796_000_000, idle_time_limit: 3, title: 'Rollback — run r1', env: {TERM: 'xterm-256color'}});
    expect(events).toEqual([[0, 'm', 'step 1 Check'], [0.25, 'o', 'one\r\ntwo\r\n'], [1.25, 'o', 'three\r\n'], [1.25, 'o', 'four\r\n']]);
  });

  it('escapes C1 controls and format characters in the JSON, so reading the file in a terminal is safe too', () => {
    const line = new AsciicastEncoder(3).output(0, 'a\u009b31mb\u202ec\u001b[0m');
    expect(line).toBe('[0.000, "o", "a\\u009b31mb\\u202ec\\u001b[0m"]\n');
    expect(line.slice(0, -1)).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });
});

describe('the cast clock', () => {
  it('makes one continuous timeline of attempts whose mono restarts at 0', () => {
    const clock = new CastClock();
    expect([clock.at(1, 0), clock.at(1, 400), clock.at(1, 900)]).toEqual([0, 400, 900]);
    // attempt 2 began days later, its mono from 0 again
    expect([clock.at(2, 0), clock.at(2, 50)]).toEqual([900 + attemptGapMs, 950 + attemptGapMs]);
    expect(clock.at(3, 10)).toBe(950 + 2 * attemptGapMs + 10);
    // a mono that went back (a bad record) holds the time
    expect(clock.at(3, 0)).toBe(950 + 2 * attemptGapMs + 10);
  });
});
