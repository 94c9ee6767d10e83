import {describe, expect, it} from 'vitest';
import {DisplayLineSplitter} from '../../src/reporters/display-lines.js';

describe('DisplayLineSplitter', () => {
  it('cuts at newlines and every `width` characters, marking the pieces after a cut', () => {
    const splitter = new DisplayLineSplitter(4);
    expect(splitter.push('ab\nabcdefghij')).toEqual([
      {text: 'ab', continued: false},
      {text: 'abcd', continued: false},
      {text: 'efgh', continued: true},
    ]);
    expect(splitter.push('kl\nxy')).toEqual([{text: 'ijkl', continued: true}]);
    expect(splitter.push('')).toEqual([]);
    expect(splitter.flush()).toEqual({text: 'xy', continued: false});
    expect(splitter.flush()).toBeUndefined();
  });

  it('holds at most `width` characters of a line however it arrives', () => {
    const splitter = new DisplayLineSplitter(8);
    const pieces = Array.from({length: 20}, () => splitter.push('xyz')).flat();
    expect(pieces.map((line) => line.text)).toEqual(['xyzxyzxy', 'zxyzxyzx', 'yzxyzxyz', 'xyzxyzxy', 'zxyzxyzx', 'yzxyzxyz', 'xyzxyzxy']);
    expect(pieces.map((line) => line.continued)).toEqual([false, true, true, true, true, true, true]);
    expect(splitter.flush()).toEqual({text: 'zxyz', continued: true});
  });

  it('never splits a surrogate pair', () => {
    const splitter = new DisplayLineSplitter(3);
    expect(splitter.push('ab😀cd\n').map((line) => line.text)).toEqual(['ab', '😀c', 'd']);
  });
});
