import { describe, it } from 'vitest';
import { PAST_TTL_MS, race, TTL_MS, type Harness } from './setup.js';

type Open = (onFinished: (fn: () => Promise<void>) => void) => Promise<Harness>;

/** Pending answers and the outbox. */
export function workStoreTests(open: Open): void {
  describe('pending (answers waiting for the user\'s next request)', () => {
    it('takes answers oldest first, up to max, per user', async ({ expect, onTestFinished }) => {
      const { stores, other } = await open(onTestFinished);
      const options = { ttlMs: 60_000, max: 10 };
      for (const answer of ['one', 'two', 'three']) expect(await stores.pending.add('u1', answer, options)).toBe(0);
      await stores.pending.add('u2', { text: 'theirs' }, options);
      expect(await other.pending.count('u1')).toBe(3);
      expect(await other.pending.take('u1', 2)).toEqual(['one', 'two']);
      expect(await stores.pending.take('u1')).toEqual(['three']);
      expect(await stores.pending.take('u1')).toEqual([]);
      expect(await stores.pending.count('u1')).toBe(0);
      expect(await stores.pending.take('u2')).toEqual([{ text: 'theirs' }]);
    });

    it('keeps at most max answers per user, dropping the oldest', async ({ expect, onTestFinished }) => {
      const { stores } = await open(onTestFinished);
      const options = { ttlMs: 60_000, max: 3 };
      const dropped = [];
      for (const answer of ['a', 'b', 'c', 'd', 'e']) dropped.push(await stores.pending.add('u', answer, options));
      expect(dropped).toEqual([0, 0, 0, 1, 1]);
      expect(await stores.pending.take('u')).toEqual(['c', 'd', 'e']);
    });

    it('drops each answer after its own TTL', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      await h.stores.pending.add('u', 'short', { ttlMs: TTL_MS, max: 5 });
      await h.stores.pending.add('u', 'long', { ttlMs: 60_000, max: 5 });
      await h.stores.pending.add('gone', 'short too', { ttlMs: TTL_MS, max: 5 });
      await h.advance(PAST_TTL_MS);
      expect(await h.stores.pending.take('u')).toEqual(['long']);
      expect(await h.stores.pending.count('gone')).toBe(0);
    });

    it('hands each answer to one taker when several take at once', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const answers = Array.from({ length: 12 }, (_, i) => `answer ${i}`);
      for (const answer of answers) await h.stores.pending.add('u', answer, { ttlMs: 60_000, max: 20 });
      const taken = (await race(h, 8, (stores) => stores.pending.take<string>('u', 2))).flat();
      expect(taken.sort()).toEqual([...answers].sort());
    });
  });

  describe('outbox (accepted messages and replies until done)', () => {
    const entry = (id: string, owner = 'instance-a') => ({ id, kind: 'message', payload: { msgId: id, text: '问题' }, owner });

    it('adds an entry once, gives it back, and forgets it when done', async ({ expect, onTestFinished }) => {
      const { stores, other } = await open(onTestFinished);
      expect(await stores.outbox.add(entry('m1'), { claimMs: 60_000 })).toBe(true);
      expect(await other.outbox.add(entry('m1', 'instance-b'), { claimMs: 60_000 })).toBe(false);
      const got = await other.outbox.get('m1');
      expect(got).toMatchObject({ id: 'm1', kind: 'message', payload: { msgId: 'm1', text: '问题' }, owner: 'instance-a', attempts: 1 });
      expect(got && got.claimedUntil - got.createdAt).toBe(60_000);
      await stores.outbox.done('m1');
      expect(await stores.outbox.get('m1')).toBeUndefined();
      expect(await stores.outbox.unfinished({ olderThanMs: 0 })).toEqual([]);
      await stores.outbox.done('never-added');
    });

    it('lists unfinished entries oldest first, filtered by age, by skip and limited', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      await h.stores.outbox.add(entry('old'), { claimMs: 1 });
      await h.advance(h.exact ? 10_000 : 20);
      await h.other.outbox.add(entry('new'), { claimMs: 1 });
      await h.advance(h.exact ? 10 : 20);
      await h.stores.outbox.add(entry('newest'), { claimMs: 1 });
      const ids = async (olderThanMs: number, limit?: number) => (await h.stores.outbox.unfinished({ olderThanMs, limit })).map((e) => e.id);
      expect(await ids(0)).toEqual(['old', 'new', 'newest']);
      expect(await ids(0, 2)).toEqual(['old', 'new']);
      expect(await ids(3_600_000)).toEqual([]);
      if (h.exact) expect(await ids(5_000)).toEqual(['old']);
      await h.stores.outbox.done('new');
      expect(await ids(0)).toEqual(['old', 'newest']);
      // What `skip` names is left out before the limit counts: the one left is still found.
      const unskipped = await h.stores.outbox.unfinished({ olderThanMs: 0, limit: 1, skip: (id) => id === 'old' });
      expect(unskipped.map((e) => e.id)).toEqual(['newest']);
      expect(unskipped[0]).toMatchObject({ kind: 'message', payload: { msgId: 'newest' } });
      expect(await h.stores.outbox.unfinished({ olderThanMs: 0, skip: () => true })).toEqual([]);
    });

    it('lets exactly one of many instances claim an entry whose claim ran out', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      await h.stores.outbox.add(entry('m'), { claimMs: TTL_MS });
      expect(await h.other.outbox.claim('m', 'instance-b', 60_000)).toBeUndefined();
      await h.advance(PAST_TTL_MS);
      const claims = await race(h, 20, (stores, i) => stores.outbox.claim('m', `claimer-${i}`, 60_000));
      const won = claims.filter((c) => c !== undefined);
      expect(won).toHaveLength(1);
      const winner = won[0]?.owner ?? '';
      expect(won[0]).toMatchObject({ id: 'm', attempts: 2 });
      expect(await h.stores.outbox.get('m')).toMatchObject({ owner: winner, attempts: 2 });
      // Its holder may claim again (a restart with the same instance id), others still may not.
      expect(await h.other.outbox.claim('m', winner, 60_000)).toMatchObject({ owner: winner, attempts: 3 });
      expect(await h.stores.outbox.claim('m', 'instance-a', 60_000)).toBeUndefined();
      await h.stores.outbox.done('m');
      expect(await h.stores.outbox.claim('m', winner, 60_000)).toBeUndefined();
    });

    it('updates the payload only for the entry\'s holder', async ({ expect, onTestFinished }) => {
      const { stores, other } = await open(onTestFinished);
      await stores.outbox.add({ id: 'r1', kind: 'reply', payload: { parts: 3, sent: 0 }, owner: 'a' }, { claimMs: 60_000 });
      expect(await other.outbox.update('r1', 'b', { parts: 3, sent: 3 })).toBe(false);
      expect(await stores.outbox.update('r1', 'a', { parts: 3, sent: 1 })).toBe(true);
      expect(await stores.outbox.update('missing', 'a', {})).toBe(false);
      expect((await other.outbox.get('r1'))?.payload).toEqual({ parts: 3, sent: 1 });
    });

    it('drops an entry never done after its ttlMs safety net', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      await h.stores.outbox.add(entry('kept'), { claimMs: 1 });
      await h.stores.outbox.add(entry('dropped'), { claimMs: 1, ttlMs: TTL_MS });
      await h.stores.outbox.claim('dropped', 'b', 60_000);
      await h.advance(PAST_TTL_MS);
      expect(await h.stores.outbox.get('dropped')).toBeUndefined();
      expect((await h.stores.outbox.unfinished({ olderThanMs: 0 })).map((e) => e.id)).toEqual(['kept']);
    });
  });
}
