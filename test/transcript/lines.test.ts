import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readRawLineBatches, readRawLines} from '../../src/transcript/lines.js';
import {temporaryDir} from './helpers.js';

async function collect(path: string, readBytes?: number): Promise<{number: number; text: string; terminated: boolean}[]> {
  const lines = [];
  for await (const batch of readRawLineBatches(path, readBytes)) {
    for (const line of batch) lines.push({number: line.number, text: line.bytes.toString('utf8'), terminated: line.terminated});
  }
  return lines;
}

describe('readRawLineBatches', () => {
  const text = 'first\nsecond, longer than a read\n\nthird é\nunfinished';
  const expected = [
    {number: 1, text: 'first', terminated: true},
    {number: 2, text: 'second, longer than a read', terminated: true},
    {number: 3, text: '', terminated: true},
    {number: 4, text: 'third é', terminated: true},
    {number: 5, text: 'unfinished', terminated: false},
  ];

  it('gives the same lines whatever the size of its reads, joining lines that span reads (even mid-character)', async () => {
    const path = join(temporaryDir(), 'lines.txt');
    writeFileSync(path, text);
    for (const readBytes of [1, 2, 3, 7, 64, 1024 * 1024]) expect(await collect(path, readBytes)).toEqual(expected);
  });

  it('is what readRawLines gives one line at a time', async () => {
    const path = join(temporaryDir(), 'lines.txt');
    writeFileSync(path, `${text}\n`);
    const lines = [];
    for await (const line of readRawLines(path)) lines.push({number: line.number, text: line.bytes.toString('utf8'), terminated: line.terminated});
    expect(lines).toEqual([...expected.slice(0, 4), {number: 5, text: 'unfinished', terminated: true}]);
  });
});
