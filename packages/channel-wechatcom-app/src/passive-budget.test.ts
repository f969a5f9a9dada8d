import { describe, expect, it } from 'vitest';
import { PASSIVE_WAITERS, PassiveBudget } from './passive-budget.js';

describe('PassiveBudget', () => {
  it('gives the whole window to a callback now and then, and shrinks it with the callbacks of the last second', () => {
    let clock = 0;
    const budget = new PassiveBudget(() => clock);
    expect(budget.windowFor(1000)).toBe(1000);
    clock += 2000;
    expect(budget.windowFor(1000)).toBe(1000);
    const windows = Array.from({ length: PASSIVE_WAITERS + 5 }, () => ((clock += 10), budget.windowFor(1000)));
    // Each window shorter than the one before, then none while callbacks keep coming.
    expect(windows.slice(0, PASSIVE_WAITERS).every((w, i) => i === 0 || w < windows[i - 1]!)).toBe(true);
    expect(windows.slice(PASSIVE_WAITERS)).toEqual([0, 0, 0, 0, 0]);
    clock += 1000;
    expect(budget.windowFor(1000)).toBe(1000);
  });

  it('counts callbacks still waiting, however long ago they came', async () => {
    let clock = 0;
    const budget = new PassiveBudget(() => clock);
    const releases: Array<() => void> = [];
    const waits = Array.from({ length: PASSIVE_WAITERS }, () => budget.hold(() => new Promise<void>((resolve) => releases.push(resolve))));
    clock += 5000;
    expect(budget.windowFor(1000)).toBe(0);
    releases.forEach((release) => release());
    await Promise.all(waits);
    clock += 5000;
    expect(budget.windowFor(1000)).toBe(1000);
  });
});
