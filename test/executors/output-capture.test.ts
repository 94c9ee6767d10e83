import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {completeUtf8Prefix, OutputCapture, textForwarder} from '../../src/executors/output-capture.js';
import type {OutputChunk} from '../../src/executors/types.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('OutputCapture', () => {
  it('keeps everything under the limit', () => {
    const capture = new OutputCapture(10);
    capture.push(bytes('hello '));
    capture.push(bytes('you'));
    expect([capture.text(), capture.truncated]).toEqual(['hello you', false]);
  });

  it('keeps exactly the limit and marks the rest as truncated', () => {
    const capture = new OutputCapture(8);
    capture.push(bytes('hello '));
    capture.push(bytes('world'));
    capture.push(bytes('more'));
    expect([capture.text(), capture.truncated]).toEqual(['hello wo', true]);
  });

  it('is not truncated by output that exactly fills it', () => {
    const capture = new OutputCapture(5);
    capture.push(bytes('hello'));
    capture.push(bytes(''));
    expect([capture.text(), capture.truncated]).toEqual(['hello', false]);
  });

  it('drops a character the limit cut in half', () => {
    const capture = new OutputCapture(4);
    capture.push(bytes('ab€'));
    expect([capture.text(), capture.truncated]).toEqual(['ab', true]);
  });
});

describe('completeUtf8Prefix', () => {
  it.each([
    ['a€', 3, 'a'],
    ['a€', 4, 'a€'],
    ['a😀', 4, 'a'],
    ['a😀', 5, 'a😀'],
    ['é', 1, ''],
    ['abc', 2, 'ab'],
  ])('%s cut at %i bytes keeps %s', (text, cut, kept) => {
    expect(Buffer.from(completeUtf8Prefix(bytes(text).subarray(0, cut))).toString('utf8')).toBe(kept);
  });
});

describe('textForwarder', () => {
  it('emits a character split across chunks once, whole', () => {
    const chunks: OutputChunk[] = [];
    const forward = textForwarder('stderr', (chunk) => chunks.push(chunk));
    const euro = bytes('x€y');
    forward.write(euro.subarray(0, 2));
    forward.write(euro.subarray(2, 3));
    forward.write(euro.subarray(3, 4));
    forward.write(euro.subarray(4));
    forward.end();
    forward.end();
    expect(chunks).toEqual([{stream: 'stderr', text: 'x'}, {stream: 'stderr', text: '€'}, {stream: 'stderr', text: 'y'}]);
  });

  it('flushes an incomplete character at the end as a replacement character', () => {
    const chunks: OutputChunk[] = [];
    const forward = textForwarder('stdout', (chunk) => chunks.push(chunk));
    forward.write(bytes('€').subarray(0, 2));
    forward.end();
    expect(chunks).toEqual([{stream: 'stdout', text: '\uFFFD'}]);
  });

  it('decodes any bytes cut anywhere as TextDecoder decodes them whole, ASCII chunks or not', () => {
    // bytes drawn mostly from ASCII, with lead, continuation and invalid bytes among them
    const byte = fc.oneof(fc.integer({min: 0x20, max: 0x7e}), fc.constantFrom(0x0a, 0x80, 0xbf, 0xc3, 0xe2, 0xf0, 0x9f, 0xff));
    fc.assert(fc.property(fc.array(byte, {maxLength: 40}), fc.array(fc.integer({min: 0, max: 40})), (values, cuts) => {
      const whole = Uint8Array.from(values);
      const points = [...new Set([0, ...cuts.map((cut) => Math.min(cut, whole.length)), whole.length])].sort((a, b) => a - b);
      let text = '';
      const forward = textForwarder('stdout', (chunk) => (text += chunk.text));
      for (let index = 1; index < points.length; index += 1) forward.write(whole.subarray(points[index - 1], points[index]));
      forward.end();
      expect(text).toBe(new TextDecoder('utf-8').decode(whole));
    }), {numRuns: 2000});
  });
});
