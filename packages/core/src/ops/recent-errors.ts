/** One remembered error: when, and a one-line description an admin can read. */
export interface RecentError {
  at: number;
  text: string;
}

/**
 * The last few things that went wrong for users (error replies, failed sends, refused
 * platform calls), newest last, for `#status`. Bounded: old entries fall off.
 */
export class RecentErrors {
  private readonly entries: RecentError[] = [];

  constructor(
    private readonly capacity = 10,
    /** Scrubs the text before it is kept (the app's SecretRegistry): an admin's chat is no place for a secret. */
    private readonly redact: (text: string) => string = (text) => text,
    private readonly now: () => number = Date.now,
  ) {}

  add(text: string): void {
    // One line, bounded: an error message can quote a whole platform answer.
    const line = this.redact(text).replace(/\s+/g, ' ').trim().slice(0, 300);
    this.entries.push({ at: this.now(), text: line });
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  /** The newest `count` entries, oldest first. */
  last(count = this.capacity): RecentError[] {
    return this.entries.slice(-count);
  }
}
