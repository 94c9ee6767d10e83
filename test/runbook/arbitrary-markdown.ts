import fc from 'fast-check';

// Lines that open, continue or close the blocks that can run across a
// column-0 heading, in and out of containers, so sections split in the
// wrong place would show as a different tree.
const line = fc.oneof(
  {weight: 6, arbitrary: fc.constantFrom('## Step', '# Title', '### Sub', '#', '####### not a heading', ' ## indented heading', '## Step <!--')},
  {weight: 5, arbitrary: fc.constantFrom('```', '```sh', '~~~', '````', '```` ', '  ```', '   ```', '- ```', '> ```', '1. ```', '    ```', '```a`b', '~~~ ~~~')},
  {weight: 4, arbitrary: fc.constantFrom('<!--', '-->', '<!-- a -->', '<!-->', '<div>', '</div>', '<span>x</span>', '<script>', '</script>', '<?php', '?>', '<!DOCTYPE', '>', '<![CDATA[', ']]>', '  <div>', '- <!--', '<x')},
  {weight: 4, arbitrary: fc.constantFrom('', '', '', '  ', '\t')},
  {weight: 4, arbitrary: fc.constantFrom('text', '- item', '- [ ] task', '1. first', '2. second', '> quote', '  continued', '    indented code', '---', '===', '| a | b |', '| - | - |', '*', 'title: x')},
  {weight: 1, arbitrary: fc.constantFrom('[ref]: https://x.test', '[^1]: note', 'see [ref]', '> [ref]: https://x.test', '- [ref]: https://x.test', '1. > [^1]: note', '[multi', 'line]: https://x.test', 'see [multi line]', 'see [^1]')},
  {weight: 2, arbitrary: fc.string({maxLength: 8})},
);
const ending = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
export const sectionedMarkdown = fc.tuple(fc.boolean(), fc.array(fc.tuple(line, ending), {maxLength: 40}))
  .map(([front, lines]) => `${front ? '---\n' : ''}${lines.map(([text, end]) => `${text}${end}`).join('')}`);

// Markdown-ish text built from the fragments the parser cares about, mixed
// with arbitrary text, so the generator reaches the tricky paths often.
const words = fc.constantFrom(
  'timeout', 'retries', 'interval', 'confirm', 'mutates', 'if', 'capture', 'secret', 'allow-failure', 'run', 'cwd',
  '10s', '5m', 'x', 'true', 'false', 'health.ok', 'A_B', '1)', '2.1', 'GET', 'https://x.test', '{{API}}', '{{', '}}', '??', 'status', '==',
  'runbook:', '-->', '<!--', '---', 'é', '✓', '🚀', '\u0000', '\u200b', 'int', 'optional', 'true', 'in', '#int', '#true',
  // autolink literals, alone and where emphasis pairs around them
  'www.x.test', 'WWW.x.test/a_b_', 'a@b.test', 'mailto:a@b.test', 'xmpp:a@b.test/c', 'http://x.test/*a*', '_www.x_y.test_', '*www.x*y.test*', '~~https://x.test~~',
);
const punctuation = fc.constantFrom('#', '.', '=', '"', "'", '\\', '{', '}', ' ', '\t', '`', '~', '[', ']', ':', '-', '>', '*', '\n', '\r\n', '\r');
const soup = fc.array(fc.oneof(words, punctuation, fc.string({maxLength: 4})), {maxLength: 14}).map((parts) => parts.join(''));
const text = fc.oneof(soup, fc.string({maxLength: 30}), fc.string({unit: 'grapheme', maxLength: 12}));
const lineEnd = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
const prefix = fc.constantFrom('', '', '', ' ', '   ', '    ', '\t', '> ', '>', '- ', '1. ', '  - ', '> - ', '   > ');
const language = fc.constantFrom('sh', 'bash', 'http', 'js', 'node', 'zsh', 'shell', 'python', 'console', '', 'SH', 'sh{#a}', '{.sh}');

const heading = fc.tuple(fc.integer({min: 1, max: 7}), text).map(([depth, title]) => `${'#'.repeat(depth)} ${title}`);
const info = fc.oneof(text, soup.map((inside) => `{${inside}}`), soup.map((inside) => `{${inside}`));
const fence = fc.tuple(fc.constantFrom('```', '````', '~~~'), language, fc.constantFrom('', ' '), info, fc.array(text, {maxLength: 4}), fc.boolean())
  .map(([marker, lang, space, infoText, body, closed]) => [`${marker}${lang}${space}${infoText}`, ...body, ...(closed ? [marker] : [])].join('\n'));
const httpBlock = fc.tuple(fc.constantFrom('GET', 'POST', 'FETCH', ''), text, fc.array(fc.oneof(text, soup.map((line) => `?? ${line}`), soup.map((line) => `X-H: ${line}`)), {maxLength: 4}))
  .map(([method, url, lines]) => ['```http', `${method} ${url}`, ...lines, '```'].join('\n'));
const comment = fc.tuple(fc.constantFrom('<!-- runbook:', '<!--runbook:', '<!-- ', '  <!-- runbook: '), soup, fc.constantFrom(' -->', '', '-->\n-->'))
  .map(([open, body, close]) => `${open}${body}${close}`);
const task = fc.tuple(fc.constantFrom('- [ ] ', '- [x] ', '* [X] ', '  - [ ] ', '1. [ ] '), text).map(([marker, item]) => `${marker}${item}`);
const yamlLine = fc.oneof(
  soup,
  fc.tuple(fc.constantFrom('title', 'shell', 'cwd', 'env', 'inputs', 'defaults', 'bogus', '  A', '  B', '    default', '  X'), fc.constantFrom(': ', ':', ': {', ': [', ': "', ': &a ', ': *a ', ':\n  '), soup)
    .map(([key, separator, value]) => `${key}${separator}${value}`),
);
const frontmatter = fc.array(yamlLine, {maxLength: 6}).map((lines) => ['---', ...lines, '---'].join('\n'));
const block = fc.tuple(prefix, fc.oneof(heading, heading, fence, fence, httpBlock, comment, task, task, text, soup)).map(([before, content]) => `${before}${content}`);
export const runbookMarkdown = fc.tuple(fc.option(frontmatter, {freq: 3}), fc.array(block, {maxLength: 14}), fc.array(lineEnd, {minLength: 14, maxLength: 14}))
  .map(([front, blocks, ends]) => `${front === null ? '' : `${front}\n`}${blocks.map((part, index) => `${part}${ends[index] ?? '\n'}${index % 3 === 0 ? '\n' : ''}`).join('')}`);
