// What a secret capture writes to stderr while its secret is still unknown:
// held until the node ends and the secret can be masked in it. Bounded:
// past `limit` characters the rest is counted, not kept.
export class HeldOutput {
  #text = '';
  #dropped = 0;

  constructor(readonly limit: number) {}

  add(text: string): void {
    const room = this.limit - this.#text.length;
    if (room >= text.length) this.#text += text;
    else {
      this.#text += text.slice(0, Math.max(0, room));
      this.#dropped += text.length - Math.max(0, room);
    }
  }

  // everything held, then a line saying how much was left out
  release(): string {
    const dropped = this.#dropped === 0 ? '' : `${this.#text.endsWith('\n') || this.#text === '' ? '' : '\n'}[runbook: ${this.#dropped} more characters not shown: a secret capture's stderr is held until its secret is known, up to ${this.limit} characters]\n`;
    const text = this.#text + dropped;
    this.#text = '';
    this.#dropped = 0;
    return text;
  }
}

// 1 MiB of characters
export const heldOutputLimit = 1024 * 1024;
