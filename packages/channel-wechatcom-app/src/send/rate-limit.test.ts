import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '@wecom-bot/core';
import { MemberPacer } from './rate-limit.js';

/** A clock that only moves when the pacer sleeps, so waits are exact and instant. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    sleeps,
  };
}

describe('MemberPacer', () => {
  it('lets 30 messages a minute through to one member, queues the 31st until the window frees, drops none', async () => {
    const clock = fakeClock();
    const pacer = new MemberPacer({ now: clock.now, sleep: clock.sleep });
    const sentAt: Array<[number, number]> = [];
    const all = Array.from({ length: 61 }, (_, i) => pacer.run('zhangsan', async () => sentAt.push([i, clock.now()])));
    await Promise.all(all);
    expect(sentAt.map(([i]) => i)).toEqual(Array.from({ length: 61 }, (_, i) => i));
    expect(sentAt.filter(([, t]) => t < 60_000)).toHaveLength(30);
    expect(sentAt[30]?.[1]).toBe(60_000);
    expect(sentAt[60]?.[1]).toBe(120_000);
    // No minute-long window ever holds more than 30.
    for (const [, t] of sentAt) expect(sentAt.filter(([, u]) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(30);
  });

  it('sends the parts of one reply back to back, each paced, before a task queued meanwhile', async () => {
    const clock = fakeClock();
    const pacer = new MemberPacer({ now: clock.now, sleep: clock.sleep, windows: [{ limit: 2, windowMs: 1000 }] });
    const sent: Array<[string, number]> = [];
    const record = async (part: string) => void sent.push([part, clock.now()]);
    await Promise.all([pacer.runAll('a', ['p1', 'p2', 'p3'], record), pacer.run('a', () => record('other'))]);
    expect(sent).toEqual([['p1', 0], ['p2', 0], ['p3', 1000], ['other', 1000]]);
  });

  it('does not hold other members back', async () => {
    const clock = fakeClock();
    const pacer = new MemberPacer({ now: clock.now, sleep: clock.sleep, windows: [{ limit: 2, windowMs: 1000 }] });
    await Promise.all([pacer.run('a', async () => 1), pacer.run('a', async () => 2)]);
    expect(await pacer.run('b', async () => 'b sent')).toBe('b sent');
    expect(clock.sleeps).toEqual([]);
    expect(await pacer.run('a', async () => 'a again')).toBe('a again');
    expect(clock.sleeps).toEqual([1000]);
  });

  it('keeps going after a failed send', async () => {
    const clock = fakeClock();
    const pacer = new MemberPacer({ now: clock.now, sleep: clock.sleep, windows: [{ limit: 5, windowMs: 1000 }] });
    await expect(pacer.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await pacer.run('a', async () => 'next')).toBe('next');
  });

  it('counts in the store it is given, under its key prefix, so pacers sharing it keep the limit together', async () => {
    const clock = fakeClock();
    const store = createMemoryStores({ now: clock.now }).pacing;
    const options = { store, keyPrefix: 'app-1:', now: clock.now, sleep: clock.sleep, windows: [{ limit: 3, windowMs: 1000 }] };
    const [one, two] = [new MemberPacer(options), new MemberPacer(options)];
    const sentAt: number[] = [];
    const send = async () => void sentAt.push(clock.now());
    await Promise.all([one.runAll('a', [1, 2], send), two.runAll('a', [3, 4], send)]);
    // Three went out together; the fourth waited for the window (this clock moves when one sleeps).
    expect(sentAt).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000]);
    expect(await store.take('app-1:a:1000', 3, 1000)).toEqual({ allowed: true, remaining: 1 });
  });

  it('paces alone when the store fails, and says so', async () => {
    const clock = fakeClock();
    const errors: unknown[] = [];
    const broken = { take: () => Promise.reject(new Error('redis down')) };
    const pacer = new MemberPacer({ store: broken, now: clock.now, sleep: clock.sleep, windows: [{ limit: 1, windowMs: 1000 }], onStoreError: (e) => errors.push(e) });
    const sentAt: number[] = [];
    await pacer.runAll('a', [1, 2], async () => void sentAt.push(clock.now()));
    expect(sentAt).toEqual([0, 1000]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
