// Ink turns every row of every frame back into text cell by cell, asking
// @alcalzone/ansi-tokenize for the escape codes between neighbouring cells;
// that diff builds three sets per cell even when nothing changes, which is
// most cells. The bundle (scripts/build.mjs) answers "nothing" first when
// both cells carry the same codes (test/ui/same-styles.test.ts checks the
// diff is then empty).

export interface AnsiCode {
  readonly code: string;
  readonly endCode: string;
}

export function sameStyles(from: readonly AnsiCode[], to: readonly AnsiCode[]): boolean {
  if (from === to) return true;
  if (from.length !== to.length) return false;
  for (let index = 0; index < from.length; index += 1) {
    const a = from[index];
    const b = to[index];
    if (a?.code !== b?.code || a?.endCode !== b?.endCode) return false;
  }
  return true;
}
