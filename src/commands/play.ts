import {UsageError} from '../cli/errors.js';

export async function playCommand(_file: string, _options: Record<string, unknown>): Promise<number> {
  throw new UsageError('play is not available yet');
}
