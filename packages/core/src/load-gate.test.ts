import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadGate, type LoadClock } from './load-gate.js';

afterEach(() => vi.useRealTimers());

/** A task that runs until released, recording that it started. */
function gatedTasks(gate: LoadGate, count: number) {
  const started: number[] = [];
  const releases: Array<() => void> = [];
  const done = Array.from({ length: count }, (_, i) =>
    gate.admit(async () => {
      started.push(i);
      await new Promise<void>((resolve) => releases.push(resolve));
      return i;
    }),
  );
  return { started, releaseAll: () => releases.splice(0).forEach((r) => r()), done };
}

/** Blocks the event loop (what a burst of CPU work does to it). */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('LoadGate', () => {
  it('runs everything at once while the event loop keeps up', async () => {
    const gate = new LoadGate({ floor: 2, maxLagMs: 50 });
    const tasks = gatedTasks(gate, 10);
    await vi.waitFor(() => expect(tasks.started).toHaveLength(10));
    tasks.releaseAll();
    expect(await Promise.all(tasks.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('holds new work while the loop is behind, always lets the floor run, and lets the held in, in order, once it catches up', async () => {
    const gate = new LoadGate({ floor: 2, maxLagMs: 50 });
    const first = gatedTasks(gate, 3); // past the floor: the lag is being watched
    busy(120);
    // The watch's timer (due 10 ms after the third task) fires 110 ms late, before this one.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const later = gatedTasks(gate, 4);
    // Held, then let in one per tick while behind, the rest once the loop keeps up again.
    expect(later.started.length).toBeLessThan(4);
    await vi.waitFor(() => expect(later.started).toEqual([0, 1, 2, 3]));
    first.releaseAll();
    later.releaseAll();
    expect(await Promise.all(later.done)).toEqual([0, 1, 2, 3]);
    expect(gate.waiting).toBe(0);
  });

  it('passes a task’s failure to its caller and frees its place', async () => {
    const gate = new LoadGate({ floor: 1, maxLagMs: 50 });
    await expect(gate.admit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.admit(async () => 'next')).toBe('next');
  });

  it('paces starts past the floor to what a task has cost the event loop lately', async () => {
    vi.useFakeTimers();
    /** Tasks that each keep the loop busy for costMs (half as they start, half when the answer comes), under a clock the test drives. */
    const startedInFifthSecond = async (costMs: number) => {
      let busyMs = 0;
      const clock: LoadClock = { now: () => Date.now(), busyMs: () => busyMs };
      const gate = new LoadGate({ floor: 1, maxLagMs: 50, clock });
      let started = 0;
      const tasks = Array.from({ length: 2000 }, () =>
        gate.admit(async () => {
          started += 1;
          busyMs += costMs / 2;
          await new Promise((resolve) => setTimeout(resolve, 2000)); // the model's answer
          busyMs += costMs / 2;
        }),
      );
      // The first answers come after 2 s; from them on, the cost is measured.
      await vi.advanceTimersByTimeAsync(4000);
      const before = started;
      await vi.advanceTimersByTimeAsync(1000);
      const inFifth = started - before;
      await vi.advanceTimersByTimeAsync(30_000);
      await Promise.all(tasks);
      return inFifth;
    };
    // 70% of the loop's second over the cost: 100 tasks a second at 7 ms, 350 at 2 ms.
    const slow = await startedInFifthSecond(7);
    const fast = await startedInFifthSecond(2);
    expect(slow).toBeGreaterThan(80);
    expect(slow).toBeLessThan(125);
    expect(fast).toBeGreaterThan(280);
    expect(fast).toBeLessThan(400);
  });

  it('holds everything past the floor while the loop is late, but lets one through every 100 ms', async () => {
    vi.useFakeTimers();
    // A clock that gains 70 ms on the timers every 10 ms: each tick comes about 70 ms late.
    let skewMs = 0;
    const skew = setInterval(() => (skewMs += 70), 10);
    const clock: LoadClock = { now: () => Date.now() + skewMs, busyMs: () => 0 };
    const gate = new LoadGate({ floor: 1, maxLagMs: 50, clock });
    const tasks = gatedTasks(gate, 40);
    const atOnce = tasks.started.length; // the floor and a first burst, before the loop was seen late
    expect(atOnce).toBeGreaterThan(1);
    expect(atOnce).toBeLessThan(40);
    await vi.advanceTimersByTimeAsync(100); // 800 ms by the late clock
    expect(tasks.started.length - atOnce).toBeGreaterThan(0);
    expect(tasks.started.length - atOnce).toBeLessThanOrEqual(9);
    clearInterval(skew); // on time again: the rest come in
    await vi.advanceTimersByTimeAsync(1000);
    expect(tasks.started).toHaveLength(40);
    expect(gate.waiting).toBe(0);
    tasks.releaseAll();
  });
});

