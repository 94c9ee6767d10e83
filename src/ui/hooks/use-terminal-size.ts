import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return {columns: stdout.columns > 0 ? stdout.columns : 80, rows: stdout.rows > 0 ? stdout.rows : 24};
}

// The terminal's size, updated when it is resized.
export function useTerminalSize(): TerminalSize {
  const {stdout} = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = (): void => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
