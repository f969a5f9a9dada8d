import type { Reply } from './reply.js';

export interface ReplyWindowOptions<T> {
  /**
   * The platform's in-request form of a reply, or undefined when the reply cannot go inside
   * the request (WeCom app: one text part of ≤ 2048 bytes or news of ≤ 8 articles; the
   * dialogue platform: any reply, as text). A reply that does not fit is sent actively.
   */
  fit: (reply: Reply) => T | undefined;
  /** How many replies the request can carry (WeCom app: 1). Default: no limit. */
  capacity?: number;
  /**
   * For a window that can show an answer as it grows (the AI bot's stream): receives the
   * text so far. The final reply is still offered whole, and closes the stream.
   */
  onText?: (soFar: string) => void;
}

/**
 * The chance to answer a message inside the platform's own request: WeCom's passive reply,
 * the dialogue platform's synchronous answer. A channel opens one per message and passes it
 * to the handler with the Context; the pipeline offers each reply to it first, and whatever
 * it refuses (closed, full, or not in a form the request can carry) goes out actively
 * through `Channel.send`. The channel closes it when its request must be answered, and
 * renders what was taken.
 *
 * Passed explicitly rather than found through the Context, so the pipeline cannot offer a
 * reply to another message's window, and a Context without one simply sends actively.
 * (A streaming channel, such as the AI bot's, will stream text into a window of its own;
 * this class only takes whole replies.)
 */
export class ReplyWindow<T> {
  private readonly fit: (reply: Reply) => T | undefined;
  private readonly capacity: number;
  private readonly onText: ((soFar: string) => void) | undefined;
  private readonly taken: T[] = [];
  private open = true;
  private wake: () => void = () => undefined;
  /** Resolves at the first reply taken, or when the window closes. */
  private readonly firstTaken = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(options: ReplyWindowOptions<T>) {
    this.fit = options.fit;
    this.capacity = options.capacity ?? Infinity;
    this.onText = options.onText;
  }

  /** True when the window shows an answer as it grows: the pipeline then asks the bot to stream. */
  get canStream(): boolean {
    return this.onText !== undefined;
  }

  /** The answer so far, while the window is open and nothing final was taken. */
  showText(soFar: string): void {
    if (this.open && this.taken.length === 0) this.onText?.(soFar);
  }

  /** True until the window is closed. */
  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Takes the reply when the window is open, has room and the reply fits; false means the
   * caller must send it actively. `fit` only runs for a reply that could be taken, so a
   * refused reply is rendered once, by the active path.
   */
  offer(reply: Reply): boolean {
    if (!this.open || this.taken.length >= this.capacity) return false;
    const form = this.fit(reply);
    if (form === undefined) return false;
    this.taken.push(form);
    this.wake();
    return true;
  }

  /** Takes no more replies; returns those taken, in order. Closing twice is harmless. */
  close(): T[] {
    this.open = false;
    this.wake();
    return [...this.taken];
  }

  /**
   * How a channel waits before answering its request: until the first reply is taken, the
   * handling settles (the message was answered actively or not at all: nothing more will
   * come), or `ms` pass (the platform stops waiting). Then closes the window and returns
   * what was taken. Never rejects: a failed handling is the handler's to report.
   */
  async closeWhenAnswered(handling: Promise<unknown>, ms: number): Promise<T[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
    const settled = handling.then(
      () => undefined,
      () => undefined,
    );
    try {
      await Promise.race([this.firstTaken, settled, timeUp]);
    } finally {
      clearTimeout(timer);
    }
    return this.close();
  }
}
