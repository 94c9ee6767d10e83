import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runCli} from './run-cli.js';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;
const bundle = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

describe('runbook --version', () => {
  it('prints package.json\'s version, the same as the bundle does when it is given more than the flag', async () => {
    for (const flag of ['--version', '-V']) {
      expect(await runCli([flag])).toMatchObject({code: 0, stdout: `${packageVersion}\n`, stderr: ''});
    }
    // through the bundle (commander), as `--version` with anything else goes
    const bundled = spawnSync(process.execPath, [bundle, '--version'], {encoding: 'utf8'});
    expect(bundled.stdout).toBe(`${packageVersion}\n`);
  });
});
