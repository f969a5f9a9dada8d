import { describe, it } from 'vitest';
import { PAST_TTL_MS, race, TTL_MS, type Harness } from './setup.js';

type Open = (onFinished: (fn: () => Promise<void>) => void) => Promise<Harness>;

/** Pacing counters and leases: what several instances share. */
export function sharedStoreTests(open: Open): void {
  describe('pacing (sends per key in a sliding window)', () => {
    it('allows `limit` takes per window, then says when to retry', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const take = () => h.stores.pacing.take('member-1', 3, 60_000);
      expect(await take()).toEqual({ allowed: true, remaining: 2 });
      expect(await take()).toEqual({ allowed: true, remaining: 1 });
      expect(await h.other.pacing.take('member-1', 3, 60_000)).toEqual({ allowed: true, remaining: 0 });
      const denied = await take();
      expect(denied.allowed).toBe(false);
      const retryAfterMs = denied.allowed ? 0 : denied.retryAfterMs;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(60_000);
      if (h.exact) expect(retryAfterMs).toBe(60_000);
      expect(await h.stores.pacing.take('member-2', 3, 60_000)).toEqual({ allowed: true, remaining: 2 });
    });

    it('counts again once the window has passed', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      expect((await h.stores.pacing.take('m', 1, TTL_MS)).allowed).toBe(true);
      await h.advance(PAST_TTL_MS);
      expect(await h.other.pacing.take('m', 1, TTL_MS)).toEqual({ allowed: true, remaining: 0 });
    });

    it('slides: a take frees up when the one counted a window ago leaves it', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      if (!h.exact) return; // Needs the window's edges to the millisecond.
      const take = () => h.stores.pacing.take('m', 2, 60_000);
      await take();
      await h.advance(30_000);
      await take();
      expect(await take()).toEqual({ allowed: false, retryAfterMs: 30_000 });
      await h.advance(30_001);
      expect(await take()).toEqual({ allowed: true, remaining: 0 });
      expect(await take()).toEqual({ allowed: false, retryAfterMs: 29_999 });
    });

    it('counts concurrent takes from several instances exactly', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const results = await race(h, 30, (stores) => stores.pacing.take('burst', 7, 60_000));
      expect(results.filter((r) => r.allowed)).toHaveLength(7);
    });
  });

  describe('leases (one holder of the AI bot\'s long connection)', () => {
    it('has one holder, who renews and releases; others wait', async ({ expect, onTestFinished }) => {
      const { stores, other } = await open(onTestFinished);
      expect(await stores.leases.holder('ws')).toBeUndefined();
      expect(await stores.leases.acquire('ws', 'a', 60_000)).toBe(true);
      expect(await stores.leases.acquire('ws', 'a', 60_000)).toBe(true);
      expect(await other.leases.acquire('ws', 'b', 60_000)).toBe(false);
      expect(await other.leases.renew('ws', 'b', 60_000)).toBe(false);
      expect(await stores.leases.renew('ws', 'a', 60_000)).toBe(true);
      await other.leases.release('ws', 'b');
      expect(await other.leases.holder('ws')).toBe('a');
      expect(await stores.leases.acquire('other-lease', 'b', 60_000)).toBe(true);
      await stores.leases.release('ws', 'a');
      expect(await other.leases.holder('ws')).toBeUndefined();
      expect(await other.leases.renew('ws', 'a', 60_000)).toBe(false);
      expect(await other.leases.acquire('ws', 'b', 60_000)).toBe(true);
    });

    it('goes to exactly one of many concurrent acquirers', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const results = await race(h, 20, (stores, i) => stores.leases.acquire('ws', `holder-${i}`, 60_000));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await h.stores.leases.holder('ws')).toBe(`holder-${results.indexOf(true)}`);
    });

    it('is taken over once its holder stops renewing', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      expect(await h.stores.leases.acquire('ws', 'dead', TTL_MS)).toBe(true);
      await h.advance(PAST_TTL_MS);
      expect(await h.other.leases.holder('ws')).toBeUndefined();
      expect(await h.other.leases.acquire('ws', 'alive', 60_000)).toBe(true);
      expect(await h.stores.leases.renew('ws', 'dead', 60_000)).toBe(false);
      await h.stores.leases.release('ws', 'dead');
      expect(await h.stores.leases.holder('ws')).toBe('alive');
    });
  });
}
