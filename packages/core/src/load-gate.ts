/** How often held work is looked at, and the event loop's lag measured, in ms. */
const TICK_MS = 10;
/** Held tasks let in per tick while the loop keeps up; at least one even when it does not. */
const PER_TICK = 16;

export interface LoadGateOptions {
  /** Tasks that always run at once, however late the loop is: a small burst never waits. */
  floor: number;
  /** Past this lag of the event loop (ms), further tasks are held back. */
  maxLagMs: number;
}

/**
 * Lets work start while the event loop keeps up, and holds new work back when it falls behind,
 * so that what the loop owes the platforms right now (acknowledging callbacks inside their
 * window) is not queued behind conversations, whose answers may come later. The lag is
 * measured only while work waits or more than `floor` tasks run, by a timer that is late by
 * as much as the loop is.
 */
export class LoadGate {
  private running = 0;
  private readonly held: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private lagMs = 0;

  constructor(private readonly options: LoadGateOptions) {}

  /** Runs `task` now, or once the loop has caught up (in the order they came). */
  async admit<T>(task: () => Promise<T>): Promise<T> {
    const behind = this.held.length > 0 || this.lagMs > this.options.maxLagMs;
    if (this.running >= this.options.floor && behind) await new Promise<void>((resolve) => this.held.push(resolve));
    this.running += 1;
    if (this.running > this.options.floor) this.watch();
    try {
      return await task();
    } finally {
      this.running -= 1;
    }
  }

  /** Tasks waiting to start. */
  get waiting(): number {
    return this.held.length;
  }

  private watch(): void {
    if (this.timer) return;
    const expected = Date.now() + TICK_MS;
    this.timer = setTimeout(() => this.tick(expected), TICK_MS);
    this.timer.unref();
  }

  private tick(expected: number): void {
    this.timer = undefined;
    this.lagMs = Math.max(0, Date.now() - expected);
    const room = this.lagMs > this.options.maxLagMs ? 1 : PER_TICK;
    for (let i = 0; i < room && this.held.length > 0; i++) this.held.shift()!();
    if (this.held.length > 0 || this.running > this.options.floor) this.watch();
    else this.lagMs = 0;
  }
}
