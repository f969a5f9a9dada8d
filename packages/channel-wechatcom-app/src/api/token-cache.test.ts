import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.js';

describe('TokenCache', () => {
  it('fetches once for many concurrent callers and reuses the token until shortly before expiry', async () => {
    let now = 0;
    let issued = 0;
    const cache = new TokenCache(
      async () => {
        await new Promise((r) => setTimeout(r, 5));
        return { token: `t${++issued}`, expiresInSeconds: 7200 };
      },
      { now: () => now, marginMs: 300_000 },
    );
    expect(await Promise.all(Array.from({ length: 20 }, () => cache.get()))).toEqual(Array(20).fill('t1'));
    now = 7200_000 - 300_001;
    expect(await cache.get()).toBe('t1');
    now = 7200_000 - 299_999;
    expect(await cache.get()).toBe('t2');
    expect(issued).toBe(2);
  });

  it('refreshes a refused token once, however many callers report it', async () => {
    let issued = 0;
    const cache = new TokenCache(async () => ({ token: `t${++issued}`, expiresInSeconds: 7200 }));
    const stale = await cache.get();
    const fresh = await Promise.all([cache.refresh(stale), cache.refresh(stale), cache.refresh(stale)]);
    expect(fresh).toEqual(['t2', 't2', 't2']);
    expect(await cache.refresh(stale)).toBe('t2');
    expect(issued).toBe(2);
  });

  it('keeps using a token that has not expired yet when the early refresh fails', async () => {
    let now = 0;
    let calls = 0;
    const cache = new TokenCache(
      async () => {
        if (++calls === 2) throw new Error('gettoken down');
        return { token: `t${calls}`, expiresInSeconds: 7200 };
      },
      { now: () => now, marginMs: 300_000 },
    );
    expect(await cache.get()).toBe('t1');
    now = 7200_000 - 60_000;
    expect(await cache.get()).toBe('t1');
    expect(await cache.get()).toBe('t3');
    now += 7200_000;
    calls = 1;
    await expect(cache.get()).rejects.toThrow('gettoken down');
  });

  it('lets the next call try again after a failed fetch', async () => {
    let calls = 0;
    const cache = new TokenCache(async () => {
      if (++calls === 1) throw new Error('gettoken down');
      return { token: 'ok', expiresInSeconds: 60 };
    });
    await expect(cache.get()).rejects.toThrow('gettoken down');
    expect(await cache.get()).toBe('ok');
  });
});
