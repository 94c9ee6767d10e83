import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {RunState} from '../../../src/engine/run-state.js';
import {parseRunbook} from '../../../src/runbook/parse.js';
import type {TranscriptHeader} from '../../../src/transcript/format.js';
import {readTranscript, type TranscriptEntry} from '../../../src/transcript/read.js';
import {ReplayApp} from '../../../src/ui/components/ReplayApp.js';
import {ReplayStore} from '../../../src/ui/replay-store.js';
import {writeIncidentRunAtFixedTimes} from '../../fixtures/report/incident-run.js';
import {renderApp, tick, type Rendered} from '../helpers.js';

// `runbook replay` on the player's screen: the two-attempt incident of
// test/fixtures/report (retries, a skip with its reason, an interrupt, a
// resume, a checklist, a node marked done) stepped forward and back by the
// keys, in exact frames at 80×24 and 120×35.

let dir: string;
let header: TranscriptHeader;
let records: readonly TranscriptEntry[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-replay-'));
  const transcript = await readTranscript(writeIncidentRunAtFixedTimes(join(dir, 'runs')));
  if (transcript.header === undefined) throw new Error('no header');
  header = transcript.header;
  records = transcript.records;
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const mounted: Rendered[] = [];
afterEach(() => {
  for (const rendered of mounted.splice(0)) rendered.instance.unmount();
});

interface Options {
  readonly current?: string | null;
  readonly intact?: boolean | null;
}

function setup(columns: number, rows: number, options: Options = {}) {
  const runbook = parseRunbook(header.source, header.runbookPath).runbook;
  const replay = new ReplayStore(runbook, records, {checkpointEvery: 7});
  replay.seek(0);
  const current = options.current === undefined ? header.source : options.current;
  const info = {
    runId: header.runId, transcriptPath: '.runbook/runs/run-1/transcript.jsonl',
    replay: {intact: options.intact === undefined ? true : options.intact, head: 'sha256:0123456789abcdef0123456789abcdef', runbookChanged: current === null ? null : current !== header.source},
  };
  let quits = 0;
  const app = renderApp(
    <ReplayApp replay={replay} runbook={runbook} info={info} runbookPath={header.runbookPath} recordedSource={header.source} currentSource={current} color={false} onQuit={() => void (quits += 1)} />,
    {columns, rows},
  );
  mounted.push(app);
  return {app, replay, quits: () => quits};
}

const right = '\u001B[C';
const left = '\u001B[D';

describe('runbook replay on the player’s screen', () => {
  it('starts at the first event, paused, with the REPLAY badge, whether the record holds and the keys (80×24)', async () => {
    const {app} = setup(80, 24);
    await tick();
    expect(app.frame()).toMatchInlineSnapshot(`
      " REPLAY  Cache failover                                            elapsed 00:00
      run 20261202T101500Z-3fa9c2 · intact sha256:0123456789abcdef0123456789abcdef ·
      runbook file unchanged · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps 1–2 of 3 ──────────────────────────────────────────────────────────────
      ○ 1. Check the primary
      ○ 2. Fail over
      ────────────────────────────────────────────────────────────────────────────────
      Cache failover













      event 1 of 55 · attempt 1 · 10:15:00 UTC · attempt 1 starts · operator… ⏸ paused
      space play  ←/→ event  [/] step  g/G start/end  1/2/3 speed  ↑/↓ focus  ? help"
    `);
  });

  it('steps forward event by event and step by step, and back to the same frames (80×24)', async () => {
    const {app, replay} = setup(80, 24);
    await tick();
    const first = app.frame();
    await app.press(']', ']');
    expect(replay.getState().position).toBeGreaterThan(0);
    const atSecondStep = app.frame();
    expect(atSecondStep).toMatchInlineSnapshot(`
      " REPLAY  Cache failover                                            elapsed 00:04
      run 20261202T101500Z-3fa9c2 · intact sha256:0123456789abcdef0123456789abcdef ·
      runbook file unchanged · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps 1–2 of 3 ──────────────────────────────────────────────────────────────
      ! 1. Check the primary                                     failures allowed 4.3s
      ▶ 2. Fail over                                                       running 0ms
      ────────────────────────────────────────────────────────────────────────────────
      2. Fail over                                                             running

      ○ failover · sh · MUTATES
        │ cache-admin promote replica-2

      ○ flush · sh · MUTATES
        │ cache-admin flush primary

      ○ token · sh
        │ cache-admin token

      ○ probe · http
        │ GET https://cache.example.com/health?region=eu&tier=1
      ↓ 5 more lines · PgDn
      event 16 of 55 · attempt 1 · 10:15:04 UTC · step Fail over starts       ⏸ paused
      space play  ←/→ event  [/] step  g/G start/end  1/2/3 speed  o output  ? help"
    `);
    await app.press(right, right, right);
    const later = app.frame();
    expect(later).not.toBe(atSecondStep);
    await app.press(left, left, left);
    expect(app.frame()).toBe(atSecondStep);
    await app.press('g');
    expect(app.frame()).toBe(first);
  });

  it('shows the end of the run at G, and each event stepped back to from there as stepping forward drew it (120×35)', async () => {
    const {app, replay} = setup(120, 35);
    await tick();
    const forward: string[] = [app.frame()];
    for (let index = 1; index < replay.length; index += 1) {
      await app.press(right);
      forward.push(app.frame());
    }
    expect(replay.getState().position).toBe(replay.length - 1);
    await app.press('g', 'G');
    expect(app.frame()).toBe(forward.at(-1));
    expect(app.frame()).toMatchInlineSnapshot(`
      " REPLAY  Cache failover                                                              passed with 4 exceptions in 12m 00s
      run 20261202T101500Z-3fa9c2 · attempt 2 (resumed) · intact sha256:0123456789abcdef0123456789abcdef · runbook file
      unchanged · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────
      ! 1. Check the primary                                                                             failures allowed 4.3s
      ↷ 2. Fail over                                                                                        some skipped 30.5s
      ✎ 3. Clean up                                                                                          marked done 41.1s
      ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
      3. Clean up                                                                                    done, marked done by hand

      ✎ verify_replication · sh                                                                                    marked done
        marked done: checked lag by hand in the console: 0s: checked lag by hand in the console: 0s
          replica-1: lag \`\`\` unknown

      ↷ cleanup · sh · if false — was false, skipped                                                                   skipped
        if="false" is false








      ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
      Run passed with 4 exceptions in 12m 00s over 2 attempts — 5 passed, 1 allowed-failure, 2 skipped, 1 marked-done; attempt
      2: 1m 12s — 2 passed, 1 skipped, 1 marked-done
        ! read_config failed, allowed: exit code 3
        ↷ flush skipped: skipped by the operator: not needed: | the old primary is *fenced*
        – fail-over-5 not applicable: the status page is down too — "Update the status page"
        ✎ verify_replication marked done: checked lag by hand in the console: 0s
      transcript .runbook/runs/run-1/transcript.jsonl
      event 55 of 55 · attempt 2 · 10:27:00 UTC · attempt sealed at sha256:a6a25d4ced136722421f1a629613e6b7           ⏸ paused
      space play  ←/→ event  [/] step  g/G start/end  1/2/3 speed  o output  ↑/↓ focus  N notes  v variables  q quit  ? help"
    `);
    for (let index = replay.length - 2; index >= 0; index -= 1) {
      await app.press(left);
      expect(app.frame(), `event ${index + 1}`).toBe(forward[index]);
    }
  });

  it('shows the question the run waited on, who answered it, and the resumed attempt where they happened (120×35)', async () => {
    const {app, replay} = setup(120, 35);
    await tick();
    const asked = records.findIndex((entry) => entry.event.type === 'decision-asked' && entry.event.nodeId === 'failover');
    replay.seek(asked + 1);
    await tick();
    await app.press(left);
    expect(app.frame()).toMatchInlineSnapshot(`
      " REPLAY  Cache failover                                                                                    elapsed 00:04
      run 20261202T101500Z-3fa9c2 · intact sha256:0123456789abcdef0123456789abcdef · runbook file unchanged · transcript
      .runbook/runs/run-1/transcript.jsonl
      ── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────
      ! 1. Check the primary                                                                             failures allowed 4.3s
      ◆ 2. Fail over                                                                                           waiting for you
      ○ 3. Clean up
      ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
      2. Fail over                                                                                                     waiting

      ◆ failover · sh · MUTATES                                                                       waiting for you: run it?
        │ cache-admin promote replica-2

      ○ flush · sh · MUTATES
        │ cache-admin flush primary

      ○ token · sh
        │ cache-admin token

      ○ probe · http
        │ GET https://cache.example.com/health?region=eu&tier=1

      ○ Tell the | incident channel \`now\` +2 · checklist
        [ ] Tell the | incident channel \`now\`
        [ ] Update the status page
        [ ] Page the on-call DBA





      ◆ Fail over to the replica?                                                                                  waiting 0ms
      event 17 of 55 · attempt 1 · 10:15:04 UTC · asked: Fail over to the replica?                                    ⏸ paused
      space play  ←/→ event  [/] step  g/G start/end  1/2/3 speed  o output  ↑/↓ focus  v variables  q quit  ? help"
    `);
    await app.press(right);
    expect(app.frame().split('\n').at(-2)).toMatchInlineSnapshot(`"event 18 of 55 · attempt 1 · 10:15:16 UTC · the operator chose run at failover                                  ⏸ paused"`);
    const resumed = records.findIndex((entry) => entry.event.type === 'run-start' && entry.attempt === 2);
    replay.seek(resumed);
    await tick();
    expect(app.frame()).toMatchInlineSnapshot(`
      " REPLAY  Cache failover                                                                                    elapsed 00:00
      run 20261202T101500Z-3fa9c2 · attempt 2 (resumed) · intact sha256:0123456789abcdef0123456789abcdef · runbook file
      unchanged · transcript .runbook/runs/run-1/transcript.jsonl
      ── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────────────
      ! 1. Check the primary                                                                             failures allowed 4.3s
      ‖ 2. Fail over                                                                                               interrupted
      ○ 3. Clean up
      ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
      2. Fail over                                                                                                 interrupted

      ✓ failover · sh · MUTATES                                                                                         passed
        exit 0 · 3.0s
        captured NEW_PRIMARY = replica-2
          promoted replica-2 to primary

      ↷ flush · sh · MUTATES                                                                                           skipped
        skipped by the operator: not needed: | the old primary is *fenced*

      ✓ token · sh                                                                                                      passed
        exit 0 · 400ms
        captured TOKEN = ••••••
          ••••••

      ‖ probe · http                                                                                               interrupted
        │ GET https://cache.example.com/health?region=eu&tier=1
        5.0s — interrupted by the operator

      ○ Tell the | incident channel \`now\` +2 · checklist
        [ ] Tell the | incident channel \`now\`
        [ ] Update the status page
        [ ] Page the on-call DBA

      event 35 of 55 · attempt 2 · 10:25:48 UTC · attempt 2 starts (resumed) · operator bob                           ⏸ paused
      space play  ←/→ event  [/] step  g/G start/end  1/2/3 speed  ↑/↓ focus  v variables  q quit  ? help"
    `);
  });

  it('keeps the live player’s view keys: o output, ↑ focus, v variables, N notes, ? help, each closed with q (80×24)', async () => {
    const {app, replay} = setup(80, 24);
    await tick();
    await app.press('G');
    const end = app.frame();
    await app.press('o');
    expect(app.frame().split('\n')[0]).toMatch(/^Output of verify_replication +lines 1–1 of 1$/);
    expect(app.frame()).toContain('replica-1: lag ``` unknown');
    await app.press('q');
    expect(app.frame()).toBe(end);
    await app.press('\u001B[A');
    expect(replay.view.getSnapshot().focus).not.toBeNull();
    await app.press('v');
    expect(app.frame()).toContain('where each value came from; secrets masked');
    expect(app.frame()).toMatch(/API_TOKEN +•••••• /);
    await app.press('q', 'N');
    expect(app.frame()).toContain('resuming after the');
    await app.press('q', '?');
    // the replay's own keys, not the player's decisions
    expect(app.frame()).toMatch(/^ {2}←\/→ +the previous \/ next recorded event$/m);
    expect(app.frame()).not.toContain('skip the node');
    await app.press('q');
    expect(replay.view.getSnapshot().overlay.kind).toBe('none');
    expect(replay.getState().position).toBe(replay.length - 1);
  });

  it('shows how the runbook file now differs from the recorded one with d, scrolls it, and goes back with q (80×24)', async () => {
    const changed = header.source.replace('Cache failover', 'Cache failover (revised)');
    const {app} = setup(80, 24, {current: changed});
    await tick();
    expect(app.frame()).toContain('runbook file changed since (d: diff)');
    const before = app.frame();
    await app.press('d');
    expect(app.frame()).toMatchInlineSnapshot(`
      "Changed since the run (- as recorded, + the file now) runbooks/ca… rows 1–7 of 7
      @@ -1,5 +1,5 @@
       ---
      -title: Cache failover
      +title: Cache failover (revised)
       inputs:
         API_TOKEN:
           description: Token for the cache admin API














      event 1 of 55 · attempt 1 · 10:15:00 UTC · attempt 1 starts · operator… ⏸ paused
      j/k scroll  q back"
    `);
    await app.press('q');
    expect(app.frame()).toBe(before);
  });

  it('says it is verifying until the transcript is verified (80×24)', async () => {
    const {app} = setup(80, 24, {intact: null});
    await tick();
    expect(app.frame().split('\n').slice(0, 3).join('\n')).toContain('run 20261202T101500Z-3fa9c2 · verifying… sha256:');
  });

  it('says NOT intact when the transcript does not verify, and q quits (80×24)', async () => {
    const {app, quits} = setup(80, 24, {intact: false});
    await tick();
    expect(app.frame().split('\n').slice(0, 3).join('\n')).toContain('NOT intact');
    await app.press('q');
    expect(quits()).toBe(1);
  });

  it('plays at 10× on space, from the recorded monotonic times, and pauses on space', async () => {
    const {app, replay} = setup(80, 24);
    await tick();
    await app.press('2', ' ');
    expect(replay.getState().playing).toBe(true);
    const waits = Array.from({length: replay.length - 1}, (_, index) => replay.waitBefore(index + 1));
    expect(Math.max(...waits)).toBeLessThanOrEqual(200);
    await tick(400);
    expect(replay.getState().position).toBeGreaterThan(0);
    await app.press(' ');
    const paused = replay.getState().position;
    expect(replay.getState().playing).toBe(false);
    await tick(300);
    expect(replay.getState().position).toBe(paused);
  });
});

// A run state as it reads: an output tail's buffer may hold lines a newer
// version appended past its end (shared, see pushLines), which it never shows.
function observable(run: RunState): unknown {
  const nodes = [...run.nodes].map(([id, node]) => {
    const {buffer, start, end} = node.output;
    return [id, {...node, output: {...node.output, buffer: buffer.slice(start, end), start: 0, end: end - start}}];
  });
  return {...run, nodes};
}

describe('the replay store', () => {
  it('folds to the same run state going back (through checkpoints) as going forward', () => {
    const runbook = parseRunbook(header.source, header.runbookPath).runbook;
    const back = new ReplayStore(runbook, records, {checkpointEvery: 5});
    back.seek(records.length - 1);
    for (let position = records.length - 2; position >= -1; position -= 1) {
      back.seek(position);
      const forward = new ReplayStore(runbook, records);
      forward.seek(position);
      expect(observable(back.view.getSnapshot().run), `position ${position}`).toEqual(observable(forward.view.getSnapshot().run));
    }
  });

  it('keeps the fixture transcript as it was written', () => {
    expect(readFileSync(join(dir, 'runs', header.runId, 'transcript.jsonl'), 'utf8').split('\n').length).toBe(records.length + 2);
  });
});
