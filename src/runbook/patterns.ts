import {runInContext, createContext} from 'node:vm';
import safeRegex from 'safe-regex2';

// Input `pattern`s are regular expressions written by the runbook's author
// and matched against values from outside. A pattern that can backtrack
// catastrophically (`^(a+)+$`) would hang `check` and `play` on a value
// such as `aaaa…b`: such patterns are refused by `check` (safe-regex2: no
// repetition inside a repetition, at most 25 repetitions), and every match
// runs with a time limit, for what the static check misses.

export const patternMatchLimitMs = 1000;

export function isSafePattern(pattern: string): boolean {
  return safeRegex(pattern);
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
