import {readFile} from 'node:fs/promises';
import {exitCodes, UsageError} from './errors.js';
import {describeFsError, isFsError} from './fs-errors.js';

// `--set-file NAME=PATH`: the file's text without its final line break. A
// pipe is fine (`--set-file TOKEN=<(pass show deploy/token)`); a directory is not.
export async function readValueFile(name: string, path: string): Promise<string> {
  try {
    return withoutFinalLineBreak(await readFile(path, 'utf8'));
  } catch (error) {
    if (!isFsError(error)) throw error;
    throw new UsageError(`--set-file ${name}=${path}: cannot read it (${describeFsError(error)}); give the path of a file that holds the value`);
  }
}

// `--set-stdin NAME`: all of stdin when it is piped or redirected, without
// its final line break; at a terminal, one line typed without echo.
export async function readStdinValue(name: string): Promise<string> {
  const input = process.stdin;
  if (input.isTTY !== true) {
    let text = '';
    input.setEncoding('utf8');
    for await (const chunk of input) text += String(chunk);
    return withoutFinalLineBreak(text);
  }
  return readHiddenLine(`${name} (typing is not shown): `);
}

export function withoutFinalLineBreak(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function readHiddenLine(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  return new Promise((resolve) => {
    let line = '';
    const done = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || character === '\u0004') {
          done();
          resolve(line);
          return;
        }
        if (character === '\u0003') {
          done();
          process.exit(exitCodes.interrupted);
        }
        if (character === '\u007f' || character === '\b') line = line.slice(0, -1);
        else if (character >= ' ') line += character;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
