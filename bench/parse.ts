// Times `parseRunbook` on a generated runbook against remark alone (and
// against remark with our plugins, in one pass and section by section), and
// checks that parse time grows linearly with the number of steps.
// Run: node --import tsx bench/parse.ts
import {performance} from 'node:perf_hooks';
import {pathToFileURL} from 'node:url';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
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

function main(): void {
  const remarkOnly = unified().use(remarkParse);
  const text = generateRunbook(5000);
  const {diagnostics} = parseRunbook(text, 'generated.md');
  console.log(`generated runbook: 5000 steps, ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${diagnostics.length} diagnostics`);
  const baseline = time(() => remarkOnly.parse(text), 2);
  const whole = time(() => parseMarkdownWhole(text), 2);
  const sections = time(() => parseMarkdown(text), 2);
  const full = time(() => parseRunbook(text, 'generated.md'), 2);
  console.log(`remark-parse alone, one pass:             ${baseline.toFixed(0)} ms`);
  console.log(`remark-parse + frontmatter + gfm, one pass: ${whole.toFixed(0)} ms`);
  console.log(`the same, section by section:             ${sections.toFixed(0)} ms`);
  console.log(`parseRunbook:                             ${full.toFixed(0)} ms`);
  console.log(`ratio parseRunbook / remark-parse alone:  ${(full / baseline).toFixed(2)}`);

  const sizes = [1250, 2500, 5000];
  const times = sizes.map((steps) => {
    const source = generateRunbook(steps);
    return time(() => parseRunbook(source, 'generated.md'), 2);
  });
  sizes.forEach((steps, index) => console.log(`parseRunbook, ${String(steps).padStart(4)} steps: ${(times[index] ?? 0).toFixed(0)} ms`));
  const ratios = times.slice(1).map((value, index) => value / (times[index] ?? 1));
  console.log(`ratios for doubling the steps: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')} (linear ≈ 2)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
