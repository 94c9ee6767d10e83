import {describe, expect, it, vi} from 'vitest';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {validateInputValue} from '../../src/runbook/frontmatter.js';
import type {InputSpec} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';

const step = '\n## Step\n\n```http\nGET {{API}}/x\n```\n';

function check(yaml: string): string[] {
  return parseRunbook(`---\n${yaml}\n---\n${step}`, 'f.md').diagnostics.map(formatDiagnostic);
}

describe('frontmatter', () => {
  it('reads every key', () => {
    const {runbook, diagnostics} = parseRunbook([
      '---', 'title: T', 'shell: zsh', 'cwd: /srv/app', 'env: {API: https://x.test, PORT: 8080, DEBUG: false}',
      'inputs:', '  SHA: Last known good commit', '  EMPTY:', '  TOKEN: {secret: true, required: false}',
      'defaults: {timeout: 1h, retries: 2, interval: 500ms}', '---', step,
    ].join('\n'), 'f.md');
    expect(diagnostics).toEqual([]);
    const {inputs, ...rest} = runbook.frontmatter;
    expect(rest).toEqual({
      title: 'T', shell: 'zsh', cwd: '/srv/app', env: {API: 'https://x.test', PORT: '8080', DEBUG: 'false'},
      defaults: {timeout: 3_600_000, retries: 2, interval: 500},
    });
    expect(Object.values(inputs).map(({position: _position, ...input}) => input)).toEqual([
      {name: 'SHA', description: 'Last known good commit', secret: false, required: true},
      {name: 'EMPTY', secret: false, required: true},
      {name: 'TOKEN', secret: true, required: false},
    ]);
  });

  it('reads `target`, one line naming where the run acts, and checks the names in it', () => {
    expect(parseRunbook(`---\nenv: {API: https://x.test}\ntarget: "api {{API}}"\n---\n${step}`, 'f.md').runbook.frontmatter.target).toBe('api {{API}}');
    expect(check('env: {API: https://x.test}\ntarget: "api {{API}} · web {{WEB}}"')).toEqual([
      'f.md:3:1: error: Unexpected `{{WEB}}` in `target`, expected a variable defined in `env` or `inputs` [undefined-name]',
    ]);
    expect(check('env: {API: https://x.test}\ntarget: [api]')).toEqual([
      'f.md:3:1: error: Unexpected `["api"]` for `target`, expected one line of text, such as "api {{API_ORIGIN}}" [frontmatter-schema]',
    ]);
  });

  it('points an unclosed quote at the quote, and still checks the keys before it', () => {
    expect(check('shell: "a b"\nenv: {API: x}\ncwd: "/srv/app')).toEqual([
      'f.md:2:1: error: Unexpected `a b` for `shell`, expected an interpreter such as `bash`, `sh` or `zsh` [frontmatter-schema]',
      'f.md:4:6: error: Unexpected YAML in frontmatter: Missing closing "quote [yaml-syntax]',
    ]);
  });

  it('does not report names as undefined when a YAML mistake swallowed `env`', () => {
    expect(check('title: Rollback: now\nenv:\n  API: https://x.test')).toEqual([
      'f.md:2:8: error: Unexpected YAML in frontmatter: Nested mappings are not allowed in compact mappings [yaml-syntax]',
    ]);
  });

  it('reports a duplicate key once and checks the other keys', () => {
    expect(check('env: {API: x}\nenv: {API: y}\ndefaults: {retries: many}')).toEqual([
      'f.md:3:1: error: Unexpected YAML in frontmatter: Map keys must be unique [yaml-syntax]',
      'f.md:4:12: error: Unexpected `many` for `defaults.retries`, expected a whole number [frontmatter-schema]',
    ]);
  });

  it('reports one YAML error per line, where the yaml package reports several', () => {
    expect(check('env: {API: x}\ntitle: a\n  bad: indent')).toEqual([
      'f.md:3:8: error: Unexpected YAML in frontmatter: Nested mappings are not allowed in compact mappings [yaml-syntax]',
    ]);
  });

  it('counts lines as the Markdown does, lone CRs included', () => {
    expect(parseRunbook('---\n\rtitle: [x\n---\n## A\n', 'cr.md').diagnostics.map(formatDiagnostic)).toEqual([
      'cr.md:3:8: error: Unexpected YAML in frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]',
    ]);
  });

  it('prints no process warnings for odd YAML keys', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning');
    try {
      check('env: {[a]: 1}');
      expect(emitWarning).not.toHaveBeenCalled();
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('reports an unresolved alias instead of throwing', () => {
    expect(check('env: {API: *nowhere}')).toEqual([
      'f.md:2:12: error: Unexpected YAML in frontmatter: Unresolved alias (the anchor must be set before the alias): nowhere [yaml-syntax]',
    ]);
  });

  it('reports a frontmatter that is not a map', () => {
    expect(check('- a\n- b').at(0)).toBe('f.md:2:1: error: Unexpected frontmatter, expected a YAML map of keys such as `title`, `env` and `inputs` [frontmatter-schema]');
  });

  it('reports each unknown key of an input, and a name in both env and inputs', () => {
    expect(check('env: {API: x}\ninputs:\n  API: {descripton: d, secert: true}')).toEqual([
      'f.md:4:9: error: Unexpected key `descripton` in `inputs.API`, did you mean `description`? [frontmatter-schema]',
      'f.md:4:24: error: Unexpected key `secert` in `inputs.API`, did you mean `secret`? [frontmatter-schema]',
    ]);
    expect(check('env: {API: x}\ninputs:\n  API: {description: d}')).toEqual([
      'f.md:4:3: error: Unexpected `API` in both `env` and `inputs`, expected each variable once [duplicate-variable]',
    ]);
  });

  it('validates an input default against its choices', () => {
    expect(check('env: {API: x}\ninputs:\n  REGION: {choices: [eu, us], default: mars}')).toEqual([
      'f.md:4:31: error: Unexpected default `mars` for input `REGION`: expected one of `eu`, `us` [invalid-default]',
    ]);
  });
});

describe('validateInputValue', () => {
  const input = (spec: Partial<InputSpec>): InputSpec => ({
    name: 'X', secret: false, required: true, position: {start: {line: 1, column: 1, offset: 0}, end: {line: 1, column: 1, offset: 0}}, ...spec,
  });

  it('checks choices, pattern and required', () => {
    expect(validateInputValue(input({choices: ['a', 'b']}), 'c')).toBe('expected one of `a`, `b`');
    expect(validateInputValue(input({pattern: '^[0-9]+$'}), '12x')).toBe('expected a value matching /^[0-9]+$/');
    expect(validateInputValue(input({}), '')).toBe('expected a value (the input is required)');
    expect(validateInputValue(input({required: false}), '')).toBeUndefined();
    expect(validateInputValue(input({pattern: '^[0-9]+$'}), '12')).toBeUndefined();
  });
});
