import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {parseRunbook, type ParseResult} from '../../src/runbook/parse.js';

// Fixture files are named by their path from the repository root, as
// `runbook check` would name them when run there.
export function fixturePath(name: string): string {
  return `test/fixtures/${name}`;
}

export function readFixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');
}

export function parseFixture(name: string): ParseResult {
  return parseRunbook(readFixture(name), fixturePath(name));
}

export function fixtureMessages(name: string): string[] {
  return parseFixture(name).diagnostics.map(formatDiagnostic);
}
