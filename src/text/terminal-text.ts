import ansiRegex from 'ansi-regex';

// Text from outside (a runbook, a command's output, a value typed or given
// with --set, a file name) is made inert here before any view writes it to a
// terminal or a log that a terminal will show: no escape sequence can set the
// window title, switch to the alternate screen, move the cursor or write the
// clipboard, and no invisible character can make a command read as another.
// What is taken out is shown, not dropped, so an auditor sees that it was
// there: ESC as `\x1b`, any other C0 or C1 control as `\xHH`, a format
// character (bidi overrides and isolates, zero-width spaces) as `<U+202E>`.
// The transcript keeps the bytes as they came; only what is shown changes.
//
// ansi-regex (sindresorhus, the pattern strip-ansi, string-width and Ink
// use) finds where each sequence ends, ECMA-48 style: CSI in 7 and 8 bits,
// OSC ended by BEL or ST, DCS/SOS/PM/APC strings, two-byte escapes. It is
// needed only to keep colour: everything else is shown character by
// character, so a sequence it did not recognise still cannot act.

const sequence = ansiRegex();
// SGR, `ESC [ 1;31 m`: colours and text styles, which change no terminal state beyond the text
// eslint-disable-next-line no-control-regex
const colourSequence = /^\u001B\[[\d;:]*m$/;
// eslint-disable-next-line no-control-regex
const colourReset = /^\u001B\[0*m$/;

// C0 controls except tab and newline, DEL, C1 controls; line and paragraph
// separators; format characters (Cf) except the zero-width joiner and
// non-joiner, which scripts and emoji need and which cannot reorder text.
// eslint-disable-next-line no-control-regex
const unsafeCharacter = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]|(?![\u200C\u200D])\p{Cf}/gu;
// eslint-disable-next-line no-control-regex
const mayBeUnsafe = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\p{Cf}]/u;

// True when `text` holds nothing either mode would change: a whole chunk
// of output is checked at once, before it is cut into lines.
export function isInert(text: string): boolean {
  return !mayBeUnsafe.test(text);
}

function visible(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

// Text mode, for everything that is not command output: runbook titles,
// prose, commands as written, prompts, captures, input values, notes, file
// names, messages. No escape sequence survives, not even colour. Newlines
// and tabs stay (a CRLF counts as a newline); every other control shows.
export function shownText(text: string): string {
  if (!mayBeUnsafe.test(text)) return text;
  return text.replace(/\r\n/g, '\n').replace(unsafeCharacter, visible);
}

// Text mode for a value shown on one line (an input, a capture, a note, a
// reason, an id): a newline in it shows as `\n`, so a value cannot start a
// line of its own and pass for one the view wrote.
export function shownLine(text: string): string {
  const inert = shownText(text);
  return inert.includes('\n') ? inert.replace(/\n/g, '\\n') : inert;
}

export interface OutputOptions {
  // keep the command's own colours (SGR); false under NO_COLOR, in a pipe, or where the view styles lines itself
  readonly colour: boolean;
}

// Output mode, for one line of a command's output, shown as a terminal would
// show it: what follows the last carriage return wins (a progress bar's last
// state), colour sequences stay when `colour` (and are closed at the end of
// the line, so they never reach the next one); every other sequence and
// control shows as text.
// Whether every line of `text` shows as it is in output mode (nothing to
// make inert): a reporter checks a whole chunk once instead of each line.
export function isInertOutput(text: string): boolean {
  return !mayBeUnsafe.test(text);
}

export function shownOutputLine(line: string, options: OutputOptions): string {
  if (!mayBeUnsafe.test(line)) return line;
  const rewritten = afterLastCarriageReturn(line);
  let out = '';
  let open = false;
  let from = 0;
  for (const match of rewritten.matchAll(sequence)) {
    out += shownText(rewritten.slice(from, match.index));
    from = match.index + match[0].length;
    if (colourSequence.test(match[0])) {
      if (options.colour) {
        out += match[0];
        open = !colourReset.test(match[0]);
      }
    } else {
      out += shownText(match[0]);
    }
  }
  out += shownText(rewritten.slice(from));
  return open ? `${out}\u001B[0m` : out;
}

function afterLastCarriageReturn(line: string): string {
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
  const carriage = trimmed.lastIndexOf('\r');
  return carriage === -1 ? trimmed : trimmed.slice(carriage + 1);
}

const unescapedByJson = /[\u007F-\u009F\u2028\u2029]|(?![\u200C\u200D])\p{Cf}/gu;

// JSON.stringify escapes C0 controls but leaves C1 controls (terminals act
// on U+009B as on `ESC [`) and format characters as they are. Written as
// \uXXXX the JSON means the same and a terminal showing it acts on nothing.
export function jsonForTerminal(json: string): string {
  return json.replace(unescapedByJson, (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
