import {masked} from './events.js';
import {minimumSecretLength, minimumWrappedLength, secretVariants} from './secret-encodings.js';
import {LiteralSearch} from './secret-search.js';
import {longestToken, TextView} from './secret-view.js';
import {credentialHeaderNames, isCredentialHeader} from './secret-names.js';

export {looksSecretName} from './secret-names.js';
export {minimumSecretLength} from './secret-encodings.js';

// Output that arrives in chunks: `push` returns what is safe to show now and
// holds back a tail that could still turn out to be the start of a secret;
// `flush` returns the rest when the stream ends. The concatenated results
// equal `redact` of the concatenated input.
export interface RedactionStream {
  push(chunk: string): string;
  flush(): string;
  // occurrences masked in what was returned so far
  readonly masked: number;
}

interface Range {
  start: number;
  end: number;
  // where the text that makes it a match begins (a header's name, a URL's scheme)
  matchStart: number;
  // false for the second and later lines of a secret wrapped across lines
  first: boolean;
}

interface Scan {
  readonly ranges: readonly Range[];
  readonly cut: number;
}

// Credentials in URLs (`scheme://user:pass@host`) and the values of
// credential headers (`Authorization: Bearer …`, also quoted as in JSON or
// YAML). Lengths are bounded so a stream never holds back more than a few KiB.
const urlCredentials = /(?<=[a-z0-9+.-]):\/\/[^\s:/?#@]{0,256}:([^\s/@]{1,2048})@/dgi;
const headerNames = credentialHeaderNames.map(escapeRegExp).join('|');
const headerValue = new RegExp(`\\b(?:${headerNames})["']?[ \\t]{0,16}:[ \\t]{0,16}["']?([^\\s"'\\\\][^\\r\\n"'\\\\]{0,16383})`, 'dgi');

// A superset of the header names (authori-zati-on, co-okie), cheap to look
// for: letter classes scan about 2.5× faster than the /i alternation.
const credentialHint = /[zZ][aA][tT][iI]|[oO][kK][iI][eE]/;

// What a chunk may end with that could still become one of the above, and
// how far back from the end such a beginning can lie. (The character before
// `://` needs no holding: a stream keeps the last character it showed as
// context for the next chunk.)
const partialMatches: readonly {readonly pattern: RegExp; readonly window: number}[] = [
  {pattern: /(?<=[a-z0-9+.-]):(?:\/(?:\/(?:[^\s:/?#@]{0,256}(?::[^\s/@]{0,2048})?)?)?)?$/gi, window: 3 + 256 + 1 + 2048},
  {
    pattern: new RegExp(`\\b(?:${credentialHeaderNames.map(prefixAlternatives).join('|')}|(?:${headerNames})["']?[ \\t]{0,16}(?::[ \\t]{0,16}["']?)?)$`, 'gi'),
    window: Math.max(...credentialHeaderNames.map((name) => name.length)) + 1 + 16 + 1 + 16 + 1,
  },
];

// Masks secrets before anything is shown or written. Everything the engine
// emits passes through one Redactor; `add` takes secrets that appear mid-run
// (a capture marked `secret`) and applies to all text pushed from then on.
export class Redactor {
  readonly #variants = new Set<string>();
  // what is searched for in the view of the text (escapes undone, lines
  // joined): each secret as it is and each of its forms as the view reads it
  readonly #patterns = new Set<string>();
  #search: LiteralSearch | undefined;

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  // Values shorter than `minimumSecretLength` are ignored (see there).
  add(secret: string): void {
    let changed = false;
    const variants = secretVariants(secret);
    // a secret holding `\"` or `%41` as such, printed JSON-escaped, reads as itself in the view
    if (variants.length > 0) this.#patterns.add(secret);
    for (const variant of variants) {
      if (this.#variants.has(variant)) continue;
      this.#variants.add(variant);
      const pattern = new TextView(variant).text;
      if (pattern.length >= minimumSecretLength) this.#patterns.add(pattern);
      changed = true;
    }
    if (!changed) return;
    this.#search = new LiteralSearch(this.#patterns);
  }

  redact(text: string): string {
    if (text === '') return text;
    const {ranges} = this.#scan(text, 0, true);
    return render(text, 0, text.length, ranges).text;
  }

  // Deep-redacts every string in plain objects and arrays; the values of
  // credential headers (`authorization`, `cookie`, …) are masked whole.
  redactValue<T>(value: T): T {
    return this.#redactUnknown(value) as T;
  }

  createStream(): RedactionStream {
    let context = '';
    let pending = '';
    let count = 0;
    const show = (rendered: {text: string; masked: number}): string => {
      count += rendered.masked;
      return rendered.text;
    };
    return {
      push: (chunk) => {
        pending += chunk;
        const text = context + pending;
        const from = context.length;
        const {cut, ranges} = this.#scan(text, from, false);
        if (cut === from) return '';
        const shown = show(render(text, from, cut, ranges));
        context = text.charAt(cut - 1);
        pending = text.slice(cut);
        return shown;
      },
      flush: () => {
        const text = context + pending;
        const shown = pending === '' ? '' : show(render(text, context.length, text.length, this.#scan(text, context.length, true).ranges));
        context = '';
        pending = '';
        return shown;
      },
      get masked() {
        return count;
      },
    };
  }

  #redactUnknown(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.#redactUnknown(item));
    if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = typeof item === 'string' && item !== '' && isCredentialHeader(key) ? masked : this.#redactUnknown(item);
    }
    return out;
  }

  // Finds what to mask in `text` from `from` on (`text` before `from` is
  // context already shown). When more text may follow (`final` false), `cut`
  // is where the safe part ends: a match that could still grow, or a tail
  // that could still become a match, is held back whole.
  #scan(text: string, from: number, final: boolean): Scan {
    const found: Range[] = [];
    let cut = text.length;
    let view: TextView | undefined;
    const search = this.#search;
    if (search !== undefined) {
      const searched = new TextView(text, from);
      view = searched;
      // every occurrence of every form, so overlapping secrets are masked as one
      search.forEach(view.text, (index, length) => {
        const fragments = searched.rawFragments(index, index + length);
        if (fragments.length > 1 && length < minimumWrappedLength) return;
        const matchStart = fragments[0]?.start ?? 0;
        fragments.forEach((fragment, position) => found.push({...fragment, matchStart, first: position === 0}));
      });
      if (!final) {
        const tail = text.slice(Math.max(from, text.length - longestToken + 1));
        const escape = tail.search(/[\\%\r]/);
        if (escape < 0) {
          // only what could still be the start of a secret is held back
          cut = searched.rawStartFromEnd(searched.text.length - search.partialFrom(searched.text));
        } else {
          // an escape that more text could complete could turn into any
          // character: hold back as much as any secret could need, and the escape
          cut = searched.text.length >= search.longest ? searched.rawStartFromEnd(search.longest - 1) : from;
          cut = Math.min(cut, text.length - tail.length + escape);
        }
      }
    }
    for (const pattern of [urlCredentials, headerValue]) {
      // cheap literal checks first: most output has neither, and the full
      // patterns cost more per character than everything else here
      if (pattern === urlCredentials ? text.indexOf('://', from) < 0 : !credentialHint.test(text.slice(from))) continue;
      pattern.lastIndex = from;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        const group = match.indices?.[1];
        if (group !== undefined) found.push({start: group[0], end: group[1], matchStart: match.index, first: true});
        if (!final && match.index + match[0].length === text.length) cut = Math.min(cut, match.index);
      }
    }
    if (!final) {
      for (const {pattern, window} of partialMatches) {
        pattern.lastIndex = Math.max(from, text.length - window);
        const partial = pattern.exec(text);
        if (partial !== null) cut = Math.min(cut, partial.index);
      }
    }
    const ranges = merge(found);
    if (!final) {
      // never split a surrogate pair between two chunks
      if (cut > from && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
      // nor inside a match, nor inside an escape the view decoded
      for (let moved = true; moved;) {
        moved = false;
        const straddling = findStraddling(ranges, cut);
        if (straddling !== undefined) {
          cut = straddling.matchStart;
          moved = true;
        }
        const token = view === undefined || cut <= from ? undefined : view.tokenStartAround(cut);
        if (token !== undefined) {
          cut = token;
          moved = true;
        }
      }
      cut = Math.max(cut, from);
    }
    return {ranges, cut};
  }
}

// Ranges that overlap become one mask; ranges that only touch stay two, so a
// stream and a whole string are masked alike wherever the stream was cut.
function merge(found: Range[]): Range[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Range[] = [];
  for (const range of found) {
    const last = merged.at(-1);
    if (last !== undefined && range.start < last.end) {
      last.end = Math.max(last.end, range.end);
      last.matchStart = Math.min(last.matchStart, range.matchStart);
      // a line of a wrapped secret that is also a secret of its own counts once
      last.first &&= range.first;
    }
    else merged.push({...range});
  }
  return merged;
}

// A mask that ends past the cut is held back with all that makes it a match.
function findStraddling(ranges: readonly Range[], cut: number): Range | undefined {
  return ranges.find((range) => range.matchStart < cut && range.end > cut);
}

function render(text: string, from: number, to: number, ranges: readonly Range[]): {text: string; masked: number} {
  let out = '';
  let position = from;
  let count = 0;
  for (const range of ranges) {
    if (range.end > to) break;
    if (range.start < position) continue;
    out += text.slice(position, range.start) + masked;
    position = range.end;
    if (range.first) count += 1;
  }
  return {text: out + text.slice(position, to), masked: count};
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// `cookie` → `c|co|coo|cook|cooki|cookie`: a header name cut off at the end of a chunk
function prefixAlternatives(name: string): string {
  return Array.from({length: name.length}, (_, index) => escapeRegExp(name.slice(0, index + 1))).join('|');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
