// `runbook report` on a 100,000-event transcript, side by side with
// `runbook verify` on the same file (which reads every line once and hashes
// it: the least any command that trusts the transcript can do), and on a
// tenth of the events: the time and peak memory of each, and the ratios
// (report ÷ verify near a small constant; large ÷ small memory near 1 means
// memory stays bounded as the run grows).
//
//   node bench/report.mjs [EVENTS] [RUNS]   (default 100000 and 3; run `npm run build` first)
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {writeTranscript} from './large-transcript.mjs';
import {measureProcess} from './measure-process.mjs';

const events = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const cli = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-report-'));

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
  const large = writeTranscript(dir, events, '20261202T120000Z-large0');
  const small = writeTranscript(dir, Math.round(events / 10), '20261202T120000Z-small0');
  const out = join(dir, 'report.md');
  const verifyLarge = await figures(['verify', large.path]);
  const reportLarge = await figures(['report', large.path, '--out', out]);
  const reportSmall = await figures(['report', small.path, '--out', out]);
  console.log(`report on ${large.records.toLocaleString('en')} records: ${Math.round(reportLarge.ms)}ms, peak ${mb(reportLarge.rss)}; verify ${Math.round(verifyLarge.ms)}ms, peak ${mb(verifyLarge.rss)} — report ÷ verify ${ratio(reportLarge.ms, verifyLarge.ms)} in time, ${ratio(reportLarge.rss, verifyLarge.rss)} in memory`);
  console.log(`report on ${small.records.toLocaleString('en')} records: ${Math.round(reportSmall.ms)}ms, peak ${mb(reportSmall.rss)} — 10× the events ÷ 1×: ${ratio(reportLarge.ms, reportSmall.ms)} in time, ${ratio(reportLarge.rss, reportSmall.rss)} in memory`);
} finally {
  rmSync(dir, {recursive: true, force: true});
}
