import {lineWidth, seg, type Line, type Segment} from './lines.js';

export interface KeyHint {
  readonly key: string;
  readonly action: string;
}

// The keys that apply now; when they do not all fit, the last ones go
// first, but `?` (which lists them all) stays.
export function footerLine(hints: readonly KeyHint[], width: number): Line {
  const shown = hints.filter((hint) => hint.key !== '');
  const render = (list: readonly KeyHint[]): Segment[] =>
    list.flatMap((hint, index) => [...(index === 0 ? [] : [seg('  ')]), seg(hint.key, {bold: true, color: 'cyan'}), seg(` ${hint.action}`)]);
  const list = [...shown];
  while (list.length > 1 && lineWidth(render(list)) > width) {
    const drop = list.findLastIndex((hint) => hint.key !== '?');
    list.splice(drop === -1 ? list.length - 1 : drop, 1);
  }
  return render(list);
}
