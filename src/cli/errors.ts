// Exit codes shared by every command.
export const exitCodes = {ok: 0, failed: 1, invalid: 2, interrupted: 130} as const;

// A problem with what the user gave us (a path, a flag, a value): printed as
// one clear line, never with a stack trace, and exits 2.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
