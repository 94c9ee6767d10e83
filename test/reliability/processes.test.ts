import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, it} from 'vitest';
import {verifyTranscript} from '../../src/transcript/verify.js';
import {noneLeft, recordedEvents, runIdsIn, startPlay, transcriptPathOf, until, workDir} from './play-runs.js';
import {printSeedOnFailure, seed, seeded, times} from './seeded.js';

// Process pathologies: a node that ignores SIGTERM, spawns grandchildren,
// starts a setsid daemon, reads stdin, prints without newlines or closes its
// stdout early. Whether the node passes, times out or the run is interrupted
// (SIGINT to headless play), nothing carrying the run's id is left, the
// transcript says how the node ended and names what it left running, and it
// verifies.

// Waits until the last background job runs `command`, so it is named as such.
const untilExeced = (command: string): string => `until [ "$(tr '\\0' ' ' < /proc/$!/cmdline)" = '${command} ' ]; do sleep 0.01; done`;

interface Pathology {
  readonly lines: readonly string[];
  // commands of processes the node leaves behind when it passes, ended and named in its node-end
  readonly leaves: readonly string[];
  // leaves even when the node's group is signalled (it escaped the group)
  readonly escapes?: readonly string[];
}

const pathologies: Record<string, Pathology> = {
  'ignores SIGTERM': {lines: [`trap '' TERM INT HUP`, 'sleep 61 &', untilExeced('sleep 61')], leaves: ['sleep 61']},
  'spawns grandchildren': {
    // the node's shell leads its process group
    lines: ['( sleep 62 & sleep 63 & wait ) &', `bash -c 'sleep 64 & exit 0'`, `until [ "$(pgrep -g $$ -f -c '^sleep 6[234]$')" = 3 ]; do sleep 0.01; done`],
    leaves: ['sleep 62', 'sleep 63', 'sleep 64'],
  },
  'starts a setsid daemon': {lines: [`setsid sh -c 'trap "" TERM HUP INT; exec sleep 65' > /dev/null 2>&1 < /dev/null &`, untilExeced('sleep 65')], leaves: ['sleep 65'], escapes: ['sleep 65']},
  'waits on stdin': {lines: ['cat > stdin.seen &', 'if read -r answer; then echo "read $answer"; else echo "stdin: end of file"; fi', 'wait'], leaves: []},
  'prints without newlines': {lines: [`head -c 70000 /dev/zero | tr '\\0' a`, `printf 'tail without newline'`], leaves: []},
  'closes its stdout early': {lines: ['exec 1>&- 2>&-', 'sleep 0.2', 'touch after-close'], leaves: []},
};

type Ending = 'passes' | 'times out' | 'is interrupted';

const endings: Record<Ending, {attributes: string; lines: readonly string[]; exitCode: number; outcome: string; runOutcome: string}> = {
  'passes': {attributes: '', lines: ['touch node-done'], exitCode: 0, outcome: 'passed', runOutcome: 'passed'},
  'times out': {attributes: ' timeout=1s', lines: ['sleep 30'], exitCode: 1, outcome: 'timed-out', runOutcome: 'failed'},
  'is interrupted': {attributes: '', lines: ['touch ready', 'sleep 30'], exitCode: 130, outcome: 'interrupted', runOutcome: 'interrupted'},
};

// Each case in CI; soaking plays each one more times, in a seeded order.
const rounds = times(1, 5);
const cases = Array.from({length: rounds}, () => Object.keys(pathologies).flatMap((pathology) => (Object.keys(endings) as Ending[]).map((ending) => ({pathology, ending}))))
  .flat();
const order = seeded().fork('processes');
for (let index = cases.length - 1; index > 0; index -= 1) {
  const other = order.int(0, index);
  [cases[index], cases[other]] = [cases[other] ?? cases[index], cases[index] ?? cases[other]] as [typeof cases[number], typeof cases[number]];
}

const figures = {runs: 0, survivorsNamed: 0, leftAfterRun: 0};
afterAll(() => process.stdout.write(`process pathologies (RUNBOOK_SEED=${seed}): ${JSON.stringify(figures)}\n`));

describe.concurrent(`process pathologies (RUNBOOK_SEED=${seed})`, () => {
  for (const [index, {pathology, ending}] of cases.entries()) it(`#${index + 1}: a node that ${pathology} and ${ending}`, {timeout: 40_000}, async ({expect}) => {
    printSeedOnFailure();
    const work = workDir('processes');
    const dir = work.path;
    try {
      const odd = pathologies[pathology];
      const end = endings[ending];
      if (odd === undefined) throw new Error(pathology);
      writeFileSync(join(dir, 'r.md'), [
        '# Pathology', '## Odd', `\`\`\`sh {#odd${end.attributes}}`, 'echo "$RUNBOOK_RUN_ID" > run.id', ...odd.lines, ...end.lines, '```',
        '## After', '```sh {#after}', 'test -f node-done', pathology === 'closes its stdout early' ? 'test -f after-close' : 'true', 'touch after-ran', '```',
      ].join('\n'));
      const play = startPlay(dir, ['r.md', '--yes']);
      if (ending === 'is interrupted') {
        await until(() => existsSync(join(dir, 'ready')) || play.child.exitCode !== null, 'the node to be ready');
        play.child.kill('SIGINT');
      }
      expect(await play.exited, play.stdout() + play.stderr()).toBe(end.exitCode);
      figures.runs += 1;
      const [runId = ''] = runIdsIn(dir);
      const path = transcriptPathOf(dir, runId);
      const events = recordedEvents(path);
      const nodeEnd = events.find((event) => event.type === 'node-end' && event['nodeId'] === 'odd');
      expect(nodeEnd?.['outcome']).toBe(end.outcome);
      const named = ((nodeEnd?.['survivors'] ?? []) as {command: string}[]).map((survivor) => survivor.command);
      figures.survivorsNamed += named.length;
      for (const command of ending === 'passes' ? odd.leaves : odd.escapes ?? []) expect(named).toContain(command);
      // the run's last event, then the seal of its attempt
      expect(events.at(-2)).toMatchObject({type: 'run-end', outcome: end.runOutcome});
      expect(events.at(-1)).toMatchObject({type: 'seal', outcome: end.runOutcome});
      if (ending === 'is interrupted') expect(events).toContainEqual({type: 'interrupt', scope: 'run', nodeId: 'odd'});
      expect(existsSync(join(dir, 'after-ran'))).toBe(ending === 'passes');
      if (pathology === 'waits on stdin') {
        expect(readFileSync(join(dir, 'stdin.seen'), 'utf8')).toBe('');
        expect(events.filter((event) => event.type === 'output' && event['nodeId'] === 'odd').map((event) => String(event['text'])).join('')).toContain('stdin: end of file\n');
      }
      if (pathology === 'prints without newlines' && ending === 'passes') {
        const inline = events.filter((event) => event.type === 'output' && event['nodeId'] === 'odd').map((event) => String(event['text'])).join('');
        const reference = events.find((event) => event.type === 'output-ref' && event['nodeId'] === 'odd');
        const side = reference === undefined ? '' : readFileSync(join(dir, '.runbook/runs', runId, String(reference['file'])), 'utf8');
        expect(inline + side).toBe(`${'a'.repeat(70000)}tail without newline`);
      }
      const verified = await verifyTranscript(path);
      expect(verified, JSON.stringify(verified.problems)).toMatchObject({ok: true, status: 'finished', outcome: end.runOutcome});
      const left = await noneLeft(runId);
      figures.leftAfterRun += left.length;
      expect(left).toEqual([]);
    } finally {
      work.remove();
    }
  });
});
