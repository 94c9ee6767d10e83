import {describe, expect, it} from 'vitest';
import {fixtureMessages} from './fixtures.js';

// Each fixture holds one kind of mistake; the expected lines are exactly what
// `runbook check` prints for it.
describe('diagnostics', () => {
  it('reports invalid YAML at the opening of the unclosed collection, and nothing else', () => {
    expect(fixtureMessages('diagnostics/invalid-yaml.md')).toEqual([
      'test/fixtures/diagnostics/invalid-yaml.md:4:15: error: Unexpected YAML in frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]',
    ]);
  });

  it('reports each frontmatter schema error at its key, without undefined-name errors for the inputs it names', () => {
    expect(fixtureMessages('diagnostics/frontmatter-schema.md')).toEqual([
      'test/fixtures/diagnostics/frontmatter-schema.md:3:1: error: Unexpected `bash -e` for `shell`, expected an interpreter such as `bash`, `sh` or `zsh` [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-schema.md:5:3: error: Unexpected variable name `api-origin` in `env`, expected letters, digits and `_`, not starting with a digit [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-schema.md:6:3: error: Unexpected `["eu","us"]` for `env.REGION`, expected a string, number or boolean [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-schema.md:8:50: error: Unexpected key `patern` in `inputs.LKG_SHA`, did you mean `pattern`? [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-schema.md:9:11: error: Unexpected default `abc` for input `COUNT`: expected a value matching /^[0-9]+$/ [invalid-default]',
      'test/fixtures/diagnostics/frontmatter-schema.md:11:3: error: Unexpected `5` for `defaults.timeout`, expected a duration such as `10s` or `5m` [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-schema.md:12:3: error: Unexpected `1.5` for `defaults.retries`, expected a whole number [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-schema.md:13:1: warning: Unexpected frontmatter key `inptus` (ignored), did you mean `inputs`? [unknown-frontmatter-key]',
    ]);
  });

  it('reports unknown attributes with the closest key, and only warns on display-only blocks', () => {
    expect(fixtureMessages('diagnostics/unknown-attribute.md')).toEqual([
      'test/fixtures/diagnostics/unknown-attribute.md:4:15-4:24: error: Unexpected attribute `retires` on a step, did you mean `retries`? [unknown-attribute]',
      'test/fixtures/diagnostics/unknown-attribute.md:6:15-6:25: error: Unexpected attribute `timout` on a `sh` block, did you mean `timeout`? [unknown-attribute]',
      'test/fixtures/diagnostics/unknown-attribute.md:6:26-6:36: error: Unexpected attribute `colour` on a `sh` block, expected one of `timeout`, `retries`, `interval`, `confirm`, `mutates`, `if`, `capture`, `secret`, `allow-failure`, `interactive`, `background`, `idempotent`, `run`, `cwd`, `carry` [unknown-attribute]',
      'test/fixtures/diagnostics/unknown-attribute.md:10:25-10:37: warning: Unexpected attribute `startFrom` on a `python` block, which is display-only; it has no effect [unknown-attribute]',
    ]);
  });

  it('reports ill-typed durations, integers, booleans, names and misplaced attributes at their values', () => {
    expect(fixtureMessages('diagnostics/ill-typed-attributes.md')).toEqual([
      'test/fixtures/diagnostics/ill-typed-attributes.md:5:16-5:18: error: Unexpected `10` for `timeout`, expected a duration such as `500ms`, `10s`, `5m` or `1h` [invalid-attribute]',
      'test/fixtures/diagnostics/ill-typed-attributes.md:5:27-5:32: error: Unexpected `three` for `retries`, expected a whole number such as `3` [invalid-attribute]',
      'test/fixtures/diagnostics/ill-typed-attributes.md:5:42-5:43: error: Unexpected `5` for `interval`, expected a duration such as `500ms`, `10s`, `5m` or `1h` [invalid-attribute]',
      'test/fixtures/diagnostics/ill-typed-attributes.md:5:52-5:55: error: Unexpected `yes` for `mutates`, expected `true` or `false` [invalid-attribute]',
      'test/fixtures/diagnostics/ill-typed-attributes.md:9:16-9:25: error: Unexpected `my-output` for `capture`, expected a variable name such as `LKG_SHA` (letters, digits, `_`) [invalid-attribute]',
      'test/fixtures/diagnostics/ill-typed-attributes.md:9:34-9:36: error: Unexpected empty `confirm`, expected a prompt or a bare `confirm` [invalid-attribute]',
      'test/fixtures/diagnostics/ill-typed-attributes.md:9:37-9:44: error: Unexpected `timeout` without a value, expected `timeout=<duration>` [invalid-attribute]',
      'test/fixtures/diagnostics/ill-typed-attributes.md:13:10-13:21: error: Unexpected attribute `interactive` on a `http` block, expected it only on `sh`/`bash`/`shell`/`zsh` blocks, `js`/`node` blocks or `console`/`shell-session`/`terminal` blocks [misplaced-attribute]',
    ]);
  });

  it('reports duplicate ids across steps and blocks, with the first use', () => {
    expect(fixtureMessages('diagnostics/duplicate-ids.md')).toEqual([
      'test/fixtures/diagnostics/duplicate-ids.md:6:8: error: Unexpected duplicate id `check`, expected ids to be unique (first used at 4:15) [duplicate-id]',
      'test/fixtures/diagnostics/duplicate-ids.md:10:15-10:21: error: Unexpected second id `#again` on a `sh` block, expected at most one `#id` [duplicate-attribute]',
      'test/fixtures/diagnostics/duplicate-ids.md:16:10: error: Unexpected duplicate id `probe`, expected ids to be unique (first used at 10:8) [duplicate-id]',
    ]);
  });

  it('reports `{{NAME}}` and `if=` references to names never defined, inside list items too', () => {
    expect(fixtureMessages('diagnostics/undefined-names.md')).toEqual([
      'test/fixtures/diagnostics/undefined-names.md:12:35: error: Unexpected reference `{{LKG_SHA}}`, expected a name defined in `env`, `inputs`, a `capture` or a block id [undefined-name]',
      'test/fixtures/diagnostics/undefined-names.md:13:14: error: Unexpected reference `{{trace.response.body.$.id}}`, expected a name defined in `env`, `inputs`, a `capture` or a block id [undefined-name]',
      'test/fixtures/diagnostics/undefined-names.md:16:29: error: Unexpected name `retried` in condition, expected a variable, a capture or the id of a block [undefined-name]',
      'test/fixtures/diagnostics/undefined-names.md:22:19: error: Unexpected name `nope` in condition, expected a variable, a capture or the id of a block [undefined-name]',
    ]);
  });

  it('reports a variable, capture or block named as CEL reserves, where a condition uses it, once per use', () => {
    expect(fixtureMessages('diagnostics/reserved-names.md')).toEqual([
      "test/fixtures/diagnostics/reserved-names.md:13:12: error: Unexpected `type` in condition, expected a name CEL does not reserve: here it is CEL's own `type`, not the variable `type`; rename the variable [reserved-name]",
      "test/fixtures/diagnostics/reserved-names.md:13:30: error: Unexpected `int` in condition, expected a name CEL does not reserve: here it is CEL's own `int`, not the block `int`; rename the block [reserved-name]",
    ]);
  });

  it('reports `if=` syntax errors at the offending character, through escapes', () => {
    expect(fixtureMessages('diagnostics/condition-syntax.md')).toEqual([
      'test/fixtures/diagnostics/condition-syntax.md:5:30: error: Unexpected syntax in condition `first.ok &&`: Unexpected token: EOF [condition-syntax]',
      'test/fixtures/diagnostics/condition-syntax.md:9:29: error: Unexpected syntax in condition `first.exitCode === 0`: Unexpected character: = [condition-syntax]',
      'test/fixtures/diagnostics/condition-syntax.md:13:29: error: Unexpected syntax in condition `first.status == "ok`: Unterminated string [condition-syntax]',
    ]);
  });

  it('reports http blocks that are not valid requests, line and column exact inside a quote', () => {
    expect(fixtureMessages('diagnostics/invalid-http.md')).toEqual([
      'test/fixtures/diagnostics/invalid-http.md:6:1-6:6: error: Unexpected `FETCH`, expected a request line such as `GET https://host/path` [http-request]',
      'test/fixtures/diagnostics/invalid-http.md:10:43-10:44: error: Unexpected `b` after the URL, expected `HTTP/1.1` or the end of the line (encode spaces in the URL as %20) [http-request]',
      'test/fixtures/diagnostics/invalid-http.md:11:3-11:26: error: Unexpected `Accept application/json` in the headers, expected `Name: value` or a blank line before the body [http-request]',
      'test/fixtures/diagnostics/invalid-http.md:17:4-17:10: error: Unexpected assertion subject `stauts`, did you mean `status`? [http-request]',
      'test/fixtures/diagnostics/invalid-http.md:18:13-18:15: error: Unexpected `ok`, expected a number to compare status with [http-request]',
      'test/fixtures/diagnostics/invalid-http.md:19:4-19:10: error: Unexpected assertion without a header name, expected `?? header content-type includes json` [http-request]',
      'test/fixtures/diagnostics/invalid-http.md:20:14-20:19: error: Unexpected operator `equal`, did you mean `equals`? [http-request]',
      'test/fixtures/diagnostics/invalid-http.md:23:1: error: Unexpected empty http block, expected a request line such as `GET https://host/path` [http-request]',
    ]);
  });

  it('warns about a runbook without steps', () => {
    expect(fixtureMessages('diagnostics/no-steps.md')).toEqual([
      'test/fixtures/diagnostics/no-steps.md:1:1: warning: Unexpected runbook without steps, expected at least one `##` heading [no-steps]',
    ]);
  });

  it('reports attribute syntax errors: unterminated quote, missing `}`, spaces around `=`, text around the braces, empty names', () => {
    expect(fixtureMessages('diagnostics/attribute-syntax.md')).toEqual([
      'test/fixtures/diagnostics/attribute-syntax.md:5:23-5:31: error: Unexpected end of attributes, expected a closing `"` for the value opened here [attribute-syntax]',
      'test/fixtures/diagnostics/attribute-syntax.md:9:25: error: Unexpected end of info string, expected `}` to close the attributes [attribute-syntax]',
      'test/fixtures/diagnostics/attribute-syntax.md:13:23-13:26: error: Unexpected space around `=` after `retries`, expected `retries=value` [attribute-syntax]',
      'test/fixtures/diagnostics/attribute-syntax.md:17:16-17:24: error: Unexpected `trailing` after the attributes, expected the end of the line [attribute-syntax]',
      'test/fixtures/diagnostics/attribute-syntax.md:21:8-21:9: error: Unexpected `#` without a name, expected `#name` [attribute-syntax]',
      'test/fixtures/diagnostics/attribute-syntax.md:21:10-21:11: error: Unexpected `.` without a name, expected `.name` [attribute-syntax]',
      'test/fixtures/diagnostics/attribute-syntax.md:25:7-25:12: error: Unexpected `title` before the attributes, expected `{` right after the language [attribute-syntax]',
    ]);
  });

  it('warns about misplaced step comments and blocks before the first step; columns exact in nested containers', () => {
    expect(fixtureMessages('diagnostics/placement.md')).toEqual([
      'test/fixtures/diagnostics/placement.md:2:1: warning: Unexpected `<!-- runbook: … -->` comment, expected it directly under a step heading or right before a task list; it is ignored [misplaced-step-attributes]',
      'test/fixtures/diagnostics/placement.md:4:1: warning: Unexpected executable block before the first step, expected it under a `##` heading; it is shown but never run [block-outside-step]',
      'test/fixtures/diagnostics/placement.md:13:12: error: Unexpected reference `{{ORIGIN}}`, expected a name defined in `env`, `inputs`, a `capture` or a block id [undefined-name]',
      'test/fixtures/diagnostics/placement.md:14:19: error: Unexpected reference `{{TRACE}}`, expected a name defined in `env`, `inputs`, a `capture` or a block id [undefined-name]',
      'test/fixtures/diagnostics/placement.md:18:8: error: Unexpected reference `{{SHALLOW}}`, expected a name defined in `env`, `inputs`, a `capture` or a block id [undefined-name]',
      'test/fixtures/diagnostics/placement.md:23:1: warning: Unexpected `<!-- runbook: … -->` comment, expected it directly under a step heading or right before a task list; it is ignored [misplaced-step-attributes]',
      'test/fixtures/diagnostics/placement.md:25:13: warning: Unexpected `<!-- runbook: … -->` comment, expected it directly under a step heading or right before a task list; it is ignored [misplaced-step-attributes]',
      // a condition that gives a number, not true or false
      "test/fixtures/diagnostics/placement.md:26:19: error: Unexpected types in condition `ask.status + 1`: it gives an int, expected true or false (a condition such as `health.failed` or `COUNT > 0`) [condition-type]",
      'test/fixtures/diagnostics/placement.md:27:1: warning: Unexpected `<!-- runbook: … -->` comment, expected it directly under a step heading or right before a task list; it is ignored [misplaced-step-attributes]',
      "test/fixtures/diagnostics/placement.md:29:12: error: Unexpected types in condition `ask.ok && 'yes'`: Logical operator requires bool operands, got 'string' [condition-type]",
    ]);
  });

  it('reports a fence that is never closed once, at the opening fence, and not the steps it swallows', () => {
    expect(fixtureMessages('diagnostics/unclosed-fence.md')).toEqual([
      'test/fixtures/diagnostics/unclosed-fence.md:11:1: error: Unexpected code fence ``` that is never closed, expected a closing ``` line: as it is, everything after it to the end of the file, later steps included, is this one block [unclosed-fence]',
    ]);
  });

  it('warns about a fence language one typo from an executable language, and not about display languages', () => {
    expect(fixtureMessages('diagnostics/language-typo.md')).toEqual([
      'test/fixtures/diagnostics/language-typo.md:5:4-5:8: warning: Unexpected fence language `bahs`, did you mean `bash`? As written the block is display-only and never runs [language-typo]',
      'test/fixtures/diagnostics/language-typo.md:9:4-9:7: warning: Unexpected fence language `shh`, did you mean `sh`? As written the block is display-only and never runs [language-typo]',
      'test/fixtures/diagnostics/language-typo.md:13:4-13:8: warning: Unexpected fence language `htpp`, did you mean `http`? As written the block is display-only and never runs [language-typo]',
      'test/fixtures/diagnostics/language-typo.md:17:4-17:13: warning: Unexpected fence language `javscript`, did you mean `js`? As written the block is display-only and never runs [language-typo]',
    ]);
  });

  it('warns about `{{NAME}}` in a shell block with what to write instead, and leaves Go templates and http blocks alone', () => {
    expect(fixtureMessages('diagnostics/template-in-shell.md')).toEqual([
      'test/fixtures/diagnostics/template-in-shell.md:14:27: warning: Unexpected `{{REGION}}` in a shell block, which bash passes on as it is (only http blocks fill in `{{…}}`); expected `$REGION` (variables reach shell blocks as environment variables) [template-in-shell]',
      'test/fixtures/diagnostics/template-in-shell.md:14:44: warning: Unexpected `{{LKG_SHA}}` in a shell block, which bash passes on as it is (only http blocks fill in `{{…}}`); expected `$LKG_SHA` (variables reach shell blocks as environment variables) [template-in-shell]',
      'test/fixtures/diagnostics/template-in-shell.md:15:7: warning: Unexpected `{{sha.stdout}}` in a shell block, which bash passes on as it is (only http blocks fill in `{{…}}`); expected `capture=NAME` on block `sha` and `$NAME` here [template-in-shell]',
      'test/fixtures/diagnostics/template-in-shell.md:15:26: warning: Unexpected `{{UNDECLARED}}` in a shell block, which bash passes on as it is (only http blocks fill in `{{…}}`); expected `$UNDECLARED` (variables reach shell blocks as environment variables) [template-in-shell]',
    ]);
  });

  it('reports type mistakes in typed frontmatter values, typed captures and conditions that compare a string with a number or a typed value with a string, each mistake of a condition, and warns where untyped text is ordered', () => {
    expect(fixtureMessages('diagnostics/typed-values.md')).toEqual([
      'test/fixtures/diagnostics/typed-values.md:6:11: error: Unexpected value `half` for number `env.RATIO`: expected a number such as `0.75`, `12` or `1e3` [invalid-default]',
      'test/fixtures/diagnostics/typed-values.md:10:26: error: Unexpected choice `two` for integer input `COUNT`: expected an integer such as `42` or `-3` [invalid-default]',
      'test/fixtures/diagnostics/typed-values.md:11:26: error: Unexpected optional integer input `BATCH` without a `default`, expected a default or `required: true` (an empty value is not an integer) [invalid-default]',
      'test/fixtures/diagnostics/typed-values.md:12:11: error: Unexpected `intger` for `inputs.LEVEL.type`, expected one of `string`, `integer`, `number`, `boolean`, `duration` [frontmatter-schema]',
      'test/fixtures/diagnostics/typed-values.md:22:16-22:26: error: Unexpected type `float` in `capture=FREE:float`, expected one of `string`, `integer`, `number`, `boolean`, `duration` [invalid-attribute]',
      'test/fixtures/diagnostics/typed-values.md:28:24: error: Unexpected types in condition `usage.ok && LIMIT > 50`: no such overload: string > int; `LIMIT` is a string (without a `type`, variables and captures are strings): declare its type, such as `LIMIT: {value: 100, type: integer}`, or compare it with a string [condition-type]',
      "test/fixtures/diagnostics/typed-values.md:32:12: error: Unexpected types in condition `USED_PCT > '90'`: no such overload: int > string; `USED_PCT` is an integer [condition-type]",
      "test/fixtures/diagnostics/typed-values.md:36:12: error: Unexpected types in condition `DRY_RUN == 'true' || WAIT > 60`: no such overload: bool == string; `DRY_RUN` is a boolean [condition-type]",
      "test/fixtures/diagnostics/typed-values.md:36:33: error: Unexpected types in condition `DRY_RUN == 'true' || WAIT > 60`: no such overload: duration > int; `WAIT` is a duration [condition-type]",
      'test/fixtures/diagnostics/typed-values.md:44:12: warning: Unexpected `>=` on text in condition `LOAD >= \'5.0\'`: `LOAD` has no `type`, so it is a string and `>=` compares text (`"24" > "100"` is true); declare the capture\'s type, such as `capture=LOAD:integer` [untyped-comparison]',
    ]);
  });

  it('reports frontmatter schema errors at the offending key, not at the input or variable it belongs to', () => {
    expect(fixtureMessages('diagnostics/frontmatter-keys.md')).toEqual([
      'test/fixtures/diagnostics/frontmatter-keys.md:5:5: error: Unexpected `42` for `inputs.SERVICE.pattern`, expected a string [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-keys.md:6:5: error: Unexpected `maybe` for `inputs.SERVICE.secret`, expected a boolean [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-keys.md:7:25: error: Unexpected `[]` for `inputs.REGION.choices`, expected at least one choice [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-keys.md:7:38: error: Unexpected `3` for `inputs.REGION.required`, expected a boolean [frontmatter-schema]',
      'test/fixtures/diagnostics/frontmatter-keys.md:9:39: error: Unexpected key `unit` in `env.TIMEOUT`, expected `value`, `type` or `description` [frontmatter-schema]',
    ]);
  });

  it('refuses input patterns that backtrack catastrophically (without hanging on their default) and retries, timeouts and intervals over their maxima, and warns about such a pattern in matches()', () => {
    expect(fixtureMessages('diagnostics/limits.md')).toEqual([
      'test/fixtures/diagnostics/limits.md:3:9: error: Unexpected pattern `^(a+)+$` for input `TAG`: it can backtrack catastrophically and hang on some values (an unbounded repetition such as `+` or `*` inside another, more than 25 of them, or syntax the check cannot read such as lookbehind), expected a pattern without nested repetition such as `^a+$` [unsafe-pattern]',
      'test/fixtures/diagnostics/limits.md:5:12: error: Unexpected `48h` for `defaults.timeout`, expected a duration up to 24h [frontmatter-schema]',
      'test/fixtures/diagnostics/limits.md:5:26: error: Unexpected `99999999999999999999` for `defaults.retries`, expected a whole number up to 100 [frontmatter-schema]',
      'test/fixtures/diagnostics/limits.md:5:57: error: Unexpected `2h` for `defaults.interval`, expected a duration up to 1h [frontmatter-schema]',
      'test/fixtures/diagnostics/limits.md:11:16-11:36: error: Unexpected `99999999999999999999` for `retries`, expected a whole number up to 100 [invalid-attribute]',
      'test/fixtures/diagnostics/limits.md:11:45-11:53: error: Unexpected `9999999h` for `timeout`, expected a duration up to 24h [invalid-attribute]',
      'test/fixtures/diagnostics/limits.md:11:63-11:66: error: Unexpected `90m` for `interval`, expected a duration up to 1h [invalid-attribute]',
      "test/fixtures/diagnostics/limits.md:19:33: warning: Unexpected pattern `^(a+)+$` in `matches()`: it can backtrack catastrophically on some text (an unbounded repetition inside another); at run time the condition is stopped after 1s and cannot be evaluated, expected a pattern without nested repetition [unsafe-pattern]",
    ]);
  });

  it('refuses block quotes nested deeper than 100 levels before parsing them', () => {
    expect(fixtureMessages('diagnostics/too-deep.md')).toEqual([
      'test/fixtures/diagnostics/too-deep.md:5:1: error: Unexpected lists or block quotes nested more than 100 levels deep, expected at most 100; the runbook is not read [too-deep]',
    ]);
  });

  // Every mistake of issue 2 but `no-steps` (a warning that cannot share a
  // file with steps), once each: exactly one positioned line per mistake.
  it('reports one line per mistake in a file with one of each', () => {
    expect(fixtureMessages('diagnostics/all-mistakes.md')).toEqual([
      'test/fixtures/diagnostics/all-mistakes.md:3:1: error: Unexpected `bash -e` for `shell`, expected an interpreter such as `bash`, `sh` or `zsh` [frontmatter-schema]',
      'test/fixtures/diagnostics/all-mistakes.md:8:6: error: Unexpected YAML in frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]',
      'test/fixtures/diagnostics/all-mistakes.md:14:18-14:28: error: Unexpected attribute `timout` on a `http` block, did you mean `timeout`? [unknown-attribute]',
      'test/fixtures/diagnostics/all-mistakes.md:19:23-19:28: error: Unexpected `three` for `retries`, expected a whole number such as `3` [invalid-attribute]',
      'test/fixtures/diagnostics/all-mistakes.md:24:35: error: Unexpected syntax in condition `health.failed &&`: Unexpected token: EOF [condition-syntax]',
      'test/fixtures/diagnostics/all-mistakes.md:26:8: error: Unexpected duplicate id `probe`, expected ids to be unique (first used at 19:8) [duplicate-id]',
      'test/fixtures/diagnostics/all-mistakes.md:30:22: error: Unexpected name `rollback` in condition, expected a variable, a capture or the id of a block [undefined-name]',
      'test/fixtures/diagnostics/all-mistakes.md:31:53: error: Unexpected reference `{{REGION}}`, expected a name defined in `env`, `inputs`, a `capture` or a block id [undefined-name]',
      'test/fixtures/diagnostics/all-mistakes.md:35:1-35:7: error: Unexpected `NOTIFY`, expected a request line such as `GET https://host/path` [http-request]',
      'test/fixtures/diagnostics/all-mistakes.md:38:25-38:35: error: Unexpected end of attributes, expected a closing `"` for the value opened here [attribute-syntax]',
    ]);
  });
  it('warns about templates whose encoding the engine cannot know: in the fragment, a Cookie, a body of unknown type', () => {
    const typeless = 'expected a `Content-Type` the engine encodes for (JSON, `application/x-www-form-urlencoded`, `text/plain`)';
    expect(fixtureMessages('diagnostics/template-encoding.md')).toEqual([
      "test/fixtures/diagnostics/template-encoding.md:14:37: warning: Unexpected `{{SECTION}}` in the URL's fragment (after `#`), which is never sent to the server; expected it in the path or the query [template-encoding]",
      'test/fixtures/diagnostics/template-encoding.md:15:17: warning: Unexpected `{{SESSION}}` in a `Cookie` header, where it is pasted as it is and a `;` in its value would set another cookie; expected a value that cannot hold one, written `{{raw SESSION}}` to say so [template-encoding]',
      `test/fixtures/diagnostics/template-encoding.md:18:7: warning: Unexpected \`{{NOTE}}\` in a body with \`Content-Type: application/xml\` that is not JSON, so its value is pasted as it is; ${typeless}, or \`{{raw NOTE}}\` to say it is meant as it is [template-encoding]`,
      `test/fixtures/diagnostics/template-encoding.md:44:7: warning: Unexpected \`{{NOTE}}\` in a body with no \`Content-Type\` that is not JSON, so its value is pasted as it is; ${typeless}, or \`{{raw NOTE}}\` to say it is meant as it is [template-encoding]`,
    ]);
  });
});
