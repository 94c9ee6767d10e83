import type {NodeStatus, StepStatus} from '../../engine/run-state.js';
import type {Color} from './lines.js';

// `850ms`, `1.2s`, `2m 05s`, `1h 02m`
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}m`;
}

// Wall-clock style for the header: `04:07`, `1:02:03`.
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = String(Math.floor(seconds / 60) % 60).padStart(2, '0');
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${minutes}:${rest}` : `${minutes}:${rest}`;
}

export interface Badge {
  readonly glyph: string;
  readonly label: string;
  readonly color?: Color;
}

// Glyphs carry the meaning without colour (NO_COLOR, screen captures).
export const nodeBadges: Record<NodeStatus, Badge> = {
  pending: {glyph: '○', label: ''},
  running: {glyph: '▶', label: 'running', color: 'cyan'},
  waiting: {glyph: '◆', label: 'waiting', color: 'yellow'},
  unknown: {glyph: '?', label: 'unknown: started earlier, never finished', color: 'yellow'},
  passed: {glyph: '✓', label: 'passed', color: 'green'},
  'allowed-failure': {glyph: '!', label: 'failed (allowed)', color: 'yellow'},
  failed: {glyph: '✗', label: 'failed', color: 'red'},
  'timed-out': {glyph: '✗', label: 'timed out', color: 'red'},
  interrupted: {glyph: '✗', label: 'interrupted', color: 'red'},
  skipped: {glyph: '↷', label: 'skipped', color: 'gray'},
  'marked-done': {glyph: '✓', label: 'marked done', color: 'green'},
};

export const stepBadges: Record<StepStatus, Badge> = {
  pending: {glyph: '○', label: ''},
  running: {glyph: '▶', label: 'running', color: 'cyan'},
  waiting: {glyph: '◆', label: 'waiting', color: 'yellow'},
  done: {glyph: '✓', label: 'done', color: 'green'},
  rehearsed: {glyph: '↷', label: 'rehearsed, not done', color: 'magenta'},
  failed: {glyph: '✗', label: 'failed', color: 'red'},
  skipped: {glyph: '↷', label: 'skipped', color: 'gray'},
};
