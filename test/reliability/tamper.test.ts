import {copyFileSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sha256Hex} from '../../src/transcript/format.js';
import {verifyTranscript, type VerifyResult} from '../../src/transcript/verify.js';
import {runCli} from '../cli/run-cli.js';
import {runIdsIn, transcriptPathOf, workDir} from './play-runs.js';
import {printSeedOnFailure, seed, seeded, times, type Random} from './seeded.js';

// Tamper: seeded random mutations of real transcripts (played here from the
// fixtures) must each be caught by `runbook verify`: not ok, and an error
// naming the line (or the output-ref line of a side file) where it was made.
// Mutations a chain cannot catch without the head (the line `play` prints,
// kept elsewhere) are generated apart: each is caught with `expectHead`, and
// without it exactly the consistent ones pass.

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const mustDetectCount = times(1000, 20_000);
const anchoredHeadCount = times(100, 2000);

interface Source {
  readonly name: string;
  readonly runDir: string;
  readonly lines: readonly Buffer[];
  // side file (relative to the run directory) → the 1-based line of its output-ref
  readonly sideFiles: ReadonlyMap<string, number>;
}

interface Mutation {
  readonly kind: string;
  readonly lines: readonly Buffer[];
  // when false, the last line keeps no newline (a torn write)
  readonly terminated?: boolean;
  readonly side?: {readonly file: string; readonly bytes: Buffer | undefined};
  // the line whose record was changed, or the output-ref line of a changed side file
  readonly near: number;
}

const sources: Source[] = [];
let work: ReturnType<typeof workDir>;

beforeAll(async () => {
  work = workDir('tamper');
  const dir = work.path;
  for (const name of ['side-output.md', 'two-attempts.md', 'thirty-nodes.md']) copyFileSync(join(fixtures, name), join(dir, name));
  mkdirSync(join(dir, 'marks'));
  const plays = [
    ['side-output', ['play', 'side-output.md', '--yes', '--transcript-dir', 'runs/side-output']],
    ['thirty-nodes', ['play', 'thirty-nodes.md', '--yes', '--transcript-dir', 'runs/thirty-nodes']],
    ['two-attempts', ['play', 'two-attempts.md', '--yes', '--transcript-dir', 'runs/two-attempts']],
  ] as const;
  const results = await Promise.all(plays.map(([, args]) => runCli(args, {cwd: dir})));
  expect(results.map((result) => result.code)).toEqual([0, 0, 1]);
  writeFileSync(join(dir, 'fixed'), '');
  expect((await runCli(['play', 'two-attempts.md', '--yes', '--resume', '--transcript-dir', 'runs/two-attempts'], {cwd: dir})).code).toBe(0);
  for (const [name] of plays) {
    const [runId = ''] = runIdsIn(dir, `runs/${name}`);
    const path = transcriptPathOf(dir, runId, `runs/${name}`);
    const text = readFileSync(path);
    const lines = splitLines(text);
    const sideFiles = new Map<string, number>();
    lines.forEach((line, index) => {
      const event = (JSON.parse(line.toString('utf8')) as {event?: {type?: string; file?: string}}).event;
      if (event?.type === 'output-ref' && event.file !== undefined) sideFiles.set(event.file, index + 1);
    });
    sources.push({name, runDir: join(path, '..'), lines, sideFiles});
  }
  expect(sources.find((source) => source.name === 'side-output')?.sideFiles.size).toBe(1);
}, 60_000);

afterAll(() => work.remove());

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, at));
    start = at + 1;
  }
  return lines;
}

const json = (line: Buffer): Record<string, unknown> => JSON.parse(line.toString('utf8')) as Record<string, unknown>;
const bytesOf = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const replaced = (lines: readonly Buffer[], index: number, line: Buffer): Buffer[] => lines.map((old, at) => (at === index ? line : old));

// A leaf of a record (a string, number or boolean somewhere inside it), to change.
function leaves(value: unknown, path: readonly (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [[...path]];
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...path, index]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  return [];
}

// `eventOnly`: what a careful forger edits, a value inside the event other
// than its type, leaving seq, attempt and the event's kind as they were.
function changedLeaf(record: Record<string, unknown>, random: Random, eventOnly = false): Record<string, unknown> {
  const copy = structuredClone(record);
  const candidates = leaves(copy).filter((path) => !eventOnly || (path[0] === 'event' && path[1] !== 'type'));
  const path = random.pick(candidates.length > 0 ? candidates : leaves(copy));
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path.at(-1) ?? '';
  const old = parent[key];
  if (typeof old === 'number') parent[key] = old + random.int(1, 9);
  else if (typeof old === 'boolean') parent[key] = !old;
  else parent[key] = `${String(old)}${random.pick(['x', ' ', '0', 'é'])}`;
  return copy;
}

function forgedRecord(lines: readonly Buffer[], before: number, random: Random): Buffer {
  const previous = lines[before - 1] ?? Buffer.alloc(0);
  const last = before - 1 === 0 ? {seq: 0, attempt: 1} : (json(previous) as {seq: number; attempt: number});
  return bytesOf({
    seq: last.seq + 1, time: '2026-12-02T10:00:00.000Z', mono: 1, attempt: last.attempt, prev: sha256Hex(previous),
    event: random.pick([
      {type: 'note', text: 'all fine, nothing to see', by: 'operator'},
      {type: 'node-end', nodeId: 'n01', stepId: 'step-1', outcome: 'passed', attempt: 1, exitCode: 0, signal: null, durationMs: 3, captures: {}, outputCaptured: true},
      {type: 'decision-taken', kind: 'confirm', nodeId: 'change', stepId: 'change-something', decision: 'skip', by: 'operator'},
    ]),
  });
}

// Mutations every transcript must reveal. `n` lines; line numbers are 1-based.
const mustDetect: Record<string, (source: Source, random: Random) => Mutation | undefined> = {
  'flip a byte': ({lines}, random) => {
    const index = random.int(0, lines.length - 2);
    const line = Buffer.from(lines[index] ?? Buffer.alloc(0));
    const at = random.int(0, line.length - 1);
    line[at] = ((line[at] ?? 0) ^ random.int(1, 255)) & 0xff;
    return {kind: 'flip a byte', lines: replaced(lines, index, line), near: index + 1};
  },
  'edit a field, JSON still valid': ({lines}, random) => {
    const index = random.int(0, lines.length - 2);
    return {kind: 'edit a field, JSON still valid', lines: replaced(lines, index, bytesOf(changedLeaf(json(lines[index] ?? Buffer.alloc(0)), random))), near: index + 1};
  },
  'delete a line': ({lines}, random) => {
    const index = random.int(0, lines.length - 2);
    return {kind: 'delete a line', lines: lines.filter((_line, at) => at !== index), near: index + 1};
  },
  'swap two lines': ({lines}, random) => {
    const first = random.int(0, lines.length - 2);
    const second = random.int(first + 1, lines.length - 1);
    if (lines[first]?.equals(lines[second] ?? Buffer.alloc(0))) return undefined;
    return {kind: 'swap two lines', lines: lines.map((line, at) => (at === first ? lines[second] : at === second ? lines[first] : line) ?? line), near: first + 1};
  },
  'duplicate a line': ({lines}, random) => {
    const index = random.int(0, lines.length - 1);
    return {kind: 'duplicate a line', lines: [...lines.slice(0, index + 1), ...lines.slice(index)], near: index + 2};
  },
  'insert a forged, chained line': ({lines}, random) => {
    const before = random.int(1, lines.length - 1);
    return {kind: 'insert a forged, chained line', lines: [...lines.slice(0, before), forgedRecord(lines, before, random), ...lines.slice(before)], near: before + 1};
  },
  'truncate mid-line': ({lines}, random) => {
    const index = random.int(0, lines.length - 1);
    const line = lines[index] ?? Buffer.alloc(0);
    // keeping the whole line but not its newline is a torn write too
    const kept = random.int(1, line.length);
    return {kind: 'truncate mid-line', lines: [...lines.slice(0, index), line.subarray(0, kept)], terminated: false, near: index + 1};
  },
  'insert a blank line': ({lines}, random) => {
    const before = random.int(1, lines.length);
    return {kind: 'insert a blank line', lines: [...lines.slice(0, before), Buffer.alloc(0), ...lines.slice(before)], near: before + 1};
  },
  'end a line with CRLF': ({lines}, random) => {
    const index = random.int(0, lines.length - 2);
    return {kind: 'end a line with CRLF', lines: replaced(lines, index, Buffer.concat([lines[index] ?? Buffer.alloc(0), Buffer.from('\r')])), near: index + 1};
  },
  'join two lines': ({lines}, random) => {
    const index = random.int(0, lines.length - 2);
    const joined = Buffer.concat([lines[index] ?? Buffer.alloc(0), lines[index + 1] ?? Buffer.alloc(0)]);
    return {kind: 'join two lines', lines: [...lines.slice(0, index), joined, ...lines.slice(index + 2)], near: index + 1};
  },
  'replace a prev hash': ({lines}, random) => {
    const index = random.int(1, lines.length - 1);
    const record = json(lines[index] ?? Buffer.alloc(0));
    record['prev'] = sha256Hex(`forged ${random.next()}`);
    return {kind: 'replace a prev hash', lines: replaced(lines, index, bytesOf(record)), near: index + 1};
  },
  'change a side file': ({lines, sideFiles, runDir}, random) => {
    if (sideFiles.size === 0) return undefined;
    const [file, near] = random.pick([...sideFiles]);
    const bytes = Buffer.from(readFileSync(join(runDir, file)));
    const how = random.pick(['flip', 'append', 'cut', 'empty'] as const);
    if (how === 'flip') {
      const at = random.int(0, bytes.length - 1);
      bytes[at] = ((bytes[at] ?? 0) ^ random.int(1, 255)) & 0xff;
    }
    const changed = how === 'flip' ? bytes : how === 'append' ? Buffer.concat([bytes, Buffer.from('x\n')]) : how === 'cut' ? bytes.subarray(0, random.int(0, bytes.length - 1)) : Buffer.alloc(0);
    return {kind: 'change a side file', lines, side: {file, bytes: changed}, near};
  },
  'delete a side file': ({lines, sideFiles}, random) => {
    if (sideFiles.size === 0) return undefined;
    const [file, near] = random.pick([...sideFiles]);
    return {kind: 'delete a side file', lines, side: {file, bytes: undefined}, near};
  },
};

// What a chain alone cannot show, or shows only as a crash would look: the
// head (`verify --expect-head`, the line `play` printed) shows each of them.
// `consistent` ones pass the chain and seal checks (an attacker who
// recomputes everything); the others are caught even without the head.
const eventOf = (line: Buffer | undefined): {type?: string; [key: string]: unknown} => (json(line ?? Buffer.alloc(0))['event'] ?? {}) as {type?: string};
const consistent = new Set(['cut off the last attempt whole', 're-chain every prev and seal after an edit', 'append a forged, sealed attempt']);
const needsAnchoredHead: Record<string, (source: Source, random: Random) => Mutation | undefined> = {
  'cut whole lines off the end': ({lines}, random) => {
    const kept = random.int(1, lines.length - 1);
    return {kind: 'cut whole lines off the end', lines: lines.slice(0, kept), near: kept};
  },
  'cut off the last attempt whole': ({lines}) => {
    // an earlier attempt's seal looks like the end of the record
    const ends = lines.flatMap((line, index) => (eventOf(line).type === 'seal' ? [index] : []));
    const earlier = ends.at(-2);
    if (earlier === undefined) return undefined;
    return {kind: 'cut off the last attempt whole', lines: lines.slice(0, earlier + 1), near: earlier + 1};
  },
  'edit the last line, JSON still valid': ({lines}, random) => {
    const index = lines.length - 1;
    return {kind: 'edit the last line, JSON still valid', lines: replaced(lines, index, bytesOf(changedLeaf(json(lines[index] ?? Buffer.alloc(0)), random, true))), near: index + 1};
  },
  're-chain every prev and seal after an edit': ({lines}, random) => {
    // an edit of a run event (not a seal), then every later prev and seal head recomputed
    const editable = lines.flatMap((line, index) => (index > 0 && eventOf(line).type !== 'seal' ? [index] : []));
    const index = random.pick(editable);
    const chained = [...lines.slice(0, index), bytesOf(changedLeaf(json(lines[index] ?? Buffer.alloc(0)), random, true))];
    for (const line of lines.slice(index + 1)) {
      const record = json(line);
      record['prev'] = sha256Hex(chained.at(-1) ?? Buffer.alloc(0));
      const event = record['event'] as {type?: string; head?: string};
      if (event.type === 'seal') event.head = record['prev'] as string;
      chained.push(bytesOf(record));
    }
    return {kind: 're-chain every prev and seal after an edit', lines: chained, near: index + 1};
  },
  'append a forged, chained run-end': ({lines}) => {
    const last = json(lines.at(-1) ?? Buffer.alloc(0)) as {seq: number; attempt: number};
    const forged = bytesOf({
      seq: last.seq + 1, time: '2026-12-02T10:00:00.000Z', mono: 1, attempt: last.attempt, prev: sha256Hex(lines.at(-1) ?? Buffer.alloc(0)),
      event: {type: 'run-end', outcome: 'passed', durationMs: 1, counts: {}},
    });
    return {kind: 'append a forged, chained run-end', lines: [...lines, forged], near: lines.length + 1};
  },
  'append a forged, sealed attempt': ({lines}) => {
    const last = json(lines.at(-1) ?? Buffer.alloc(0)) as {seq: number; attempt: number};
    const note = bytesOf({
      seq: last.seq + 1, time: '2026-12-02T10:00:00.000Z', mono: 1, attempt: last.attempt + 1, prev: sha256Hex(lines.at(-1) ?? Buffer.alloc(0)),
      event: {type: 'note', text: 'all checks passed', by: 'operator'},
    });
    const seal = bytesOf({
      seq: last.seq + 2, time: '2026-12-02T10:00:00.001Z', mono: 2, attempt: last.attempt + 1, prev: sha256Hex(note),
      event: {type: 'seal', head: sha256Hex(note), lines: lines.length + 1, records: 1},
    });
    return {kind: 'append a forged, sealed attempt', lines: [...lines, note, seal], near: lines.length + 1};
  },
};

// Writes the mutated run beside the others: side files are hard links unless changed.
function materialise(source: Source, mutation: Mutation, into: string): string {
  mkdirSync(join(into, 'outputs'), {recursive: true});
  for (const file of source.sideFiles.keys()) {
    if (mutation.side?.file === file) {
      if (mutation.side.bytes !== undefined) writeFileSync(join(into, file), mutation.side.bytes);
    } else {
      linkSync(join(source.runDir, file), join(into, file));
    }
  }
  const body = Buffer.concat(mutation.lines.flatMap((line, index) => (index === mutation.lines.length - 1 && mutation.terminated === false ? [line] : [line, Buffer.from('\n')])));
  const path = join(into, 'transcript.jsonl');
  writeFileSync(path, body);
  return path;
}

const errorsOf = (result: VerifyResult): {line: number | undefined; message: string}[] => result.problems.filter((problem) => problem.severity === 'error');

function draw(table: typeof mustDetect, random: Random): {source: Source; mutation: Mutation} {
  for (;;) {
    const source = random.pick(sources);
    const make = random.pick(Object.values(table));
    const mutation = make(source, random);
    if (mutation === undefined) continue;
    const same = mutation.side === undefined && mutation.terminated !== false && mutation.lines.length === source.lines.length
      && mutation.lines.every((line, index) => line.equals(source.lines[index] ?? Buffer.alloc(0)));
    if (!same) return {source, mutation};
  }
}

describe(`tamper (RUNBOOK_SEED=${seed})`, () => {
  it('each untouched transcript verifies', async () => {
    for (const source of sources) {
      const path = materialise(source, {kind: 'none', lines: source.lines, near: 0}, join(work.path, `untouched-${source.name}`));
      expect(await verifyTranscript(path)).toMatchObject({ok: true, status: 'finished', outcome: 'passed'});
    }
  });

  it(`catches ${mustDetectCount} seeded mutations, each naming the line it was made at`, {timeout: times(120_000, 1_200_000)}, async () => {
    printSeedOnFailure();
    const random = seeded().fork('tamper');
    const tally: Record<string, {tried: number; caught: number}> = {};
    const missed: string[] = [];
    for (let index = 0; index < mustDetectCount; index += 1) {
      const {source, mutation} = draw(mustDetect, random);
      const into = join(work.path, `m${index}`);
      const result = await verifyTranscript(materialise(source, mutation, into));
      const named = errorsOf(result).some((problem) => problem.line !== undefined && Math.abs(problem.line - mutation.near) <= 1);
      const entry = (tally[mutation.kind] ??= {tried: 0, caught: 0});
      entry.tried += 1;
      if (!result.ok && named) entry.caught += 1;
      else missed.push(`#${index} ${mutation.kind} at line ${mutation.near} of ${source.name}: ${JSON.stringify(result.problems)}`);
      rmSync(into, {recursive: true, force: true});
    }
    process.stdout.write(`tamper, must detect (RUNBOOK_SEED=${seed}): ${JSON.stringify(tally)}\n`);
    expect(missed).toEqual([]);
    expect(Object.keys(tally).sort()).toEqual(Object.keys(mustDetect).sort());
  });

  it('through the CLI: exit 1 and `file:line: error:` for a handful', async () => {
    const random = seeded().fork('tamper-cli');
    for (let index = 0; index < 6; index += 1) {
      const {source, mutation} = draw(mustDetect, random);
      const path = materialise(source, mutation, join(work.path, `cli${index}`));
      const result = await runCli(['verify', path]);
      expect(result.code, `${mutation.kind}: ${result.stdout}`).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`^${path.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(${mutation.near - 1}|${mutation.near}|${mutation.near + 1}): error: `, 'm'));
      expect(result.stdout).toContain(': NOT intact — run ');
      expect(result.stderr).toBe('');
    }
  });

  it(`catches ${anchoredHeadCount} mutations a chain alone cannot, given the head play printed`, async () => {
    printSeedOnFailure();
    const random = seeded().fork('tamper-head');
    const tally: Record<string, {tried: number; caughtWithHead: number; caughtWithoutHead: number}> = {};
    const missed: string[] = [];
    for (let index = 0; index < anchoredHeadCount; index += 1) {
      const {source, mutation} = draw(needsAnchoredHead, random);
      const into = join(work.path, `h${index}`);
      const path = materialise(source, mutation, into);
      const head = String(eventOf(source.lines.at(-1)).head);
      const withHead = await verifyTranscript(path, {expectHead: head});
      const withoutHead = await verifyTranscript(path);
      const entry = (tally[mutation.kind] ??= {tried: 0, caughtWithHead: 0, caughtWithoutHead: 0});
      entry.tried += 1;
      if (!withHead.ok) entry.caughtWithHead += 1;
      else missed.push(`#${index} ${mutation.kind} of ${source.name}: ${JSON.stringify(withHead.problems)}`);
      if (!withoutHead.ok) entry.caughtWithoutHead += 1;
      // what needs the head is exactly what an attacker made consistent
      expect(withoutHead.ok, `${mutation.kind} of ${source.name}: ${JSON.stringify(withoutHead.problems)}`).toBe(consistent.has(mutation.kind));
      rmSync(into, {recursive: true, force: true});
    }
    process.stdout.write(`tamper, needs the head (RUNBOOK_SEED=${seed}): ${JSON.stringify(tally)}\n`);
    expect(missed).toEqual([]);
    expect(Object.keys(tally).sort()).toEqual(Object.keys(needsAnchoredHead).sort());
  });

  it('through the CLI: --expect-head fails a consistent rewrite (exit 1) and passes the original (exit 0)', async () => {
    const random = seeded().fork('tamper-head-cli');
    const source = sources.find((candidate) => candidate.name === 'two-attempts') ?? sources[0];
    if (source === undefined) throw new Error('no source transcript');
    const head = String(eventOf(source.lines.at(-1)).head);
    const original = materialise(source, {kind: 'none', lines: source.lines, near: 0}, join(work.path, 'head-original'));
    const intact = await runCli(['verify', original, '--expect-head', `sha256:${head.slice(0, 32)}`]);
    expect(intact.code, intact.stdout).toBe(0);
    expect(intact.stdout).toContain(`transcript head: sha256:${head.slice(0, 32)}, as expected\n`);
    const mutation = needsAnchoredHead['re-chain every prev and seal after an edit']?.(source, random);
    if (mutation === undefined) throw new Error('no mutation');
    const rewritten = materialise(source, mutation, join(work.path, 'head-rewritten'));
    expect((await runCli(['verify', rewritten])).code).toBe(0);
    const caught = await runCli(['verify', rewritten, '--expect-head', head]);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain(`: error: does not end at the expected head sha256:${head.slice(0, 32)}: it ends at sha256:`);
    expect(caught.stdout).toContain(': NOT intact — run ');
  });
});

