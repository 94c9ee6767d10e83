import {formatDuration} from './duration.js';
import type {NodeAttributes} from './model.js';

// Attributes back in dialect syntax, for `runbook list` and the player.
export function formatAttributes(attributes: NodeAttributes): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(attributes) as [string, unknown][]) {
    if (key === 'captureType') continue;
    if (key === 'capture' && attributes.captureType !== undefined) {
      parts.push(`capture=${String(value)}:${attributes.captureType}`);
    } else if (key === 'classes') {
      parts.push(...(value as string[]).map((name) => `.${name}`));
    } else if (value === true) {
      parts.push(key);
    } else if (typeof value === 'number') {
      parts.push(`${key}=${key === 'retries' ? String(value) : formatDuration(value)}`);
    } else if (typeof value === 'string') {
      parts.push(`${key}=${/^[^\s"'{}=]+$/.test(value) ? value : JSON.stringify(value)}`);
    } else {
      parts.push(`${key}=${String(value)}`);
    }
  }
  return parts.join(' ');
}
