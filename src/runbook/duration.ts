const units = {ms: 1, s: 1000, m: 60_000, h: 3_600_000} as const;
const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

// `500ms`, `10s`, `1.5m`, `1h` → milliseconds; undefined when not a duration.
export function parseDuration(text: string): number | undefined {
  const match = durationPattern.exec(text.trim());
  if (!match) return undefined;
  const unit = match[2] as keyof typeof units;
  return Math.round(Number(match[1]) * units[unit]);
}

// The shortest exact spelling of a duration, for display (`90000` → `90s`).
export function formatDuration(ms: number): string {
  if (ms >= units.h && ms % units.h === 0) return `${ms / units.h}h`;
  if (ms >= units.m && ms % units.m === 0) return `${ms / units.m}m`;
  if (ms >= units.s && ms % units.s === 0) return `${ms / units.s}s`;
  return `${ms}ms`;
}
