import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {startCli} from './pty.js';

// The bundled player's first frame comes sooner because it skips work Ink's
// dependencies would otherwise do as they load (scripts/build.mjs): no
// fetch to decode yoga's WebAssembly, no ICU grapheme segmenter and no
// string-width for text made of ordinary characters. The counts come from a
// preloaded module that wraps those constructors.

describe('the bundled player', () => {
  it('draws its frames without fetch, an ICU segmenter or string-width', {timeout: 60_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-startup-'));
    writeFileSync(join(dir, 'lines.md'), '# Lines\n\nPrint some numbers – then stop…\n\n## Print\n```sh {#print}\nseq 1 3\n```\n');
    const record = join(dir, 'record.json');
    const preload = pathToFileURL(resolve('test/ui/fixtures/record-startup.mjs')).href;
    const run = startCli(['play', 'lines.md'], {cwd: dir, columns: 100, rows: 30, env: {NODE_OPTIONS: `--import ${preload}`, RUNBOOK_STARTUP_RECORD: record}});

    await run.waitFor('◆ Run `print`?');
    expect(run.screen()).toMatch(/^Lines {2,}elapsed 00:0\d$/m);
    expect(run.screen()).toContain('\n◆ Print ');
    expect(run.screen()).toContain('\n  │ seq 1 3\n');
    run.press('\r');
    await run.waitFor(/^✓ Print {2,}\d/m);
    expect(await run.exited).toBe(0);

    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({icuSegmenters: 0, fetches: 0, emojiPatterns: 0});
  });
});
