import type { PassiveMessage } from '../xml/render-passive-reply.js';

/**
 * The chance to answer a message inside its own callback response. Open while the callback
 * waits; the first reply that fits is taken, later ones go through the API.
 */
export class PassiveSlot {
  private isOpen = true;
  private taken: PassiveMessage | undefined;
  private notify: () => void = () => undefined;
  /** Resolves when a reply is taken. */
  readonly filled = new Promise<void>((resolve) => (this.notify = resolve));

  /** Takes the reply when the slot is still open and empty; false means: send it actively. */
  offer(message: PassiveMessage): boolean {
    if (!this.isOpen || this.taken) return false;
    this.taken = message;
    this.notify();
    return true;
  }

  /** Closes the slot and returns what it holds, if anything. */
  close(): PassiveMessage | undefined {
    this.isOpen = false;
    return this.taken;
  }
}
