// Times `runbook check` (the built CLI, as users run it) on generated
// 5,000-step runbooks against remark-parse alone on the same sections of
// the same text, the parser the model is built with; checks that parse time
// grows linearly with the number of steps; and shows why the text is parsed
// section by section (one remark parse of it is quadratic in its lists).
// Run: node --import tsx bench/parse.ts (after `npm run build`)
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseMarkdown, parseMarkdownWhole} from '../src/runbook/markdown.js';
import {parseRunbook} from '../src/runbook/parse.js';

// A runbook of `steps` numbered steps using every construct of the dialect:
// step attributes, shell and http blocks with attributes, captures, `if=`
// conditions, `{{NAME}}` templates, assertions, checklists and display code.
// About 420 bytes per step, so 5,000 steps make about 2 MB.
export function generateRunbook(steps: number): string {
  const parts: string[] = [
    '---',
    'title: Generated runbook',
    'shell: bash',
    'env:',
    '  API_ORIGIN: https://api.example.test',
    'inputs:',
    "  RELEASE: {description: Release to check, pattern: '^v[0-9]+$', default: v1}",
    '  TOKEN: {description: API token, secret: true}',
    'defaults: {timeout: 5m, retries: 0}',
    '---',
    '# Generated runbook',
    '',
    'Checks every service of the release, one step each.',
    '',
  ];
  for (let index = 1; index <= steps; index += 1) {
    parts.push(`## ${index}) Check service ${index}`);
    if (index % 10 === 0) parts.push(`<!-- runbook: #step_${index} timeout=10m if="RELEASE != ''" -->`);
    parts.push(
      '',
      `Check service ${index} of \`$RELEASE\` and record what it says.`,
      '',
      `\`\`\`sh {#s${index} timeout=10s retries=2 interval=1s capture=OUT_${index}}`,
      `curl -fsS "$API_ORIGIN/services/${index}/health" | jq -r .status`,
      '```',
      '',
      `\`\`\`http {#h${index} if="s${index}.ok && OUT_${index} == 'ok'" timeout=5s}`,
      `GET {{API_ORIGIN}}/services/${index}`,
      'Authorization: Bearer {{TOKEN}}',
      '',
      '?? status == 200',
      `?? body $.id == ${index}`,
      '```',
      '',
      `- [ ] Service ${index} answers within its SLO`,
      '- [ ] The result is noted in the incident channel',
      '',
    );
    if (index % 5 === 0) parts.push('```text', `expected: service ${index} ok`, '```', '');
  }
  return parts.join('\n');
}

// A plainer runbook: each step a heading, a sentence and one shell block
// with attributes; about 300 bytes per step.
export function generatePlainRunbook(steps: number): string {
  const parts = ['---', 'title: Generated runbook', 'env:', '  API_ORIGIN: https://api.example.test', '---', '# Generated runbook', '', 'Checks every service.', ''];
  for (let index = 1; index <= steps; index += 1) {
    parts.push(
      `## ${index}) Check service ${index}`,
      '',
      `Check that service ${index} of the current release answers its health check, and note what it says in the incident channel.`,
      '',
      `\`\`\`sh {#s${index} timeout=10s retries=2}`,
      `curl -fsS "$API_ORIGIN/services/${index}/health" | jq -r .status`,
      `echo "service ${index} checked at $(date -u +%H:%M:%S)"`,
      '```',
      '',
    );
  }
  return parts.join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function time(run: () => unknown, repeat: number): number {
  run();
  const samples: number[] = [];
  for (let round = 0; round < repeat; round += 1) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const root = fileURLToPath(new URL('../', import.meta.url));

// Wall-clock milliseconds of a Node process, median of `repeat` runs.
function processTime(args: readonly string[], repeat: number): number {
  const samples: number[] = [];
  for (let round = 0; round < repeat; round += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, {cwd: root, encoding: 'utf8'});
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

// remark-parse alone (no plugins, no model) on the sections `runbook check`
// parses: column-0 headings at least 4,096 characters apart. Run in a
// process of its own, parsing once, as the CLI does.
const remarkAlone = `
import {readFileSync} from 'node:fs';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
const text = readFileSync(process.argv[1], 'utf8');
const processor = unified().use(remarkParse);
const starts = [0];
for (const match of text.matchAll(/\\n(?=#{1,6} )/g)) if (match.index + 1 - starts.at(-1) >= 4096) starts.push(match.index + 1);
starts.push(text.length);
for (let index = 0; index + 1 < starts.length; index += 1) processor.parse(text.slice(starts[index], starts[index + 1]));
`;

function main(): void {
  const directory = mkdtempSync(join(tmpdir(), 'runbook-bench-parse-'));
  try {
    const startup = processTime(['bin/runbook.js', '--version'], 3);
    console.log(`runbook --version (start-up): ${startup.toFixed(0)} ms`);
    for (const [name, text] of [['dense', generateRunbook(5000)], ['plain', generatePlainRunbook(5000)]] as const) {
      const {diagnostics} = parseRunbook(text, `${name}.md`);
      if (diagnostics.length > 0) throw new Error(`the ${name} runbook has ${diagnostics.length} diagnostics`);
      const file = join(directory, `${name}.md`);
      writeFileSync(file, text);
      const alone = processTime(['--input-type=module', '-e', remarkAlone, file], 3);
      const check = processTime(['bin/runbook.js', 'check', file], 3);
      console.log(`${name} 5,000 steps, ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB: remark-parse alone ${alone.toFixed(0)} ms, runbook check ${check.toFixed(0)} ms (${(check / alone).toFixed(2)}×)`);
    }
  } finally {
    rmSync(directory, {recursive: true, force: true});
  }

  const sizes = [1250, 2500, 5000];
  const times = sizes.map((steps) => {
    const source = generateRunbook(steps);
    return time(() => parseRunbook(source, 'generated.md'), 2);
  });
  sizes.forEach((steps, index) => console.log(`parseRunbook, ${String(steps).padStart(4)} steps: ${(times[index] ?? 0).toFixed(0)} ms`));
  const ratios = times.slice(1).map((value, index) => value / (times[index] ?? 1));
  console.log(`ratios for doubling the steps: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')} (linear ≈ 2)`);

  const small = generateRunbook(1250);
  const whole = time(() => parseMarkdownWhole(small, {autolinkLiterals: true}), 1);
  const sections = time(() => parseMarkdown(small, {autolinkLiterals: true}), 1);
  console.log(`1,250 steps, remark with our plugins in one pass: ${whole.toFixed(0)} ms; section by section: ${sections.toFixed(0)} ms (${(sections / whole).toFixed(2)}×)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
