import { performance } from 'node:perf_hooks';

/** How often held work is looked at, and the event loop's lag measured, in ms. */
const TICK_MS = 10;
/** How often the cost of a task is measured anew, in ms. */
const WINDOW_MS = 250;
/** The share of the event loop's time the gate lets tasks take: the rest is for acks and GC. */
const TARGET_BUSY = 0.7;
/** What a task is assumed to cost (ms of the loop's time) until enough have finished to tell. */
const PRIOR_COST_MS = 5;
/** Tasks (started and finished, halved) a window needs for its cost to count. */
const MIN_TASKS = 4;
/** Starts allowed at once, in ms of the paced rate (a short burst is not spread out). */
const BURST_MS = 100;
/** While the loop is late, one held task still starts this often: nothing waits forever. */
const BEHIND_EVERY_MS = 100;

export interface LoadGateOptions {
  /** Tasks that always run at once, however late the loop is: a small burst never waits. */
  floor: number;
  /** Past this lag of the event loop (ms), held tasks wait. */
  maxLagMs: number;
  /** Time and the event loop's busy time so far, in ms (tests drive these). */
  clock?: LoadClock;
}

export interface LoadClock {
  now(): number;
  /** The event loop's time spent working (not waiting for I/O) so far, in ms. */
  busyMs(): number;
}

const eventLoopClock: LoadClock = {
  now: () => performance.now(),
  busyMs: () => performance.eventLoopUtilization().active,
};

/**
 * Lets work start at the pace the event loop can afford, so that what the loop owes the
 * platforms right now (acknowledging callbacks inside their window) never queues behind
 * conversations, whose answers may come later. Beyond `floor` running tasks, starts are paced
 * to TARGET_BUSY of the loop over what a finished task has cost it lately: pacing by measured
 * cost, not by lag alone, matters because a task's work comes in waves (a model answering
 * 2 s after its start would bring back everything let in while the loop looked idle at once).
 * The lag stays a brake: while the loop is later than `maxLagMs`, held tasks wait.
 */
export class LoadGate {
  private running = 0;
  private readonly held: Array<() => void> = [];
  private readonly clock: LoadClock;
  private timer: NodeJS.Timeout | undefined;
  private lagMs = 0;
  private costMs = PRIOR_COST_MS;
  private tokens: number;
  private refilledAt: number;
  private lastBehindStart = 0;
  private window: { from: number; busyMs: number; started: number; finished: number };

  constructor(private readonly options: LoadGateOptions) {
    this.clock = options.clock ?? eventLoopClock;
    this.tokens = this.burst;
    this.refilledAt = this.clock.now();
    this.window = this.newWindow();
  }

  /** Runs `task` now, or when its turn comes (in the order they came). */
  async admit<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.floor && !this.startNow()) await new Promise<void>((resolve) => this.held.push(resolve));
    this.running += 1;
    this.window.started += 1;
    if (this.running > this.options.floor) this.watch();
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.window.finished += 1;
    }
  }

  /** Tasks waiting to start. */
  get waiting(): number {
    return this.held.length;
  }

  /** Starts a task a second, at the measured cost. */
  get ratePerSecond(): number {
    return (TARGET_BUSY * 1000) / this.costMs;
  }

  private get burst(): number {
    return Math.max(1, (this.ratePerSecond * BURST_MS) / 1000);
  }

  /** Whether a task past the floor may start at once (nobody held before it, a start left, the loop on time). */
  private startNow(): boolean {
    if (this.held.length > 0 || this.lagMs > this.options.maxLagMs) return false;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.ratePerSecond) / 1000);
    this.refilledAt = now;
  }

  private watch(): void {
    if (this.timer) return;
    const expected = this.clock.now() + TICK_MS;
    this.timer = setTimeout(() => this.tick(expected), TICK_MS);
    this.timer.unref();
  }

  private tick(expected: number): void {
    this.timer = undefined;
    const now = this.clock.now();
    this.lagMs = Math.max(0, now - expected);
    this.measure(now);
    if (this.lagMs > this.options.maxLagMs) {
      // Behind: nothing earns starts meanwhile, but one task now and then keeps everything moving.
      this.refilledAt = now;
      if (this.held.length > 0 && now - this.lastBehindStart >= BEHIND_EVERY_MS) this.release(now);
    } else {
      this.refill();
      while (this.held.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.release(now);
      }
    }
    if (this.held.length > 0 || this.running > this.options.floor) this.watch();
    else this.lagMs = 0;
  }

  private release(now: number): void {
    this.lastBehindStart = now;
    this.held.shift()!();
  }

  /**
   * A task's cost: the loop's busy time in the window over the tasks that started and finished
   * in it (their mean: a task works when it starts and when its answer comes, and counting
   * either end alone would misjudge the cost while the pace changes), as a moving average.
   */
  private measure(now: number): void {
    if (now - this.window.from < WINDOW_MS) return;
    const tasks = (this.window.started + this.window.finished) / 2;
    const busyMs = this.clock.busyMs() - this.window.busyMs;
    if (tasks >= MIN_TASKS) this.costMs = Math.max(0.05, 0.7 * this.costMs + 0.3 * (busyMs / tasks));
    this.window = this.newWindow();
  }

  private newWindow() {
    return { from: this.clock.now(), busyMs: this.clock.busyMs(), started: 0, finished: 0 };
  }
}
