import {Box, Text} from 'ink';
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
export function Frame({lines, color}: FrameProps) {
  return (
    <Box flexDirection="column">
      {lines.map((line, row) => (
        <Text key={row} wrap="truncate-end">
          {line.length === 0 ? ' ' : line.map((segment, index) => (
            <Text key={index} {...textProps(segment.style, color)}>{segment.text}</Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
