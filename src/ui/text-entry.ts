// A one-line text field being typed: notes, reasons and input values.
export interface TextEntry {
  readonly text: string;
  // in code points
  readonly cursor: number;
}

export const emptyEntry: TextEntry = {text: '', cursor: 0};

export type EntryEdit = 'left' | 'right' | 'home' | 'end' | 'backspace' | 'clear';

// Typed or pasted text; control characters (a pasted newline) are dropped.
export function insertText(entry: TextEntry, typed: string): TextEntry {
  // eslint-disable-next-line no-control-regex
  const clean = [...typed.replace(/[\u0000-\u001F\u007F]/g, '')];
  if (clean.length === 0) return entry;
  const chars = [...entry.text];
  chars.splice(entry.cursor, 0, ...clean);
  return {text: chars.join(''), cursor: entry.cursor + clean.length};
}

export function editEntry(entry: TextEntry, edit: EntryEdit): TextEntry {
  const chars = [...entry.text];
  switch (edit) {
    case 'left':
      return {...entry, cursor: Math.max(0, entry.cursor - 1)};
    case 'right':
      return {...entry, cursor: Math.min(chars.length, entry.cursor + 1)};
    case 'home':
      return {...entry, cursor: 0};
    case 'end':
      return {...entry, cursor: chars.length};
    case 'backspace':
      if (entry.cursor === 0) return entry;
      chars.splice(entry.cursor - 1, 1);
      return {text: chars.join(''), cursor: entry.cursor - 1};
    case 'clear':
      return emptyEntry;
  }
}
