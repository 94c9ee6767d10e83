// The README's Performance table from the latest `npm run bench`
// (bench/results/latest.json), to paste in place of the old one:
//
//   node bench/readme-table.mjs [RESULTS.json]
import {readFileSync} from 'node:fs';

const file = process.argv[2] ?? new URL('results/latest.json', import.meta.url);
const results = JSON.parse(readFileSync(file, 'utf8'));
const seconds = (value) => `${value.toFixed(3)} s`;
const mib = (bytes) => `${Math.round(bytes / 1024 / 1024)} MiB`;
// a | inside a cell would end it
const cell = (text) => text.replaceAll('|', '\\|');

const lines = [
  '| row | work | baseline | runbook | ratio | target |',
  '| --- | --- | --- | --- | --- | --- |',
];
for (const row of results.rows) {
  const rss = row.rssTarget === undefined ? '' : `, peak ${mib(row.runbookPeakRss)}`;
  const target = `≤ ${row.target}×${row.rssTarget === undefined ? '' : `, ≤ ${Math.round(row.rssTarget / 1e6)} MB`}${row.met ? '' : ' (not met)'}`;
  lines.push(`| \`${row.name}\` | ${cell(row.work)} | ${cell(row.baselineName)} ${seconds(row.baselineSeconds)} | ${seconds(row.runbookSeconds)}${rss} | ${row.ratio.toFixed(2)}× | ${target} |`);
}
console.log(lines.join('\n'));
console.log(`\n(${results.startedAt.slice(0, 10)}, Node ${results.node}, medians of ${results.pairs} alternating pairs${results.quick ? ', quick mode' : ' after a warm-up'}.)`);
for (const extra of results.extras) console.log(`\n\`${extra.name}\`:\n\n\`\`\`\n${extra.output.trim()}\n\`\`\``);
