// `runbook report` on a 100,000-event transcript, side by side with
// `runbook verify` on the same file (which reads every line once and hashes
// it: the least any command that trusts the transcript can do), and on a
// tenth of the events: the time and peak memory of each, and the ratios
// (report ÷ verify near a small constant; large ÷ small memory near 1 means
// memory stays bounded as the run grows).
//
//   node bench/report.mjs [EVENTS] [RUNS]   (default 100000 and 3; run `npm run build` first)
import {createHash} from 'node:crypto';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {measureProcess} from './measure-process.mjs';

const events = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const cli = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-report-'));
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

// A run of one long attempt: steps of 20 nodes, each printing 96 chunks of
// output (split mid-line, as real output is); every 20th node fails (allowed),
// every 50th mutates behind a confirm decision.
function writeTranscript(total, runId) {
  const nodesWanted = Math.ceil(total / 98);
  const steps = Math.ceil(nodesWanted / 20);
  let source = '---\ntitle: Bench\n---\n# Bench\n';
  for (let s = 0; s < steps; s += 1) {
    source += `\n## Step ${s}\n`;
    for (let n = 0; n < 20; n += 1) {
      const id = `n${s * 20 + n}`;
      const mutates = (s * 20 + n) % 50 === 0 ? ' mutates' : '';
      source += `\n\`\`\`sh {#${id}${(s * 20 + n) % 20 === 19 ? ' allow-failure' : ''}${mutates}}\necho ${id}\n\`\`\`\n`;
    }
  }
  const runDir = join(dir, 'runs', runId);
  mkdirSync(runDir, {recursive: true});
  const start = Date.parse('2026-12-02T12:00:00.000Z');
  const header = JSON.stringify({type: 'header', format: 'runbook-transcript/1', runId, runbookPath: 'bench.md', runbookSha256: sha256(source), source, engineVersion: '0.1.0', operator: 'bench@host', argv: [], inputs: {}, startedAt: new Date(start).toISOString(), seq: 0, prev: null});
  const lines = [header];
  let prev = sha256(header);
  let seq = 1;
  const push = (event) => {
    const line = JSON.stringify({seq, time: new Date(start + seq * 10).toISOString(), mono: seq * 10, attempt: 1, prev, event});
    lines.push(line);
    prev = sha256(line);
    seq += 1;
  };
  push({type: 'run-start', runId, runbookPath: 'bench.md', title: 'Bench', sha256: sha256(source), attempt: 1, resumed: false, readOnly: false, startedAt: new Date(start).toISOString(), operator: 'bench', user: 'bench', host: 'host'});
  let node = 0;
  for (let s = 0; s < steps && seq < total; s += 1) {
    const stepId = `step-${s}`;
    push({type: 'step-start', stepId});
    for (let n = 0; n < 20 && seq < total; n += 1, node += 1) {
      const nodeId = `n${node}`;
      const mutates = node % 50 === 0;
      if (mutates) {
        push({type: 'decision-asked', kind: 'confirm', nodeId, stepId, prompt: `Run ${nodeId}?`});
        push({type: 'decision-taken', kind: 'confirm', nodeId, stepId, decision: 'run', by: 'operator'});
      }
      push({type: 'node-start', nodeId, stepId, attempt: 1, command: `echo ${nodeId}`, mutates, interactive: false});
      for (let o = 0; o < 96; o += 1) push({type: 'output', nodeId, stream: o % 7 === 0 ? 'stderr' : 'stdout', text: `${nodeId} line ${o} of a busy node | with \`ticks\` and more text to read\nand the start of the next li`});
      const failed = node % 20 === 19;
      push({type: 'node-end', nodeId, stepId, outcome: failed ? 'allowed-failure' : 'passed', attempt: 1, exitCode: failed ? 1 : 0, signal: null, durationMs: 960, ...(failed ? {reason: 'exit code 1'} : {}), captures: {}, outputCaptured: true});
    }
    push({type: 'step-end', stepId, status: 'done', durationMs: 20_000});
  }
  const counts = {passed: 0, 'allowed-failure': 0, failed: 0, 'timed-out': 0, interrupted: 0, skipped: 0, 'marked-done': 0};
  push({type: 'run-end', outcome: 'passed', durationMs: seq * 10, counts});
  const records = seq - 1;
  lines.push(JSON.stringify({seq, time: new Date(start + seq * 10).toISOString(), mono: seq * 10, attempt: 1, prev, event: {type: 'seal', head: prev, lines: lines.length, records, outcome: 'passed'}}));
  const path = join(runDir, 'transcript.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return {path, records: lines.length - 1};
}

async function measure(args) {
  const {seconds, peak} = await measureProcess(process.execPath, ['--', cli, ...args], {cwd: dir});
  return {ms: seconds * 1000, rss: peak};
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
async function figures(args) {
  const results = [];
  for (let i = 0; i < runs; i += 1) results.push(await measure(args));
  return {ms: median(results.map((r) => r.ms)), rss: Math.max(...results.map((r) => r.rss))};
}
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

try {
  const large = writeTranscript(events, '20261202T120000Z-large0');
  const small = writeTranscript(Math.round(events / 10), '20261202T120000Z-small0');
  const out = join(dir, 'report.md');
  const verifyLarge = await figures(['verify', large.path]);
  const reportLarge = await figures(['report', large.path, '--out', out]);
  const reportSmall = await figures(['report', small.path, '--out', out]);
  console.log(`report on ${large.records.toLocaleString('en')} records: ${Math.round(reportLarge.ms)}ms, peak ${mb(reportLarge.rss)}; verify ${Math.round(verifyLarge.ms)}ms, peak ${mb(verifyLarge.rss)} — report ÷ verify ${ratio(reportLarge.ms, verifyLarge.ms)} in time, ${ratio(reportLarge.rss, verifyLarge.rss)} in memory`);
  console.log(`report on ${small.records.toLocaleString('en')} records: ${Math.round(reportSmall.ms)}ms, peak ${mb(reportSmall.rss)} — 10× the events ÷ 1×: ${ratio(reportLarge.ms, reportSmall.ms)} in time, ${ratio(reportLarge.rss, reportSmall.rss)} in memory`);
} finally {
  rmSync(dir, {recursive: true, force: true});
}
