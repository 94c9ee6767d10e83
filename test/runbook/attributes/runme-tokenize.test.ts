import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {tokenizeRunmeAttributes} from '../../../src/runbook/attributes/runme-tokenize.js';

// The inside of `{…}` as parse.ts hands it over: from after `{` to `}`.
const inside = (info: string): ReturnType<typeof tokenizeRunmeAttributes> => {
  const open = info.indexOf('{');
  return tokenizeRunmeAttributes(info, open + 1, info.lastIndexOf('}'));
};
const pairs = (info: string): [string, string, boolean][] =>
  (inside(info)?.tokens ?? []).map((token) => (token.kind === 'pair' ? [token.key, token.value, token.quoted] : [token.kind, '', false]));

describe('Runme attributes as tokens', () => {
  it('reads JSON attributes, every value a string as Runme reads them (docs.runme.dev, runme)', () => {
    expect(pairs('```sh {"tag":"a,b","id":"01HF7BT3HD84GWTQB8ZVF8JVKF","name":"b"}')).toEqual([
      ['tag', 'a,b', true], ['id', '01HF7BT3HD84GWTQB8ZVF8JVKF', true], ['name', 'b', true],
    ]);
    expect(pairs('```sh {"name": "generate"}')).toEqual([['name', 'generate', true]]);
    expect(pairs('```sh {"excludeFromRunAll":true,"terminalRows":16,"data":{"a":[1,"}"]}}')).toEqual([
      ['excludeFromRunAll', 'true', false], ['terminalRows', '16', false], ['data', '{"a":[1,"}"]}', false],
    ]);
  });

  it('takes Runme’s spellings of true and false for interactive and background', () => {
    expect(pairs('```sh {"interactive":"True","background":"0","name":"True"}')).toEqual([['interactive', 'true', true], ['background', 'false', true], ['name', 'True', true]]);
  });

  it('reads the mix Runme writes in older files: its key=value words beside JSON members', () => {
    expect(pairs('```sh { cwd=.. "id":"01HP475WXX5PVV658023KQJFRE"}')).toEqual([['cwd', '..', false], ['id', '01HP475WXX5PVV658023KQJFRE', true]]);
  });

  it('positions a value at its opening quote, and a token from its key', () => {
    const info = '```sh {"id":"01J5","name":"setup"}';
    const name = inside(info)?.tokens[1];
    expect(name).toMatchObject({kind: 'pair', key: 'name', start: info.indexOf('"name"'), valueStart: info.indexOf('"setup"'), end: info.indexOf('}')});
  });

  it('decodes JSON escapes, and leaves a member out when its value is null', () => {
    expect(pairs(String.raw`x {"name":"a\"b\u0041","tag":null}`)).toEqual([['name', 'a"bA', true]]);
  });

  it('is not used for our own attributes, which never hold a JSON member', () => {
    expect(inside('```sh {#check timeout=10s confirm="Go on?"}')).toBeUndefined();
    expect(inside('```sh { name=update-brew }')).toBeUndefined();
    expect(inside(`\`\`\`sh {confirm='Type "yes": then'}`)).toBeUndefined();
    expect(inside('```sh {confirm="Say \\"yes\\": then" timeout=5s}')).toBeUndefined();
  });

  it('says where JSON attributes are broken', () => {
    expect(inside('```sh {"name":"unclosed}')?.errors.map((error) => error.message)).toEqual([
      'Unexpected end of attributes, expected a closing `"` for the JSON string opened here',
    ]);
    expect(inside('```sh {"interactive":yes}')?.errors.map((error) => error.message)).toEqual([
      'Unexpected `yes` as a JSON value, expected a string in quotes such as `"true"`, a number, `true`, `false` or `null`',
    ]);
  });
});

describe('Runme attributes on any text', () => {
  // pieces of JSON and of our syntax, so the mixes are likely
  const piece = fc.constantFrom('{', '}', '"', '\\', ':', ',', ' ', '=', 'name', 'id', '01HF', '"x"', 'true', 'null', '[', ']', '\\u00', '#a', 'k=v');
  it('never throws, and every token and error lies inside the braces', () => {
    fc.assert(fc.property(fc.array(piece, {maxLength: 30}), (pieces) => {
      const info = `sh {"name":${pieces.join('')}}`;
      const from = info.indexOf('{') + 1;
      const to = info.lastIndexOf('}');
      const result = tokenizeRunmeAttributes(info, from, to);
      expect(result).toBeDefined();
      for (const item of [...(result?.tokens ?? []), ...(result?.errors ?? [])]) {
        expect(item.start).toBeGreaterThanOrEqual(from);
        expect(item.end).toBeLessThanOrEqual(to);
        expect(item.start).toBeLessThanOrEqual(item.end);
      }
    }), {numRuns: 500});
  });
});
