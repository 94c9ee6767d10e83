import {describe, expect, it} from 'vitest';
import {typeAttributes} from '../../../src/runbook/attributes/schema.js';
import {tokenizeAttributes} from '../../../src/runbook/attributes/tokenize.js';

function typed(text: string, host: Parameters<typeof typeAttributes>[1], label = 'a `sh` block') {
  return typeAttributes(tokenizeAttributes(text).tokens, host, label);
}

describe('typeAttributes', () => {
  it('types every value kind', () => {
    const result = typed('#probe .slow timeout=1.5m retries=3 interval=500ms confirm mutates=false if="probe.ok" capture=OUT secret allow-failure interactive idempotent run=true cwd=/srv', 'shell');
    expect(result.problems).toEqual([]);
    expect(result.id).toEqual({value: 'probe', start: 0, end: 6});
    expect(result.attributes).toEqual({
      timeout: 90_000, retries: 3, interval: 500, confirm: true, mutates: false, if: 'probe.ok', capture: 'OUT', secret: true,
      'allow-failure': true, interactive: true, idempotent: true, run: true, cwd: '/srv', classes: ['slow'],
    });
  });

  it('keeps a confirm prompt as text and `confirm=false` as false', () => {
    expect(typed('confirm="Go?"', 'shell').attributes).toEqual({confirm: 'Go?'});
    expect(typed('confirm=false', 'shell').attributes).toEqual({confirm: false});
  });

  it('rejects attributes that do not belong on the host', () => {
    expect(typed('capture=X', 'step', 'a step').problems.map((problem) => problem.message)).toEqual([
      'Unexpected attribute `capture` on a step, expected it only on `sh`/`bash`/`shell`/`zsh` blocks, `http` blocks, `js`/`node` blocks or `console`/`shell-session`/`terminal` blocks',
    ]);
    expect(typed('cwd=/tmp', 'http', 'a `http` block').problems.map((problem) => problem.message)).toEqual([
      'Unexpected attribute `cwd` on a `http` block, expected it only on `sh`/`bash`/`shell`/`zsh` blocks, `js`/`node` blocks, `console`/`shell-session`/`terminal` blocks or steps',
    ]);
  });

  it('only warns about attributes on display-only blocks', () => {
    const result = typed('.numberLines startFrom=10 timeout=5s run=false', 'display', 'a `python` block');
    expect(result.problems.map((problem) => [problem.severity, problem.ruleId, problem.message])).toEqual([
      ['warning', 'unknown-attribute', 'Unexpected attribute `startFrom` on a `python` block, which is display-only; it has no effect'],
      ['warning', 'misplaced-attribute', 'Unexpected attribute `timeout` on a `python` block, which is display-only; it has no effect'],
    ]);
    expect(result.attributes).toEqual({run: false, classes: ['numberLines']});
  });

  it('lists the keys the host accepts when no key is close', () => {
    expect(typed('colour=red', 'step', 'a step').problems.map((problem) => problem.message)).toEqual([
      'Unexpected attribute `colour` on a step, expected one of `timeout`, `retries`, `interval`, `confirm`, `mutates`, `if`, `allow-failure`, `idempotent`, `run`, `cwd`',
    ]);
  });

  it('reports a repeated attribute and a second id', () => {
    expect(typed('#a #b retries=1 retries=2', 'shell').problems.map((problem) => [problem.ruleId, problem.message])).toEqual([
      ['duplicate-attribute', 'Unexpected second id `#b` on a `sh` block, expected at most one `#id`'],
      ['duplicate-attribute', 'Unexpected second `retries`, expected each attribute once'],
    ]);
  });

  it('rejects ids that cannot be referenced', () => {
    expect(typed('#1st', 'shell').problems.map((problem) => problem.message)).toEqual([
      'Unexpected id `1st`, expected a letter or `_` followed by letters, digits, `_` or `-`',
    ]);
  });
});
