import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import type {ExecNode, RunbookNode} from '../../src/runbook/model.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {promptEnvFor} from '../../src/runbook/prompt-env.js';
import {allNodes} from '../../src/runbook/walk.js';

const parse = (text: string, path = 'r.md') => parseRunbook(text, path);
const messages = (text: string): string[] => parse(text).diagnostics.map(formatDiagnostic);
const nodes = (text: string): RunbookNode[] => allNodes(parse(text).runbook);
const step = (fence: string, body = 'echo hi'): string => `# R\n\n## S\n\n${fence}\n${body}\n\`\`\`\n`;

describe('Runme fence attributes', () => {
  it('take Runme’s JSON form, string booleans included, with no diagnostic (docs.runme.dev cell-level)', () => {
    const text = step('```sh {"background":"false","closeTerminalOnSuccess":"false","id":"01HPM33PJFH2Q9R5SNAQX0HCSC","interactive":"true","name":"example"}');
    expect(messages(text)).toEqual([
      'r.md:5:29-5:61: info: Runme attribute `closeTerminalOnSuccess` is ignored: it is about Runme\'s notebook, not about running the block [runme-ignored]',
    ]);
    expect(nodes(text)).toMatchObject([{kind: 'exec', id: 'example', explicitId: true, attributes: {background: false, interactive: true}}]);
  });

  it('take Runme’s `{ key=value }` form with spaces (runme README)', () => {
    const text = step('```sh { interactive=true name=example mimetype=text/plain closeTerminalOnSuccess=false background=false }');
    expect(messages(text)).toEqual([
      'r.md:5:39-5:87: info: Runme attributes `closeTerminalOnSuccess`, `mimetype` are ignored: they are about Runme\'s notebook, not about running the block [runme-ignored]',
    ]);
    expect(nodes(text)).toMatchObject([{kind: 'exec', id: 'example', attributes: {interactive: true, background: false}}]);
  });

  it('take the mix of both (docs.runme.dev shebang)', () => {
    const text = step('```sh { cwd=.. "id":"01HP475WXX5PVV658023KQJFRE"}');
    expect(messages(text)).toEqual([]);
    expect(nodes(text)).toMatchObject([{kind: 'exec', id: '01HP475WXX5PVV658023KQJFRE', attributes: {cwd: '..'}}]);
  });

  it('make a display-only block’s id from its name too (owl jwt.md)', () => {
    expect(nodes('# R\n\n## S\n\n```json {"id":"01JAS617E49F122NDBYH3WT93J","name":"PAYLOAD"}\n{}\n```\n')).toMatchObject([{kind: 'display', id: 'PAYLOAD', explicitId: true}]);
  });
});

describe('Runme ids', () => {
  it('accept a ULID, which starts with a digit, as the id when there is no name', () => {
    expect(nodes(step('```sh {"id":"01HF7BT3HEQBTBM9SSTX2S878Z"}'))).toMatchObject([{id: '01HF7BT3HEQBTBM9SSTX2S878Z', explicitId: true}]);
  });

  it('take the name over the ULID, as `runme run NAME` does', () => {
    expect(nodes(step('```sh {"id":"01HF7BT3HEQBTBM9SSTKQENPT3","interactive":"false","name":"lint"}'))).toMatchObject([{id: 'lint'}]);
  });

  it('read `id=` in our braces as Runme’s id, not as a typo of `if`', () => {
    const text = step('```sh {id=01HF7BT3HEQBTBM9SSTX2S878Z timeout=5s}');
    expect(messages(text)).toEqual([]);
    expect(nodes(text)).toMatchObject([{id: '01HF7BT3HEQBTBM9SSTX2S878Z', attributes: {timeout: 5000}}]);
  });

  it('keep our `#id` over Runme’s name', () => {
    expect(nodes(step('```sh {#mine name=theirs}'))).toMatchObject([{id: 'mine'}]);
  });

  it('warn about a name that cannot be an id, and derive one', () => {
    const text = step('```sh {"name":"install deps"}');
    expect(messages(text)).toEqual([
      'r.md:5:15-5:29: warning: Unexpected name `install deps`, expected letters, digits, `_` or `-` to use it as the block\'s id; the block gets a derived id [invalid-id]',
    ]);
    expect(nodes(text)).toMatchObject([{id: 's-1', explicitId: false}]);
  });

  it('warn about a repeated Runme name (Runme allows it, ids here are unique), and derive an id', () => {
    const text = '# R\n\n## S\n\n```sh {"name":"build"}\nmake\n```\n\n```sh {"name":"build"}\nmake all\n```\n';
    expect(messages(text)).toEqual([
      'r.md:9:8-9:22: warning: Unexpected Runme name `build` used before (at 5:8), expected names to be unique; this block gets a derived id [duplicate-id]',
    ]);
    expect(nodes(text).map((node) => node.id)).toEqual(['build', 's-2']);
  });
});

describe('Runme attributes that keep a block from running', () => {
  it.each([
    ['```sh {"excludeFromRunAll":"true","id":"01HPM7NRQYMD5T06M4KS6S2DWG"}'],
    ['```sh {"excludeFromRunAll":true}'],
    ['```sh { excludeFromRunAll=true }'],
    ['```sh {"ignore":"true"}'],
    ['```mermaid {"transform":"false"}'],
  ])('%s makes it display-only, as run=false does', (fence) => {
    expect(nodes(step(fence)).map((node) => [node.kind, node.attributes.run])).toEqual([['display', false]]);
  });

  it('leave it running when false', () => {
    expect(nodes(step('```sh {"excludeFromRunAll":"false"}')).map((node) => node.kind)).toEqual(['exec']);
  });

  it('say that a value other than a boolean is a mistake', () => {
    expect(messages(step('```sh {"excludeFromRunAll":"sometimes"}'))).toEqual([
      'r.md:5:28-5:39: error: Unexpected `sometimes` for `excludeFromRunAll`, expected `true` or `false` [invalid-attribute]',
    ]);
  });
});

describe('promptEnv and interpreter', () => {
  it.each([
    ['"true"', 'always'], ['"yes"', 'always'], ['"always"', 'always'],
    ['"false"', 'never'], ['"no"', 'never'], ['"never"', 'never'], ['"auto"', 'auto'],
  ])('promptEnv %s is %s', (value, mode) => {
    expect(nodes(step(`\`\`\`sh {"promptEnv":${value}}`))).toMatchObject([{attributes: {promptEnv: mode}}]);
  });

  it('skipPrompts is promptEnv never', () => {
    expect(nodes(step('```sh {"skipPrompts":"true"}'))).toMatchObject([{attributes: {promptEnv: 'never'}}]);
  });

  it('interpreter names the program a shell block runs with', () => {
    const [node] = nodes(step('```sh {"interpreter":"bash -x"}')) as ExecNode[];
    expect(node?.attributes.interpreter).toBe('bash -x');
  });

  it('an interpreter runbook cannot hand a block to is an error', () => {
    expect(messages(step('```sh {"interpreter":"deno run"}'))).toEqual([
      'r.md:5:22-5:32: error: Unexpected interpreter `deno run`, expected a program runbook can hand a block to: `bash -x`, `zsh`, `sh`, `python3`, `node`, `ruby` or `perl` [invalid-attribute]',
    ]);
  });

  it('on a display-only block, interpreter is an info (docs.runme.dev shebang)', () => {
    expect(messages(step('```php {"id":"01HPPEWMR02F1ZNBJNNQGW9H29","interpreter":"/opt/homebrew/bin/php"}', '<?php echo 1;'))).toEqual([
      'r.md:5:43-5:80: info: Runme attribute `interpreter` on a `php` block is ignored: only shell blocks take another interpreter here [runme-ignored]',
    ]);
  });
});

describe('a Runme-annotated document', () => {
  it('is marked by `runme:` frontmatter, which gives no warning', () => {
    const text = '---\nrunme:\n  id: 01HF7BT3HF9WY615MNGVPCSFMV\n  version: v3\nterminalRows: 26\n---\n\n# R\n\n## S\n\n```sh\necho\n```\n';
    expect(messages(text)).toEqual([]);
    expect(parse(text).runbook.runme).toBe(true);
  });

  it('is marked by JSON attributes or Runme’s keys', () => {
    expect(parse(step('```sh {"id":"01HF7BT3HEQBTBM9SSTX2S878Z"}')).runbook.runme).toBe(true);
    expect(parse(step('```sh { name=x }')).runbook.runme).toBe(true);
  });

  it('is not a runbook written in ours', () => {
    expect(parse(step('```sh {#x cwd=app}')).runbook.runme).toBeUndefined();
  });
});

describe('site generators’ frontmatter', () => {
  it('gives no warning for Hugo’s and Docusaurus’ keys', () => {
    const text = '---\ntitle: T\nweight: 10\nsidebar_position: 2\nsidebar_label: X\nslug: /x\ntags: [a]\naliases: [/y]\ndraft: false\ndate: 2024-01-01\nlinkTitle: L\ndescription: D\n---\n\n# R\n\n## S\n\n```sh\necho\n```\n';
    expect(messages(text)).toEqual([]);
  });

  it('still warns about a misspelt key of ours', () => {
    expect(messages('---\ninptus: {A: x}\n---\n# R\n## S\n```sh\necho\n```\n')).toEqual([
      'r.md:2:1: warning: Unexpected frontmatter key `inptus` (ignored), did you mean `inputs`? [unknown-frontmatter-key]',
    ]);
  });
});

describe('a document without step headings', () => {
  it('plays as one implicit step titled as the document, its blocks not outside a step', () => {
    const text = '# Runme Examples\n\nIntro.\n\n```sh {"name":"hello"}\necho hello\n```\n\n```sh\necho two\n```\n';
    const {runbook, diagnostics} = parse(text);
    expect(diagnostics).toEqual([]);
    expect(runbook.introduction).toEqual([]);
    expect(runbook.steps.map((each) => [each.id, each.title, each.implicit, each.content.filter((block) => block.kind !== 'prose').map((block) => [block.kind, 'id' in block ? block.id : ''])])).toEqual([
      ['runme-examples', 'Runme Examples', true, [['exec', 'hello'], ['exec', 'runme-examples-2']]],
    ]);
  });

  it('takes the frontmatter title, else the file name', () => {
    expect(parse('---\ntitle: Deploy\n---\n```sh\necho\n```\n').runbook.steps[0]?.title).toBe('Deploy');
    expect(parseRunbook('```sh\necho\n```\n', 'docs/dir-project/readme.md').runbook.steps[0]).toMatchObject({title: 'readme', id: 'readme'});
  });

  it('keeps the rule of a document with a step: blocks before it are only shown', () => {
    const text = '# R\n\n```sh\necho early\n```\n\n## S\n\n```sh\necho\n```\n';
    expect(messages(text)).toEqual([
      'r.md:3:1: warning: Unexpected executable block before the first step, expected it under a `##` heading; it is shown but never run [block-outside-step]',
    ]);
    expect(parse(text).runbook.steps.map((each) => each.implicit)).toEqual([undefined]);
  });

  it('counts a `###` heading as a step, and a second `#` one', () => {
    expect(parse('# R\n\n```sh\necho\n```\n\n### S\n').runbook.steps.map((each) => each.title)).toEqual(['S']);
    expect(parse('# R\n\n```sh\necho\n```\n\n# Other\n').runbook.steps.map((each) => each.title)).toEqual(['Other']);
  });

  it('with only prose keeps the warning that it has no steps', () => {
    expect(messages('# Notes\n\nOnly prose.\n')).toEqual([
      'r.md:1:1: warning: Unexpected runbook without steps, expected at least one `##` heading [no-steps]',
    ]);
  });
});

describe('promptEnvFor, the hook for asking for exported values', () => {
  it('is the block’s promptEnv, else auto in a Runme-annotated document, else nothing', () => {
    const runme = parse('```sh {"name":"a","promptEnv":"never"}\nexport A=1\n```\n\n```sh {"name":"b"}\nexport B=\n```\n').runbook;
    expect(allNodes(runme).map((node) => promptEnvFor(runme, node as ExecNode))).toEqual(['never', 'auto']);
    const skipping = parse('---\nrunme: {id: 01HF7BT3HF9WY615MNGVPCSFMV}\nskipPrompts: true\n---\n```sh {"promptEnv":"yes"}\nexport A=\n```\n```sh\nexport B=\n```\n').runbook;
    expect(allNodes(skipping).map((node) => promptEnvFor(skipping, node as ExecNode))).toEqual(['always', 'never']);
    const ours = parse(step('```sh {#a}')).runbook;
    expect(allNodes(ours).map((node) => promptEnvFor(ours, node as ExecNode))).toEqual([undefined]);
  });
});

describe('Runme-like fence lines of any shape', () => {
  const piece = fc.constantFrom('{', '}', '"', ':', ',', ' ', '=', '"name"', '"id"', 'name=', '"01HF7BT3"', '"true"', 'true', 'null', '"excludeFromRunAll"', '"terminalRows"', '"cwd"', '"interpreter"', '"bash -x"', '#a', '[1]');
  it('never throw, and every diagnostic points at the fence line', () => {
    fc.assert(fc.property(fc.array(piece, {maxLength: 20}), fc.constantFrom('sh', 'json', 'bash'), (pieces, lang) => {
      const fence = `\`\`\`${lang} {${pieces.join('')}}`;
      const {diagnostics} = parseRunbook(`${fence}\necho\n\`\`\`\n`, 'r.md');
      for (const diagnostic of diagnostics) {
        expect(diagnostic.start.line).toBe(1);
        expect(diagnostic.start.column).toBeGreaterThanOrEqual(1);
        expect(diagnostic.start.column).toBeLessThanOrEqual(fence.length + 1);
      }
    }), {numRuns: 300});
  });
});
