import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {masked} from '../../src/engine/events.js';
import {Redactor, looksSecretName, minimumSecretLength, type RedactionStream} from '../../src/engine/redaction.js';

const secret = 'hunter2/Secret+"é?';

function streamed(stream: RedactionStream, chunks: readonly string[]): string {
  return chunks.map((chunk) => stream.push(chunk)).join('') + stream.flush();
}

function encodings(value: string): Record<string, string> {
  const base64 = Buffer.from(value).toString('base64');
  const urlSafe = base64.replaceAll('+', '-').replaceAll('/', '_');
  return {
    raw: value,
    base64,
    'base64 unpadded': base64.replace(/=+$/, ''),
    'base64 url-safe': urlSafe,
    'base64 url-safe unpadded': urlSafe.replace(/=+$/, ''),
    'url-encoded': encodeURIComponent(value),
    'json-escaped': JSON.stringify(value).slice(1, -1),
  };
}

describe('looksSecretName', () => {
  it('flags names that carry credentials, in any case', () => {
    const names = ['GITHUB_TOKEN', 'client_secret', 'DB_PASSWORD', 'MYSQL_PASSWD', 'AWS_CREDENTIALS', 'private_pem', 'API_KEY', 'stripe_key'];
    expect(names.filter((name) => !looksSecretName(name))).toEqual([]);
  });

  it('leaves ordinary names alone', () => {
    const names = ['PATH', 'HOME', 'API_ORIGIN', 'KEYBOARD', 'MONKEY', 'KEY', 'LKG_SHA'];
    expect(names.filter((name) => looksSecretName(name))).toEqual([]);
  });
});

describe('Redactor.redact', () => {
  it('masks a secret wherever it appears', () => {
    const redactor = new Redactor(['s3cr3t-value']);
    expect(redactor.redact('a s3cr3t-value b s3cr3t-value')).toBe(`a ${masked} b ${masked}`);
  });

  it(`ignores empty values and values shorter than ${minimumSecretLength} characters`, () => {
    const redactor = new Redactor(['', 'a', 'abc']);
    expect(redactor.redact('a abc abcd')).toBe('a abc abcd');
    redactor.add('abcd');
    expect(redactor.redact('a abc abcd')).toBe(`a abc ${masked}`);
  });

  for (const [name, form] of Object.entries(encodings(secret))) {
    it(`masks the ${name} form`, () => {
      expect(new Redactor([secret]).redact(`<${form}>`)).toBe(`<${masked}>`);
    });
  }

  it('masks the secret inside a longer base64 value, at every alignment', () => {
    const redactor = new Redactor(['pa55word-long']);
    for (const user of ['u', 'us', 'use']) {
      const pair = Buffer.from(`${user}:pa55word-long`).toString('base64');
      expect(redactor.redact(`auth ${pair}`)).not.toContain(pair.slice(4, -4));
    }
    const pair = Buffer.from('deploy:pa55word-long').toString('base64');
    expect(pair).toBe('ZGVwbG95OnBhNTV3b3JkLWxvbmc=');
    expect(redactor.redact(`"auth": "${pair}"`)).toBe(`"auth": "ZGVwbG95On${masked}c="`);
  });

  describe('the forms secrets travel in', () => {
    const awkward = 'p@ss/w+rd"q\\x';
    const redactor = new Redactor([awkward, 'correct horse battery staple']);
    const hex = Buffer.from(awkward).toString('hex');
    const base64 = Buffer.from(`user:${awkward}`).toString('base64');
    const wrap = (text: string, width: number, lineEnd = '\n'): string => text.match(new RegExp(`.{1,${width}}`, 'gs'))?.join(lineEnd) ?? text;
    const forms: Record<string, string> = {
      'hex': hex,
      'HEX': hex.toUpperCase(),
      'hex wrapped as xxd -p does': wrap(hex.repeat(3), 60),
      'raw folded at 5': wrap(awkward, 5),
      'lowercase %-hex': encodeURIComponent(awkward).toLowerCase(),
      'quote() keeping /': 'p%40ss/w%2Brd%22q%5Cx',
      'form encoding': 'correct+horse+battery+staple',
      'JSON with \\/ and \\u0040': 'p\\u0040ss\\/w\\u002Brd\\"q\\\\x',
      'printf %q': 'p@ss/w+rd\\"q\\\\x',
      '$\'…\'': 'p@ss/w+rd"q\\\\x',
    };
    for (const [name, form] of Object.entries(forms)) {
      it(`masks ${name}`, () => {
        const shown = redactor.redact(`<${form}>`);
        expect(shown.replaceAll(masked, '').replace(/[\r\n]/g, ''), shown).toBe('<>');
      });
    }

    it('masks base64 inside a longer value, wrapped at 4 with CRLF, but for the characters that encode its neighbours', () => {
      expect(base64).toBe('dXNlcjpwQHNzL3crcmQicVx4');
      expect(redactor.redact(wrap(base64, 4, '\r\n'))).toBe(`dXNl\r\ncjp${masked}${`\r\n${masked}`.repeat(4)}`);
    });

    it('masks every line of a wrapped secret, keeping the line breaks', () => {
      expect(redactor.redact(`x ${wrap(awkward, 7, '\r\n')} y`)).toBe(`x ${masked}\r\n${masked} y`);
    });

    it('masks each line of a multi-line secret on its own', () => {
      const multi = new Redactor(['first-line\nsecond-line\nend']);
      expect(multi.redact('a first-line b second-line c end')).toBe(`a ${masked} b ${masked} c end`);
      expect(multi.redact('first-line\nsecond-line\nend')).toBe(`${masked}\n${masked}\n${masked}`);
    });

    it('does not look for a short secret across lines', () => {
      const short = new Redactor(['abcdef']);
      expect(short.redact('abc\ndef abcdef')).toBe(`abc\ndef ${masked}`);
    });

    it('counts the occurrences a stream masked, a wrapped one once', () => {
      const stream = redactor.createStream();
      streamed(stream, [`${awkward} and ${wrap(hex, 10)}`, ` and ${awkward}`]);
      expect(stream.masked).toBe(3);
    });
  });

  it('masks an overlap of two secrets as one', () => {
    const redactor = new Redactor(['password123', '123456']);
    expect(redactor.redact('x password123456 y')).toBe(`x ${masked} y`);
  });

  it('prefers the longer of two secrets that share a start', () => {
    const redactor = new Redactor(['abcd', 'abcdefgh']);
    expect(redactor.redact('abcdefghij')).toBe(`${masked}ij`);
  });

  it('treats regular-expression characters in secrets literally', () => {
    const redactor = new Redactor(['a.b*c(d)']);
    expect(redactor.redact('aXbbc(d) a.b*c(d)')).toBe(`aXbbc(d) ${masked}`);
  });

  it('masks the password of credentials in URLs', () => {
    const redactor = new Redactor();
    expect(redactor.redact('postgres://app:p%40ss@db.internal:5432/app')).toBe(`postgres://app:${masked}@db.internal:5432/app`);
    expect(redactor.redact('redis://:hunter2@cache')).toBe(`redis://:${masked}@cache`);
    expect(redactor.redact('git clone https://x-access-token:ghp_abc123@github.com/o/r.git')).toBe(`git clone https://x-access-token:${masked}@github.com/o/r.git`);
  });

  it('masks credential header values', () => {
    const redactor = new Redactor();
    expect(redactor.redact('Authorization: Bearer abc')).toBe(`Authorization: ${masked}`);
    expect(redactor.redact('> proxy-authorization:Basic dXNlcjpwYXNz\r\n> Accept: */*')).toBe(`> proxy-authorization:${masked}\r\n> Accept: */*`);
    expect(redactor.redact('Cookie: a=1; b=2\nSet-Cookie: sid=42; Path=/; HttpOnly\nX: y')).toBe(`Cookie: ${masked}\nSet-Cookie: ${masked}\nX: y`);
    expect(redactor.redact('curl -H "Authorization: Bearer abc" https://api')).toBe(`curl -H "Authorization: ${masked}" https://api`);
    expect(redactor.redact('{"authorization": "Bearer abc", "accept": "*/*"}')).toBe(`{"authorization": "${masked}", "accept": "*/*"}`);
    expect(redactor.redact('cookie: \'k=v\'')).toBe(`cookie: '${masked}'`);
  });

  it('leaves unrelated text alone', () => {
    const redactor = new Redactor(['s3cr3t-value']);
    const text = [
      'GET https://api.example.com/health?probe=1 HTTP/1.1',
      'ssh://git@github.com/org/repo.git and mail ops@example.com',
      'Authorization required; cookies are disabled; set-cookie-policy=strict',
      'http://localhost:8080/path and s3cr3t-valu and 3cr3t-value',
      'x-authorization-mode: strict',
      '••• unicode ✓ 🚀',
    ].join('\n');
    expect(redactor.redact(text)).toBe(text);
  });
});

describe('Redactor.createStream', () => {
  const redactor = new Redactor([secret]);

  for (const [name, form] of Object.entries(encodings(secret))) {
    it(`masks the ${name} form split at every boundary`, () => {
      const text = `before ${form} after`;
      for (let cut = 0; cut <= text.length; cut += 1) {
        expect(streamed(redactor.createStream(), [text.slice(0, cut), text.slice(cut)]), `split at ${cut}`).toBe(`before ${masked} after`);
      }
    });
  }

  it('masks a secret delivered one character at a time', () => {
    expect(streamed(redactor.createStream(), [...`x${secret}y`])).toBe(`x${masked}y`);
  });

  it('masks URL credentials and header values split at every boundary', () => {
    const text = 'ok https://user:pa55@host/x\nAuthorization: Bearer abc.def\n{"Cookie":"a=b"} end';
    const expected = `ok https://user:${masked}@host/x\nAuthorization: ${masked}\n{"Cookie":"${masked}"} end`;
    for (let first = 0; first <= text.length; first += 1) {
      for (const second of [first, Math.min(text.length, first + 7)]) {
        const chunks = [text.slice(0, first), text.slice(first, second), text.slice(second)];
        expect(streamed(new Redactor().createStream(), chunks), `split at ${first}/${second}`).toBe(expected);
      }
    }
  });

  it('masks overlapping secrets split at every boundary', () => {
    const overlapping = new Redactor(['password123', '123456']);
    const text = 'x password123456 y';
    for (let cut = 0; cut <= text.length; cut += 1) {
      expect(streamed(overlapping.createStream(), [text.slice(0, cut), text.slice(cut)])).toBe(`x ${masked} y`);
    }
  });

  it('masks a secret added mid-stream in text pushed afterwards', () => {
    const growing = new Redactor();
    const stream = growing.createStream();
    const before = stream.push('token is ');
    growing.add('tok-9f8e7d');
    const after = stream.push('tok-9f8e7d and ') + stream.push(Buffer.from('tok-9f8e7d').toString('base64')) + stream.flush();
    expect(before + after).toBe(`token is ${masked} and ${masked}`);
  });

  it('holds back only what could still be the start of a secret', () => {
    const stream = new Redactor(['s3cr3t-value']).createStream();
    expect(stream.push('first line of output\n')).toBe('first line of output\n');
    expect(stream.push('and then s3cr')).toBe('and then ');
    expect(stream.push('3t-valu')).toBe('');
    expect(stream.push('e and more\n')).toBe(`${masked} and more\n`);
    // across a line break too
    expect(stream.push('wrapped s3cr3t\n')).toBe('wrapped ');
    expect(stream.push('-value\n')).toBe(`${masked}\n${masked}\n`);
    expect(stream.flush()).toBe('');
  });

  it('holds back no more than the longest form of a secret, less one character, not counting a line break', () => {
    // the longest form of this secret is its hex, 24 characters
    const hex = Buffer.from('s3cr3t-value').toString('hex');
    expect(hex).toHaveLength(24);
    const stream = new Redactor(['s3cr3t-value']).createStream();
    expect(stream.push(`x ${hex.slice(0, 12)}\n${hex.slice(12, 23)}`)).toBe('x ');
    // one character more and it is a secret or it is not
    expect(stream.push('0')).toBe(`${hex.slice(0, 12)}\n${hex.slice(12, 23)}0`);
    expect(stream.flush()).toBe('');
  });

  it('holds back nothing when there are no secrets and no credential could be starting', () => {
    const stream = new Redactor().createStream();
    expect(stream.push('line one\n')).toBe('line one\n');
    expect(stream.push('progress 42% ')).toBe('progress 42% ');
    expect(stream.push('and a word')).toBe('and a word');
    expect(stream.push(' see https:/')).toBe(' see https');
    expect(stream.push('/ops:pw@host/ and Auth')).toBe(`://ops:${masked}@host/ and `);
    expect(stream.push('orization:')).toBe('');
    expect(stream.push(' Bearer x')).toBe('');
    expect(stream.push('\n')).toBe(`Authorization: ${masked}\n`);
    expect(stream.flush()).toBe('');
  });

  it('never splits a surrogate pair between chunks', () => {
    const stream = new Redactor(['s3cr3t-value']).createStream();
    const text = `${'🚀'.repeat(30)} `;
    const parts: string[] = [];
    for (let index = 0; index < text.length; index += 3) parts.push(stream.push(text.slice(index, index + 3)));
    parts.push(stream.flush());
    expect(parts.join('')).toBe(text);
    expect(parts.every((part) => !/[\ud800-\udbff]$/.test(part))).toBe(true);
  });

  it('gives the same text as redacting the whole, however the text is cut', () => {
    const secrets = ['s3cr3t-value', 'tok+/=en', 'overlap-123', '123-tail', 'p@ss/w+rd"q\\x'];
    const fuzzRedactor = new Redactor(secrets);
    const pieces = [
      ...secrets, ...secrets.flatMap((value) => Object.values(encodings(value))),
      'Authorization: ', 'Bearer x', 'set-cookie:', '"', "'", '\\', '\\u0040', '\\u00', '\\/', '%2f', '%4', '%', '\r', 'https://', 'u:', 'p@', '@', ':', '/', ' ', '\n', '\r\n', 'a', 'Z9', '🚀', 'é',
    ];
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...pieces), {maxLength: 40}),
      fc.array(fc.nat(), {maxLength: 6}),
      (parts, cuts) => {
        const text = parts.join('');
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, index) => text.slice(start, points[index] ?? text.length));
        expect(streamed(fuzzRedactor.createStream(), chunks)).toBe(fuzzRedactor.redact(text));
      },
    ), {numRuns: 2000});
  });
});

describe('Redactor.redactValue', () => {
  it('redacts strings deep inside objects and arrays and masks credential headers', () => {
    const redactor = new Redactor(['s3cr3t-value']);
    const value = {
      url: 'https://api/x?key=s3cr3t-value',
      status: 200,
      ok: true,
      missing: null,
      headers: {'Set-Cookie': 'sid=1', authorization: 'Basic eA==', 'content-type': 'text/plain', cookie: ''},
      assertions: [{source: 'body contains s3cr3t-value', passed: true}],
    };
    expect(redactor.redactValue(value)).toEqual({
      url: `https://api/x?key=${masked}`,
      status: 200,
      ok: true,
      missing: null,
      headers: {'Set-Cookie': masked, authorization: masked, 'content-type': 'text/plain', cookie: ''},
      assertions: [{source: `body contains ${masked}`, passed: true}],
    });
    expect(value.url).toBe('https://api/x?key=s3cr3t-value');
  });
});
