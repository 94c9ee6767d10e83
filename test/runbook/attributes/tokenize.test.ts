import {describe, expect, it} from 'vitest';
import {tokenizeAttributes, valueOffset, type AttributeToken} from '../../../src/runbook/attributes/tokenize.js';

// Tokens without offsets, for readable expectations.
function shapes(text: string): unknown[] {
  return tokenizeAttributes(text).tokens.map((token) => {
    switch (token.kind) {
      case 'id':
      case 'class':
        return `${token.kind}:${token.value}`;
      case 'flag':
        return `flag:${token.key}`;
      case 'pair':
        return {[token.key]: token.value};
      default:
        return token satisfies never;
    }
  });
}

function pair(text: string, key: string): Extract<AttributeToken, {kind: 'pair'}> {
  const token = tokenizeAttributes(text).tokens.find((candidate) => candidate.kind === 'pair' && candidate.key === key);
  if (token?.kind !== 'pair') throw new Error(`no pair ${key} in ${text}`);
  return token;
}

describe('tokenizeAttributes', () => {
  it('reads ids, classes, flags and bare pairs with offsets', () => {
    expect(tokenizeAttributes('#health .slow timeout=10s mutates')).toEqual({
      tokens: [
        {kind: 'id', value: 'health', start: 0, end: 7},
        {kind: 'class', value: 'slow', start: 8, end: 13},
        {kind: 'pair', key: 'timeout', value: '10s', quoted: false, start: 14, end: 25, valueStart: 22, escapes: []},
        {kind: 'flag', key: 'mutates', start: 26, end: 33},
      ],
      errors: [],
    });
  });

  it('keeps spaces and `=` inside double quotes', () => {
    expect(shapes('confirm="Redeploy api = now?" mutates')).toEqual([{confirm: 'Redeploy api = now?'}, 'flag:mutates']);
  });

  it('reads single quotes literally, backslashes included', () => {
    expect(shapes(String.raw`if='a == "b"' cwd='C:\tmp'`)).toEqual([{if: 'a == "b"'}, {cwd: String.raw`C:\tmp`}]);
  });

  it('unescapes backslashes inside double quotes', () => {
    expect(shapes(String.raw`confirm="say \"yes\" or \\no"`)).toEqual([{confirm: String.raw`say "yes" or \no`}]);
  });

  it('accepts an empty quoted value', () => {
    expect(shapes('confirm=""')).toEqual([{confirm: ''}]);
  });

  it('tokenizes only the range it is given', () => {
    const text = '```sh {#probe retries=2} trailing';
    const {tokens} = tokenizeAttributes(text, text.indexOf('{') + 1, text.indexOf('}'));
    expect(tokens.map((token) => [token.kind, token.start, token.end])).toEqual([['id', 7, 13], ['pair', 14, 23]]);
  });

  it('reads line breaks as separators, for comments over several lines', () => {
    expect(shapes('#deploy\n  timeout=5m\r\nmutates')).toEqual(['id:deploy', {timeout: '5m'}, 'flag:mutates']);
  });

  it('reads tabs as separators and unicode in values', () => {
    expect(shapes('#déploiement\tconfirm="Déployer ✓?"')).toEqual(['id:déploiement', {confirm: 'Déployer ✓?'}]);
  });

  it('reports an unterminated quote from the quote to the end', () => {
    expect(tokenizeAttributes('#a confirm="Really?')).toEqual({
      tokens: [{kind: 'id', value: 'a', start: 0, end: 2}],
      errors: [{message: 'Unexpected end of attributes, expected a closing `"` for the value opened here', start: 11, end: 19}],
    });
  });

  it('reports `#` and `.` without a name', () => {
    expect(tokenizeAttributes('# .').errors).toEqual([
      {message: 'Unexpected `#` without a name, expected `#name`', start: 0, end: 1},
      {message: 'Unexpected `.` without a name, expected `.name`', start: 2, end: 3},
    ]);
  });

  it('reports a stray `=` or quote where a name belongs', () => {
    expect(tokenizeAttributes('=x "y"').errors.map((error) => error.message)).toEqual([
      'Unexpected `=`, expected an attribute name',
      'Unexpected `"`, expected an attribute name',
    ]);
  });

  it('reports a key with an empty value', () => {
    expect(tokenizeAttributes('timeout= ').errors).toEqual([
      {message: 'Unexpected empty value for `timeout`, expected `timeout=value`', start: 0, end: 9},
    ]);
  });

  it('reads `key = value` as one pair with one error about the spaces', () => {
    const result = tokenizeAttributes('retries = 3 mutates');
    expect(result.errors).toEqual([{message: 'Unexpected space around `=` after `retries`, expected `retries=value`', start: 7, end: 10}]);
    expect(result.tokens.map((token) => token.kind)).toEqual(['pair', 'flag']);
  });
});

describe('valueOffset', () => {
  it('maps a value index to the source through the opening quote', () => {
    const text = 'if="health.failed"';
    expect(text[valueOffset(pair(text, 'if'), 7)]).toBe('f');
  });

  it('maps through escapes, up to just past the value', () => {
    const text = String.raw`if="a == \"x\" && nope"`;
    const token = pair(text, 'if');
    expect(token.value).toBe('a == "x" && nope');
    expect(text.slice(valueOffset(token, token.value.indexOf('nope')))).toBe('nope"');
    expect(text[valueOffset(token, token.value.length)]).toBe('"');
  });

  it('maps bare values directly', () => {
    const text = 'if=a.ok&&nope';
    expect(valueOffset(pair(text, 'if'), 7)).toBe(10);
  });
});
