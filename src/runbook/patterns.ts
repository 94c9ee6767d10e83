import {runInContext, createContext} from 'node:vm';
import safeRegex from 'safe-regex2';

// Input `pattern`s are regular expressions written by the runbook's author
// and matched against values from outside. A pattern that can backtrack
// catastrophically (`^(a+)+$`) would hang `check` and `play` on a value
// such as `aaaa…b`: such patterns are refused by `check`, and every match
// runs with a time limit, for what the static check misses.
//
// The static check is safe-regex2's (no repetition inside a repetition, at
// most 25 repetitions), counting only unbounded repetitions (`*`, `+`,
// `{n,}`): an optional part (`(-rc[0-9]+)?`) or a counted one
// (`([0-9]{1,3}\.){3}`) cannot make matching run away on its own.

export const patternMatchLimitMs = 1000;

export function isSafePattern(pattern: string): boolean {
  return safeRegex(unboundedRepetitions(pattern));
}

const counted = /^\{(\d+)(?:,(\d*))?\}/;

// `pattern` without its bounded quantifiers (`?`, `{n}`, `{n,m}`, and the
// `?` that makes any quantifier lazy).
export function unboundedRepetitions(pattern: string): string {
  let out = '';
  let afterQuantifier = false;
  for (let index = 0; index < pattern.length;) {
    const char = pattern[index] ?? '';
    if (char === '\\') {
      out += pattern.slice(index, index + 2);
      index += 2;
      afterQuantifier = false;
      continue;
    }
    if (char === '[') {
      let end = index + 1;
      while (end < pattern.length && pattern[end] !== ']') end += pattern[end] === '\\' ? 2 : 1;
      out += pattern.slice(index, end + 1);
      index = end + 1;
      afterQuantifier = false;
      continue;
    }
    if (char === '(' && pattern[index + 1] === '?') {
      out += '(?';
      index += 2;
      afterQuantifier = false;
      continue;
    }
    if (char === '?') {
      // optional, or the lazy mark of the quantifier before it: dropped
      index += 1;
      afterQuantifier = !afterQuantifier;
      continue;
    }
    const count = char === '{' ? counted.exec(pattern.slice(index)) : null;
    if (count !== null) {
      const unbounded = count[0].includes(',') && count[2] === '';
      if (unbounded) out += count[0];
      index += count[0].length;
      afterQuantifier = true;
      continue;
    }
    out += char;
    index += 1;
    afterQuantifier = char === '*' || char === '+';
  }
  return out;
}

export function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const sandbox = createContext({});

// Whether `value` matches `pattern`; 'too-slow' when matching took longer
// than `limitMs` (the match is then stopped).
export function matchesPattern(pattern: string, value: string, limitMs = patternMatchLimitMs): boolean | 'too-slow' {
  try {
    sandbox['pattern'] = pattern;
    sandbox['value'] = value;
    return runInContext('new RegExp(pattern).test(value)', sandbox, {timeout: limitMs}) === true;
  } catch (error) {
    if ((error as {code?: unknown}).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'too-slow';
    return false;
  } finally {
    sandbox['pattern'] = undefined;
    sandbox['value'] = undefined;
  }
}
