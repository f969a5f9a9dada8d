import { describe, expect, it } from 'vitest';
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
    expect(pacer.delayFor('a')).toBe(1000);
    expect(pacer.delayFor('b')).toBe(0);
    expect(await pacer.run('b', async () => 'b sent')).toBe('b sent');
    expect(clock.sleeps).toEqual([]);
  });

  it('keeps going after a failed send, and forgets members idle for the longest window', async () => {
    const clock = fakeClock();
    const pacer = new MemberPacer({ now: clock.now, sleep: clock.sleep, windows: [{ limit: 5, windowMs: 1000 }] });
    await expect(pacer.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await pacer.run('a', async () => 'next')).toBe('next');
    expect(pacer.trackedMembers).toBe(1);
    clock.advance(1000);
    expect(pacer.delayFor('a')).toBe(0);
    expect(pacer.trackedMembers).toBe(0);
  });
});
