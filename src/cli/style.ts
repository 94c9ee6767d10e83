import {styleText} from 'node:util';

type Format = Parameters<typeof styleText>[0];

// Colour only for a terminal, and never when NO_COLOR is set (no-color.org).
export function colorEnabled(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && (process.env['NO_COLOR'] ?? '') === '' && process.env['TERM'] !== 'dumb';
}

export function paint(stream: NodeJS.WriteStream): (format: Format, text: string) => string {
  const enabled = colorEnabled(stream);
  return (format, text) => (enabled ? styleText(format, text) : text);
}
