import { describe, it } from 'vitest';
import { PAST_TTL_MS, race, TTL_MS, type Harness } from './setup.js';

type Open = (onFinished: (fn: () => Promise<void>) => void) => Promise<Harness>;

/** Conversation history, seen ids, settings and stream state. */
export function basicStoreTests(open: Open): void {
  describe('sessions (conversation history)', () => {
    it('returns a copy of what was set, undefined for an unknown key, nothing after delete', async ({ expect, onTestFinished }) => {
      const { stores } = await open(onTestFinished);
      const value = { turns: [{ user: 'hi', assistant: '你好' }] };
      await stores.sessions.set('a', value);
      value.turns.push({ user: 'changed', assistant: 'after set' });
      expect(await stores.sessions.get('a')).toEqual({ turns: [{ user: 'hi', assistant: '你好' }] });
      expect(await stores.sessions.get('missing')).toBeUndefined();
      await stores.sessions.delete('a');
      await stores.sessions.delete('never-set');
      expect(await stores.sessions.get('a')).toBeUndefined();
    });

    it('expires a key after its TTL in seconds, and keeps one without', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      await h.stores.sessions.set('short', 'x', TTL_MS / 1000);
      await h.stores.sessions.set('forever', 'y');
      await h.stores.sessions.set('zero', 'z', 0);
      expect(await h.stores.sessions.get('short')).toBe('x');
      await h.advance(PAST_TTL_MS);
      expect(await h.stores.sessions.get('short')).toBeUndefined();
      expect(await h.stores.sessions.get('forever')).toBe('y');
      expect(await h.stores.sessions.get('zero')).toBe('z');
    });

    it('a new set replaces the value and restarts the TTL', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      if (!h.exact) return; // Needs "still there at 1.6 of 2 TTLs": exact time only.
      await h.stores.sessions.set('a', 1, 10);
      await h.advance(8_000);
      await h.stores.sessions.set('a', 2, 10);
      await h.advance(8_000);
      expect(await h.stores.sessions.get('a')).toBe(2);
    });
  });

  describe('seen (message ids and the answer given inside a request)', () => {
    it('says first once, then gives the answer kept for the key; forget makes it first again', async ({ expect, onTestFinished }) => {
      const { stores } = await open(onTestFinished);
      expect(await stores.seen.remember('msg-1', 60_000)).toEqual({ first: true });
      expect(await stores.seen.remember('msg-1', 60_000)).toEqual({ first: false, answer: undefined });
      await stores.seen.setAnswer('msg-1', { xml: '<xml>答</xml>' }, 60_000);
      expect(await stores.seen.remember('msg-1', 60_000)).toEqual({ first: false, answer: { xml: '<xml>答</xml>' } });
      expect(await stores.seen.remember('msg-2', 60_000)).toEqual({ first: true });
      await stores.seen.forget('msg-1');
      expect(await stores.seen.remember('msg-1', 60_000)).toEqual({ first: true });
    });

    it('gives exactly one "first" to many concurrent callers of one key', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const results = await race(h, 40, (stores) => stores.seen.remember('burst', 60_000));
      expect(results.filter((r) => r.first)).toHaveLength(1);
    });

    it('forgets a key after its TTL; setAnswer keeps a key from now even if it had expired', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      await h.stores.seen.remember('a', TTL_MS);
      await h.stores.seen.remember('b', TTL_MS);
      await h.advance(PAST_TTL_MS);
      expect((await h.stores.seen.remember('a', 60_000)).first).toBe(true);
      await h.stores.seen.setAnswer('b', 'late answer', 60_000);
      expect(await h.stores.seen.remember('b', 60_000)).toEqual({ first: false, answer: 'late answer' });
    });
  });

  describe('settings (#model, #plugins, #auth)', () => {
    it('round-trips JSON values, lists them all, and deletes', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const values: Record<string, unknown> = {
        model: 'gpt-4o-mini',
        'plugins.order': ['admin', 'keyword'],
        auth: { admins: ['zhangsan'], since: 1_700_000_000_123, enabled: true, note: null },
        temperature: 0.7,
        empty: '',
        nested: { a: [{ b: [1, 2, { c: '引号"和\\反斜杠\n换行' }] }] },
        off: false,
        zero: 0,
      };
      for (const [key, value] of Object.entries(values)) await h.stores.settings.set(key, value);
      for (const [key, value] of Object.entries(values)) expect(await h.stores.settings.get(key)).toEqual(value);
      expect(await h.other.settings.all()).toEqual(values);
      await h.stores.settings.set('model', 'gpt-4.1');
      await h.stores.settings.delete('temperature');
      await h.advance(PAST_TTL_MS); // Settings do not expire.
      expect(await h.stores.settings.get('model')).toBe('gpt-4.1');
      expect(await h.stores.settings.get('temperature')).toBeUndefined();
      expect(Object.keys(await h.stores.settings.all())).toHaveLength(Object.keys(values).length - 1);
    });

    it('refuses a value JSON cannot carry', async ({ expect, onTestFinished }) => {
      const { stores } = await open(onTestFinished);
      await expect(stores.settings.set('bad', undefined)).rejects.toThrow(/JSON/);
    });
  });

  describe('streams (the AI bot stream state)', () => {
    it('keeps small records by id until their TTL or delete', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      await h.stores.streams.set('s1', { sent: 'partial 回答', finished: false, seq: 3 }, TTL_MS);
      await h.stores.streams.set('s2', { sent: '' }, 60_000);
      await h.stores.streams.set('s3', { sent: 'x' }, 60_000);
      expect(await h.other.streams.get('s1')).toEqual({ sent: 'partial 回答', finished: false, seq: 3 });
      await h.stores.streams.delete('s3');
      expect(await h.stores.streams.get('s3')).toBeUndefined();
      await h.advance(PAST_TTL_MS);
      expect(await h.stores.streams.get('s1')).toBeUndefined();
      expect(await h.stores.streams.get('s2')).toEqual({ sent: '' });
    });
  });
}
