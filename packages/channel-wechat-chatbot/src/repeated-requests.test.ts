import { describe, expect, it } from 'vitest';
import { RepeatedRequests } from './repeated-requests.js';

describe('RepeatedRequests', () => {
  it('runs once per key, forgets after the TTL, and keeps at most maxEntries', async () => {
    let now = 0;
    const repeats = new RepeatedRequests({ ttlMs: 1000, maxEntries: 2, now: () => now });
    let runs = 0;
    const produce = async () => `answer ${++runs}`;
    expect(await repeats.answer('a', produce)).toBe('answer 1');
    expect(await repeats.answer('a', produce)).toBe('answer 1');
    expect(await repeats.answer(undefined, produce)).toBe('answer 2');
    await repeats.answer('b', produce);
    await repeats.answer('c', produce);
    expect(repeats.size).toBe(2);
    expect(repeats.has('a')).toBe(false);
    now += 1001;
    expect(repeats.has('c')).toBe(false);
    expect(repeats.size).toBe(0);
  });

  it('a failed first request is not repeated: the retry runs again', async () => {
    const repeats = new RepeatedRequests();
    await expect(repeats.answer('k', () => Promise.reject(new Error('no handler')))).rejects.toThrow('no handler');
    expect(await repeats.answer('k', async () => 'second try')).toBe('second try');
  });
});
