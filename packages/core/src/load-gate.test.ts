import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadGate } from './load-gate.js';

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
});
