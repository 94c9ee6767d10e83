import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import type {Line, Style} from '../view/lines.js';

export interface FrameProps {
  readonly lines: readonly Line[];
  // false under NO_COLOR: styles stay, colours go
  readonly color: boolean;
}

function textProps(style: Style | undefined, color: boolean) {
  if (style === undefined) return {};
  return {
    ...(style.bold === true ? {bold: true} : {}),
    ...(style.italic === true ? {italic: true} : {}),
    ...(style.underline === true ? {underline: true} : {}),
    ...(style.strikethrough === true ? {strikethrough: true} : {}),
    ...(style.dim === true ? {dimColor: true} : {}),
    ...(style.inverse === true ? {inverse: true} : {}),
    ...(color && style.color !== undefined ? {color: style.color} : {}),
  };
}

// Rows already wrapped to the terminal's width: one <Text> each, cut rather
// than wrapped again, so the frame's height is exactly the number of rows.
// A run of empty rows is one empty box, and unstyled text needs no <Text>
// of its own: fewer nodes for React and the layout on every frame.
export function Frame({lines, color}: FrameProps) {
  const rows: ReactNode[] = [];
  for (let row = 0; row < lines.length; row += 1) {
    const line = lines[row] ?? [];
    if (line.length === 0) {
      let end = row + 1;
      while (end < lines.length && lines[end]?.length === 0) end += 1;
      rows.push(<Box key={row} height={end - row} />);
      row = end - 1;
      continue;
    }
    rows.push(
      <Text key={row} wrap="truncate-end">
        {line.map((segment, index) => {
          const props = textProps(segment.style, color);
          return Object.keys(props).length === 0 ? segment.text : <Text key={index} {...props}>{segment.text}</Text>;
        })}
      </Text>,
    );
  }
  return <Box flexDirection="column">{rows}</Box>;
}
