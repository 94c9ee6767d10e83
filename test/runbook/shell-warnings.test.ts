import {describe, expect, it} from 'vitest';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {checkDiagnostics} from '../../src/runbook/shell-check.js';

const check = async (markdown: string): Promise<string[]> => {
  const parsed = parseRunbook(markdown, 'r.md');
  return (await checkDiagnostics(parsed, markdown)).map((diagnostic) => formatDiagnostic(diagnostic).replace(/: warning: .*\[/, ' ['));
};

describe('check reads the commands of shell blocks', () => {
  it('warns about mutating and never-ending commands at the command, in list items too', async () => {
    const markdown = [
      '---', 'mutating-commands: [mytool deploy]', '---', '# R', '## Fix',
      '1. Delete the pod:', '', '    ```bash', '    oc -n x delete pod <pod-name>', '    mytool deploy', '    oc logs -f -n x pod', '    ```', '',
      '## Marked', '```sh {mutates timeout=1m}', 'oc delete pod x && oc logs -f pod', '```', '',
    ].join('\n');
    expect(await check(markdown)).toEqual([
      'r.md:9:5-9:34 [mutating-command]',
      'r.md:10:5-10:18 [mutating-command]',
      'r.md:11:5-11:24 [endless-command]',
    ]);
  });

  it('a mutates on the step counts, and the frontmatter timeout does', async () => {
    const markdown = '---\ndefaults: {timeout: 5m}\n---\n# R\n## Fix\n<!-- runbook: mutates -->\n```sh\nkubectl delete pod x\nkubectl logs -f x\n```\n';
    expect(await check(markdown)).toEqual([]);
  });

  it('says a block that opens a session runs interactive, and how many lines are for the session', async () => {
    const markdown = '# R\n## Debug\n```bash\noc debug node/<node-name>\nchroot /host\njournalctl -u kubelet\n```\n## Marked\n```bash {interactive}\nssh core@node\n```\n';
    const parsed = parseRunbook(markdown, 'r.md');
    const [diagnostic, ...rest] = await checkDiagnostics(parsed, markdown);
    expect(rest).toEqual([]);
    expect(formatDiagnostic(diagnostic!)).toBe('r.md:4:1-4:26: warning: Unexpected session in a block not marked `interactive`: `oc debug` without a command opens a shell in a debug pod, so the block runs `interactive` (the terminal is handed over) up to it; the 2 lines after it are shown to type in the session, not run here; expected `interactive` on the block to say so [shell-session]');
  });

  it('placeholders do not make a block invalid shell; what is invalid is reported at the parser\'s own place (the quote that `$(` leaves open)', async () => {
    const markdown = '# R\n## S\n- step\n\n  ```bash\n  oc get pod <pod> -n <namespace> > <file name>.txt\n  echo "$(ls <dir>"\n  ```\n';
    expect(await check(markdown)).toEqual(['r.md:7:19 [shell-syntax]']);
  });
});
