import type { Stores } from '../../store/contracts.js';

export interface StoreConformanceOptions {
  /**
   * The backend keeps time itself (Redis expires keys on its own clock): TTL tests then wait
   * for real, with TTLs of 1 s, and run concurrently so the waits overlap.
   */
  realClock?: boolean;
  /** Opens a second instance on the same backend (Redis: same prefix) to race the first. */
  sibling?: (stores: Stores) => Promise<Stores>;
}

export type MakeStores = (now: () => number) => Stores | Promise<Stores>;

export interface Harness {
  stores: Stores;
  /** Another instance on the same backend when the backend has them, else `stores` again. */
  other: Stores;
  /** Moves the injected clock, or waits for real. */
  advance(ms: number): Promise<void>;
  /** The clock is injected: checks that need exact times run only then. */
  exact: boolean;
}

/** A TTL short enough to wait out for real, and a wait that is safely past it. */
export const TTL_MS = 1000;
export const PAST_TTL_MS = 1250;

export function harnessFactory(makeStores: MakeStores, options: StoreConformanceOptions) {
  return async (onFinished: (fn: () => Promise<void>) => void): Promise<Harness> => {
    let clock = 1_700_000_000_000;
    const now = options.realClock ? Date.now : () => clock;
    const stores = await makeStores(now);
    onFinished(() => stores.close());
    let other = stores;
    if (options.sibling) {
      const sibling = await options.sibling(stores);
      onFinished(() => sibling.close());
      other = sibling;
    }
    const advance = async (ms: number) => {
      if (options.realClock) await new Promise((resolve) => setTimeout(resolve, ms));
      else clock += ms;
    };
    return { stores, other, advance, exact: !options.realClock };
  };
}

/** Runs `count` calls of `fn` at once, alternating between the two instances. */
export function race<T>(h: Harness, count: number, fn: (stores: Stores, i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => fn(i % 2 === 0 ? h.stores : h.other, i)));
}
