import {useEffect, useState} from 'react';

// Renders again every `intervalMs` while `ticking`, so elapsed times move.
export function useTick(ticking: boolean, intervalMs = 1000): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setTick((tick) => tick + 1), intervalMs);
    return () => clearInterval(timer);
  }, [ticking, intervalMs]);
}
