// The variables a shell block reads and the ones it sets, found by reading
// the block as bash reads it: quotes, escapes, comments, `$(…)`, backticks,
// `${…}` with its operators, arithmetic and here-documents. It runs on
// blocks mvdan/sh (sh-syntax) has parsed without error, whose syntax tree
// stops at statements: this is the part of a reader that finds the words.

export interface VariableUse {
  readonly name: string;
  // as written: `$NAME` or `${NAME…}`
  readonly written: string;
  // index in the block of the `$`
  readonly offset: number;
}

export interface BlockNames {
  // reads that fail or expand to nothing when the variable is unset
  // (`${NAME:-…}`, `${NAME-…}`, `${NAME:=…}`, `${NAME:?…}`, `${NAME:+…}` are not)
  readonly uses: readonly VariableUse[];
  // the index from which the block has set each variable, or has read it
  // in a way that allows it to be unset (`[ -n "${NAME:-}" ] && use "$NAME"`)
  readonly defined: ReadonlyMap<string, number>;
  // from here on (`source`, `.`, `eval`) anything may be set
  readonly opaqueFrom: number;
}

interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

interface Heredoc {
  readonly delimiter: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
}

type Mode = 'none' | 'for' | 'declare' | 'read' | 'mapfile' | 'getopts' | 'printf' | 'let' | 'function';

const keywords = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', 'time', '{', '}', 'esac', 'coproc']);
const commandModes: Readonly<Record<string, Mode>> = {
  for: 'for', select: 'for', export: 'declare', declare: 'declare', typeset: 'declare', local: 'declare', readonly: 'declare',
  read: 'read', mapfile: 'mapfile', readarray: 'mapfile', getopts: 'getopts', printf: 'printf', let: 'let', function: 'function',
};
const opaqueCommands = new Set(['source', '.', 'eval']);
// options of `read` and `mapfile` that take an argument
const readArgumentOptions = new Set(['a', 'd', 'i', 'n', 'N', 'p', 't', 'u']);
const mapfileArgumentOptions = new Set(['d', 'n', 'O', 's', 'u', 'C', 'c']);
const nameAt = /[A-Za-z_][A-Za-z0-9_]*/y;
const assignment = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=/;
const declared = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?(?:\+?=|$)/;
const bareName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const wordEnd = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

export function blockNames(code: string): BlockNames {
  const uses: VariableUse[] = [];
  const defined = new Map<string, number>();
  let opaqueFrom = Infinity;
  let i = 0;
  const pending: Heredoc[] = [];

  const define = (name: string, at: number): void => {
    if (!defined.has(name)) defined.set(name, at);
  };
  const readName = (from: number): string | undefined => {
    nameAt.lastIndex = from;
    return nameAt.exec(code)?.[0];
  };

  // `$…` at `i`; leaves `i` after it.
  const dollar = (): void => {
    const next = code[i + 1];
    if (next === '(' && code[i + 2] === '(') {
      i += 3;
      arithmetic(false);
    } else if (next === '(') {
      i += 2;
      commands(')');
      i += 1;
    } else if (next === '{') {
      brace();
    } else if (next === "'") {
      i += 1;
      ansiString();
    } else if (next === '"') {
      i += 1;
      doubleQuoted();
    } else {
      const name = readName(i + 1);
      if (name !== undefined) {
        uses.push({name, written: `$${name}`, offset: i});
        i += 1 + name.length;
      } else {
        // `$1`, `$@`, `$?`, `$$`…, or a `$` that is just a character
        i += next !== undefined && /[0-9@*#?$!-]/.test(next) ? 2 : 1;
      }
    }
  };

  // `${…}` at `i`.
  const brace = (): void => {
    const start = i;
    let j = i + 2;
    const length = code[j] === '#' && readName(j + 1) !== undefined;
    const indirect = code[j] === '!';
    if (length || indirect) j += 1;
    const name = readName(j);
    if (name !== undefined) {
      j += name.length;
      if (code[j] === '[') {
        const close = code.indexOf(']', j);
        j = close < 0 ? code.length : close + 1;
      }
      const guarded = !length && (/^:[-=?+]/.test(code.slice(j, j + 2)) || /^[-=?+]/.test(code[j] ?? ''));
      if (guarded) define(name, start);
      else uses.push({name, written: '', offset: start});
    }
    i = j;
    let depth = 1;
    while (i < code.length && depth > 0) {
      const c = code[i];
      if (c === '\\') i += 2;
      else if (c === "'") singleQuoted();
      else if (c === '"') doubleQuoted();
      else if (c === '$') dollar();
      else if (c === '`') backtick();
      else {
        if (c === '{') depth += 1;
        else if (c === '}') depth -= 1;
        i += 1;
      }
    }
    const last = uses.at(-1);
    if (last !== undefined && last.offset === start && last.written === '') {
      uses[uses.length - 1] = {...last, written: code.slice(start, i)};
    }
  };

  const singleQuoted = (): void => {
    const close = code.indexOf("'", i + 1);
    i = close < 0 ? code.length : close + 1;
  };

  // `'…'` after a `$`, with backslash escapes
  const ansiString = (): void => {
    i += 1;
    while (i < code.length && code[i] !== "'") i += code[i] === '\\' ? 2 : 1;
    i += 1;
  };

  const doubleQuoted = (): void => {
    i += 1;
    while (i < code.length && code[i] !== '"') {
      const c = code[i];
      if (c === '\\') i += 2;
      else if (c === '$') dollar();
      else if (c === '`') backtick();
      else i += 1;
    }
    i += 1;
  };

  const backtick = (): void => {
    i += 1;
    commands('`');
    i += 1;
  };

  // Inside `((…))` or `$((…))`, up to and past the closing `))`; in the
  // `((…))` command every bare name may be set (`((count++))`).
  const arithmetic = (setsNames: boolean): void => {
    let depth = 0;
    while (i < code.length) {
      const c = code[i] ?? '';
      if (c === ')' && depth === 0) {
        i += code[i + 1] === ')' ? 2 : 1;
        return;
      }
      if (c === '(') depth += 1;
      if (c === ')') depth -= 1;
      if (c === '$') {
        dollar();
        continue;
      }
      const name = /[A-Za-z_]/.test(c) && (i === 0 || !/[A-Za-z0-9_]/.test(code[i - 1] ?? '')) ? readName(i) : undefined;
      if (name !== undefined) {
        if (setsNames) define(name, i);
        i += name.length;
        continue;
      }
      i += 1;
    }
  };

  // A word at `i`, its expansions recorded; `text` as written.
  const word = (stop: string): Word => {
    const start = i;
    while (i < code.length) {
      const c = code[i] ?? '';
      if (wordEnd.has(c) || c === stop) {
        // `arr=(a b)` and extended globs `@(a|b)` hold their parentheses
        const before = code[i - 1] ?? '';
        if (c === '(' && i > start && /[=@!?*+]/.test(before)) {
          group();
          continue;
        }
        break;
      }
      if (c === '\\') i += code[i + 1] === undefined ? 1 : 2;
      else if (c === "'") singleQuoted();
      else if (c === '"') doubleQuoted();
      else if (c === '$') dollar();
      else if (c === '`') backtick();
      else i += 1;
    }
    return {text: code.slice(start, i), start, end: i};
  };

  // `(…)` inside a word, past its `)`.
  const group = (): void => {
    i += 1;
    let depth = 1;
    while (i < code.length && depth > 0) {
      const c = code[i];
      if (c === '\\') i += 2;
      else if (c === "'") singleQuoted();
      else if (c === '"') doubleQuoted();
      else if (c === '$') dollar();
      else if (c === '`') backtick();
      else {
        if (c === '(') depth += 1;
        else if (c === ')') depth -= 1;
        i += 1;
      }
    }
  };

  const heredocDelimiter = (stripTabs: boolean): void => {
    while (code[i] === ' ' || code[i] === '\t') i += 1;
    const start = i;
    while (i < code.length && !wordEnd.has(code[i] ?? '')) {
      if (code[i] === "'") singleQuoted();
      else if (code[i] === '"') {
        const close = code.indexOf('"', i + 1);
        i = close < 0 ? code.length : close + 1;
      } else i += code[i] === '\\' ? 2 : 1;
    }
    const raw = code.slice(start, i);
    pending.push({delimiter: raw.replace(/["'\\]/g, ''), quoted: /["'\\]/.test(raw), stripTabs});
  };

  // The bodies of the here-documents opened on the line that just ended;
  // `i` is at the start of the next line.
  const heredocBodies = (): void => {
    for (const doc of pending.splice(0)) {
      while (i < code.length) {
        const lineEnd = code.indexOf('\n', i) < 0 ? code.length : code.indexOf('\n', i);
        const line = code.slice(i, lineEnd);
        if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) {
          i = lineEnd + 1;
          break;
        }
        if (!doc.quoted) {
          while (i < lineEnd) {
            const c = code[i];
            if (c === '\\') i += 2;
            else if (c === '$') dollar();
            else if (c === '`') backtick();
            else i += 1;
          }
        }
        i = Math.max(i, lineEnd) + 1;
      }
    }
  };

  // Commands up to `stop` (`)` of a `$(…)`, a closing backtick) or the end.
  const commands = (stop: string): void => {
    let commandPosition = true;
    let mode: Mode = 'none';
    let optionArgument: 'skip' | 'define' | undefined;
    let redirectTarget = false;
    let argumentsSeen = 0;
    let depth = 0;
    const endCommand = (): void => {
      commandPosition = true;
      mode = 'none';
      optionArgument = undefined;
      redirectTarget = false;
      argumentsSeen = 0;
    };
    const options = (text: string, takesArgument: ReadonlySet<string>): void => {
      const letters = text.slice(1);
      for (let index = 0; index < letters.length; index += 1) {
        const letter = letters[index] ?? '';
        if (!takesArgument.has(letter)) continue;
        if (index === letters.length - 1) optionArgument = letter === 'a' && mode === 'read' ? 'define' : 'skip';
        return;
      }
    };
    const handle = ({text, start, end}: Word): void => {
      if (redirectTarget) {
        redirectTarget = false;
        return;
      }
      const plain = text.replace(/["'\\]/g, '');
      if (commandPosition) {
        const assigned = assignment.exec(text)?.[1];
        if (assigned !== undefined) return void define(assigned, end);
        if (keywords.has(text)) return;
        commandPosition = false;
        if (opaqueCommands.has(plain)) opaqueFrom = Math.min(opaqueFrom, start);
        mode = commandModes[plain] ?? 'none';
        return;
      }
      if (optionArgument !== undefined) {
        if (optionArgument === 'define' && bareName.test(text)) define(text, end);
        optionArgument = undefined;
        return;
      }
      switch (mode) {
        case 'for':
          if (bareName.test(text)) define(text, end);
          mode = 'none';
          return;
        case 'declare': {
          const name = text.startsWith('-') ? undefined : declared.exec(text)?.[1];
          if (name !== undefined) define(name, end);
          return;
        }
        case 'read':
        case 'mapfile':
          if (text.startsWith('-')) options(text, mode === 'read' ? readArgumentOptions : mapfileArgumentOptions);
          else if (bareName.test(text)) define(text, end);
          return;
        case 'getopts':
          argumentsSeen += 1;
          if (argumentsSeen === 2 && bareName.test(text)) define(text, end);
          return;
        case 'printf':
          if (text === '-v') optionArgument = 'define';
          mode = text === '-v' ? 'printf' : 'none';
          return;
        case 'let': {
          const name = /^([A-Za-z_][A-Za-z0-9_]*)(?:[-+*/%&|^]|<<|>>)?=/.exec(plain)?.[1];
          if (name !== undefined) define(name, end);
          return;
        }
        case 'function':
          commandPosition = true;
          mode = 'none';
          return;
        case 'none':
          return;
      }
    };
    while (i < code.length) {
      const c = code[i] ?? '';
      if (c === stop && (stop !== ')' || depth === 0)) return;
      if (c === ' ' || c === '\t') {
        i += 1;
      } else if (c === '\\' && code[i + 1] === '\n') {
        i += 2;
      } else if (c === '\n') {
        endCommand();
        i += 1;
        if (pending.length > 0) heredocBodies();
      } else if (c === '#') {
        const lineEnd = code.indexOf('\n', i);
        i = lineEnd < 0 ? code.length : lineEnd;
      } else if (c === ';' || c === '&' || c === '|') {
        endCommand();
        i += 1;
      } else if (c === '(') {
        i += 1;
        if (code[i] === '(' && (commandPosition || (mode as Mode) === 'for')) {
          i += 1;
          arithmetic(true);
          mode = 'none';
        } else {
          depth += 1;
          endCommand();
        }
      } else if (c === ')') {
        depth = Math.max(depth - 1, 0);
        endCommand();
        i += 1;
      } else if (c === '<' || c === '>') {
        const operator = /^(<<<|<<-|<<|<\(|>\(|[<>]&?|&?>>?|>\||<>)/.exec(code.slice(i, i + 3))?.[0] ?? c;
        i += operator.length;
        if (operator === '<<' || operator === '<<-') {
          heredocDelimiter(operator === '<<-');
        } else if (operator === '<(' || operator === '>(') {
          commands(')');
          i += 1;
        } else {
          redirectTarget = true;
        }
      } else {
        const found = word(stop);
        // a word of digits right before a redirection is its file descriptor
        if (/^\d+$/.test(found.text) && (code[i] === '<' || code[i] === '>')) continue;
        handle(found);
      }
    }
  };

  commands('');
  return {uses, defined, opaqueFrom};
}
