import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startCli, type PtySession} from '../ui/pty.js';
import {runCli} from '../cli/run-cli.js';

// The standing secrets suite: three secrets (one holding `@ / + " \`) and a
// multi-line secret capture, each printed in every form secrets travel in,
// looked for in every channel a run writes to. Every cell must be clean.
// The table of forms × channels is printed and written to the run's tmp dir.

const secrets = {
  DEPLOY_PASS: 'p@ss/w+rd"q\\x',
  API_TOKEN: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  PASSPHRASE: 'correct horse battery staple',
} as const;
const minted = 'mint-line-one-4f9a\nmint-line-two-8c1e\nmint-line-three-77';

interface Form {
  readonly name: string;
  // bash, with the secret in $S
  readonly script: string;
  // what would show if it leaked; by default the form's own output, found by running it
  readonly needles?: (secret: string) => string[];
}

// the characters of base64(prefix + secret) that encode only the secret's bytes
function base64Core(prefixLength: number, secret: string, urlSafe = false): string[] {
  const encoded = Buffer.from(`${'y'.repeat(prefixLength)}${secret}`).toString('base64');
  const bytes = Buffer.byteLength(secret);
  const core = encoded.slice(Math.ceil((prefixLength * 8) / 6), Math.floor(((prefixLength + bytes) * 8) / 6));
  return [urlSafe ? core.replaceAll('+', '-').replaceAll('/', '_') : core];
}

const hex = (secret: string): string => Buffer.from(secret).toString('hex');
const raw = (secret: string): string[] => [secret];
const python = (code: string): string => `python3 -c 'import sys, json, re, urllib.parse as u; s = sys.argv[1]; ${code}' "$S"`;

const forms: readonly Form[] = [
  {name: 'raw', script: 'printf \'%s\\n\' "$S"', needles: raw},
  {name: 'split across writes', script: 'printf \'%s\' "${S:0:4}"; sleep 0.2; printf \'%s\\n\' "${S:4}"', needles: raw},
  {name: 'wrapped at 76', script: '{ printf \'x%.0s\' {1..70}; printf \'%s\\n\' "$S"; } | fold -w 76', needles: raw},
  {name: 'wrapped at 64, CRLF', script: '{ printf \'x%.0s\' {1..60}; printf \'%s\\n\' "$S"; } | fold -w 64 | sed \'s/$/\\r/\'', needles: raw},
  {name: 'wrapped at 7 (fold -w 7)', script: 'printf \'%s\\n\' "$S" | fold -w 7', needles: raw},
  ...[0, 1, 2].flatMap((offset): Form[] => [
    {name: `base64 offset ${offset}`, script: `{ printf 'y%.0s' {1..${3 + offset}}; printf '%s' "$S"; } | base64 -w 0; echo`, needles: (secret) => base64Core(3 + offset, secret)},
    {name: `base64 offset ${offset}, wrapped at 76`, script: `{ printf 'y%.0s' {1..${54 + offset}}; printf '%s' "$S"; } | base64`, needles: (secret) => base64Core(54 + offset, secret)},
    {name: `base64url offset ${offset}`, script: `{ printf 'y%.0s' {1..${6 + offset}}; printf '%s' "$S"; } | base64 -w 0 | tr '+/' '-_'; echo`, needles: (secret) => base64Core(6 + offset, secret, true)},
    {name: `base64url offset ${offset}, wrapped at 64`, script: `{ printf 'y%.0s' {1..${45 + offset}}; printf '%s' "$S"; } | base64 -w 64 | tr '+/' '-_'`, needles: (secret) => base64Core(45 + offset, secret, true)},
  ]),
  {name: 'hex', script: 'printf \'%s\' "$S" | xxd -p -c 256', needles: (secret) => [hex(secret)]},
  {name: 'HEX', script: 'printf \'%s\' "$S" | xxd -p -u -c 256', needles: (secret) => [hex(secret).toUpperCase()]},
  {name: 'xxd -p, wrapped at 60', script: '{ printf \'z%.0s\' {1..26}; printf \'%s\' "$S"; } | xxd -p', needles: (secret) => [hex(secret)]},
  {name: '%-encoded, upper hex', script: python('print(u.quote(s, safe=""))')},
  {name: '%-encoded, lower hex', script: python('print(re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), u.quote(s, safe="")))')},
  {name: '%-encoded, / kept (quote())', script: python('print(u.quote(s))')},
  {name: 'form-encoded (+ for space)', script: python('print(u.quote_plus(s))')},
  {name: 'JSON with \\/', script: python('print(json.dumps(s)[1:-1].replace("/", "\\\\/"))')},
  {name: 'JSON \\u0040 lower', script: python('print("".join(c if c.isalnum() else "\\\\u%04x" % ord(c) for c in s))')},
  {name: 'JSON \\u0040 upper', script: python('print("".join(c if c.isalnum() else "\\\\u%04X" % ord(c) for c in s))')},
  {name: 'printf %q', script: 'printf \'%q\\n\' "$S"'},
  {name: 'set -x', script: '(set -x; : "$S") 2>&1 | sed \'s/^+ : //\''},
  {name: 'declare -p', script: 'declare -p S | sed \'s/^declare -[-a-z]* S=//\''},
  {name: '$\'…\' (printf %q of a value with a tab)', script: 'printf \'%q\\n\' "$S"$\'\\t\''},
  {name: 'URL userinfo', script: 'echo "https://deploy:$S@db.internal:5432/app"', needles: raw},
  {name: 'Bearer header', script: 'echo "Authorization: Bearer $S"', needles: raw},
];

const mintedForms = ['each line of a multi-line capture', 'the capture node\'s own stderr'] as const;

// (the player draws a node's output at most ten times a second: a pause at
// the end lets its last lines reach the screen before the node ends)
const formsScript = `${forms.map((form) => `echo "[$L/${form.name}]"\n${form.script}`).join('\n')}\necho "[$L/end]"\nsleep "\${FORMS_PAUSE:-0}"\n`;

const runbook = [
  '---',
  'inputs:',
  ...Object.keys(secrets).map((name) => `  ${name}: {description: a secret, secret: true}`),
  '---',
  '# Secrets suite',
  '## Forms',
  '```sh {#pass}',
  'S="$DEPLOY_PASS" L=pass bash ./forms.sh',
  '```',
  // past the inline cap: the rest of its output goes to a side file
  '```sh {#token}',
  'head -c 70000 /dev/zero | tr \'\\0\' . | fold -w 100',
  'S="$API_TOKEN" L=token bash ./forms.sh',
  '```',
  '```sh {#phrase}',
  'S="$PASSPHRASE" L=phrase bash ./forms.sh',
  '```',
  '```sh {#mint capture=MINTED secret}',
  'value=$(cat minted.txt)',
  'echo "[mint/stderr] minting: $value" >&2',
  'printf \'%s\' "$value" | base64 >&2',
  'echo "$value"',
  '```',
  '```sh {#lines}',
  'echo "[lines/each]"',
  'printf \'%s\\n\' "$MINTED" | while read -r line; do echo "line: $line"; done',
  'echo "second line alone: $(printf \'%s\\n\' "$MINTED" | sed -n 2p)"',
  '```',
].join('\n');

function setUp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-secrets-suite-'));
  writeFileSync(join(dir, 'book.md'), runbook);
  writeFileSync(join(dir, 'forms.sh'), formsScript);
  writeFileSync(join(dir, 'token.txt'), `${secrets.API_TOKEN}\n`);
  writeFileSync(join(dir, 'minted.txt'), minted);
  return dir;
}

// What each form prints, run directly: its needles, and proof that each
// would be seen in a channel if it leaked.
function needlesOf(dir: string): Map<string, string[]> {
  const needles = new Map<string, string[]>();
  for (const [name, secret] of Object.entries(secrets)) {
    const output = execFileSync('bash', ['./forms.sh'], {cwd: dir, env: {...process.env, S: secret, L: name}, encoding: 'utf8'});
    const sections = output.split(/^\[[A-Z_]+\/(.+)\]\n/m).slice(1);
    forms.forEach((form, index) => {
      expect(sections[index * 2]).toBe(form.name);
      const printed = normalize((sections[index * 2 + 1] ?? '').replace(/\r?\n$/, ''));
      const found = form.needles?.(secret) ?? [unquote(printed)];
      for (const needle of found) expect(printed, `${form.name} of ${name}`).toContain(needle);
      needles.set(form.name, [...(needles.get(form.name) ?? []), ...found]);
    });
  }
  needles.set(mintedForms[0], minted.split('\n'));
  needles.set(mintedForms[1], [minted.replaceAll('\n', ''), Buffer.from(minted).toString('base64')]);
  return needles;
}

// The text after each `[node/form]` marker, by form.
function sections(text: string): Map<string, string> {
  const found = new Map<string, string>();
  const parts = text.split(/\[(?:pass|token|phrase|mint|lines)\/([^\]]+)\]/);
  for (let index = 1; index < parts.length; index += 2) {
    const marker = parts[index] ?? '';
    const name = marker === 'stderr' ? mintedForms[1] : marker === 'each' ? mintedForms[0] : marker;
    found.set(name, `${found.get(name) ?? ''}\u0001${parts[index + 1] ?? ''}`);
  }
  return found;
}

// A wrapped secret shows whole once its line breaks are gone.
function normalize(text: string): string {
  return text.replace(/\r?\n|\r/g, '');
}

function unquote(text: string): string {
  const quoted = /^(?:\$'(.*)'|'(.*)'|"(.*)")$/s.exec(text);
  return quoted === null ? text : quoted[1] ?? quoted[2] ?? quoted[3] ?? text;
}

// every string in a JSON value, in order
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

// Output events' texts joined per node and stream (a secret may be split
// across events), then every other string, each apart.
function jsonLinesText(text: string): string {
  const outputs = new Map<string, string>();
  const others: string[] = [];
  for (const line of text.split('\n').filter((candidate) => candidate.trim() !== '')) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      others.push(line);
      continue;
    }
    const record = value as {type?: string; event?: {type?: string}};
    const event = (record.event ?? record) as {type?: string; nodeId?: string; stream?: string; text?: string};
    if (event.type === 'output' && typeof event.text === 'string') {
      const key = `${event.nodeId ?? ''}/${event.stream ?? ''}`;
      outputs.set(key, (outputs.get(key) ?? '') + event.text);
    } else others.push(...strings(value));
  }
  return [...outputs.values(), ...others].map(normalize).join('\u0001');
}

function plainText(text: string): string {
  return normalize(text.replace(/^ {3}[│!] /gm, ''));
}

function terminalText(bytes: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = bytes.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()][A-Z0-9]|\u001b[=>78]/g, '');
  return visible.split(/\r?\n|\r/).map((line) => line.replace(/^\s+/, '')).join('');
}

function filesText(dir: string): string {
  const files = readdirSync(dir, {recursive: true, withFileTypes: true}).filter((entry) => entry.isFile());
  expect(files.some((entry) => entry.parentPath.endsWith('outputs'))).toBe(true);
  return files.map((entry) => {
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    return `${normalize(text)}${entry.name.endsWith('.jsonl') ? jsonLinesText(text) : ''}`;
  }).join('');
}

async function runNode(session: PtySession, nodeId: string): Promise<void> {
  await session.waitFor(new RegExp(`◆ Run \`${nodeId}\`\\?|^[▶✓] ${nodeId} ·`, 'm'));
  if (session.screen().includes(`◆ Run \`${nodeId}\`?`)) session.press('\r');
}

const channels = ['plain stdout', '--json stdout', 'transcript dir', 'verify', 'player bytes (pty)'] as const;
type Channel = (typeof channels)[number];

describe('the secrets suite', () => {
  it('finds no secret in any form in any channel', {timeout: 120_000}, async () => {
    const dir = setUp();
    const needles = needlesOf(dir);
    const env = {DEPLOY_PASS: secrets.DEPLOY_PASS};
    const headless = ['--yes', '--set-file', 'API_TOKEN=token.txt', '--set-stdin', 'PASSPHRASE'];

    const plain = await runCli(['play', 'book.md', ...headless, '--transcript-dir', 'runs-plain'], {cwd: dir, env, stdin: `${secrets.PASSPHRASE}\n`});
    expect(plain.code, plain.stderr).toBe(0);
    const json = await runCli(['play', 'book.md', ...headless, '--json', '--transcript-dir', 'runs-json'], {cwd: dir, env, stdin: `${secrets.PASSPHRASE}\n`});
    expect(json.code, json.stderr).toBe(0);

    const player = startCli(['play', 'book.md', '--set-file', 'API_TOKEN=token.txt', '--transcript-dir', 'runs-pty'], {cwd: dir, columns: 200, rows: 200, env: {...env, PASSPHRASE: secrets.PASSPHRASE, FORMS_PAUSE: '0.5'}});
    for (const node of ['pass', 'token', 'phrase', 'mint', 'lines']) await runNode(player, node);
    await player.waitFor('✓ lines');
    player.press('q');
    expect(await player.exited).toBe(0);

    const transcripts = ['runs-plain', 'runs-json', 'runs-pty'].flatMap((runs) => readdirSync(join(dir, runs)).map((run) => join(runs, run, 'transcript.jsonl')));
    const verified: string[] = [];
    for (const transcript of transcripts) {
      for (const args of [[transcript], [transcript, '--json']]) {
        const result = await runCli(['verify', ...args], {cwd: dir});
        expect(result.code, result.stdout + result.stderr).toBe(0);
        verified.push(result.stdout, result.stderr);
      }
    }

    const texts: Record<Channel, string> = {
      'plain stdout': plainText(plain.stdout) + normalize(plain.stderr),
      '--json stdout': jsonLinesText(json.stdout) + normalize(json.stdout) + normalize(json.stderr),
      'transcript dir': filesText(join(dir, 'runs-plain')) + filesText(join(dir, 'runs-json')) + filesText(join(dir, 'runs-pty')),
      verify: normalize(verified.join('\n')),
      'player bytes (pty)': terminalText(player.written()),
    };

    // each form is looked for in the text that follows its marker, so a
    // leak shows in the row of the form that leaked
    const sectioned = Object.fromEntries(channels.map((channel) => [channel, sections(texts[channel])])) as Record<Channel, Map<string, string>>;
    const everywhere = '(any form, anywhere in the channel)';
    const leaks: string[] = [];
    const rows = [...forms.map((form) => form.name), ...mintedForms, everywhere].map((name) => {
      const cells = channels.map((channel) => {
        // verify prints no output of nodes: all it prints is looked through for every form
        const section = name === everywhere || channel === 'verify' ? texts[channel] : sectioned[channel].get(name);
        if (section === undefined) return 'not shown';
        const leaked = (name === everywhere ? [...needles.values()].flat() : needles.get(name) ?? []).filter((needle) => section.includes(needle));
        for (const needle of leaked) leaks.push(`${name} in ${channel}: ${needle}`);
        return leaked.length > 0 ? 'LEAK' : 'clean';
      });
      return `| ${name} | ${cells.join(' | ')} |`;
    });
    const table = [`| form | ${channels.join(' | ')} |`, `| --- |${' --- |'.repeat(channels.length)}`, ...rows].join('\n');
    writeFileSync(join(dir, 'secrets-table.md'), `${table}\n`);
    console.log(`secrets suite: ${Object.keys(secrets).length} secrets and a multi-line capture × ${rows.length} forms × ${channels.length} channels (table also in ${join(dir, 'secrets-table.md')})\n${table}`);
    expect(leaks).toEqual([]);
    // every form reached every channel that shows output
    expect(rows.filter((row) => row.includes('not shown'))).toEqual([]);

    // the masked counts are recorded, and shown in the plain result line
    expect(plain.stdout).toMatch(/✓ pass passed \(exit 0, [^)]*, \d+ masked\)/);
    const mintEnd = json.stdout.split('\n').map((line) => (line === '' ? {} : JSON.parse(line) as Record<string, unknown>)).find((event) => event['type'] === 'node-end' && event['nodeId'] === 'mint');
    expect(mintEnd?.['masked']).toBe(2);
  });
});

