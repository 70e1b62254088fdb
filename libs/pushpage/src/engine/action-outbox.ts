/**
 * Holds a handler's client actions until it passes its first commit: until then the handler
 * may be run again on fresh state, and an attempt that is thrown away must have shown
 * nothing. Once opened (after that commit's patches went out, or when the handler ends), it
 * lets actions through at once, in the order they were posted.
 */
export class ActionOutbox {
  private held: (() => void)[] | null = [];

  /** Sends now if open, else when opened. */
  post(send: () => void): void {
    if (this.held) this.held.push(send);
    else send();
  }

  /** Sends what was held, and everything after at once. */
  open(): void {
    const held = this.held;
    this.held = null;
    for (const send of held ?? []) send();
  }
}
