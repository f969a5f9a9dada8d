import { describe, expect, it } from 'vitest';
import type { SessionStore } from '../store/contracts.js';

/**
 * The behaviour every SessionStore backend must have. Call it from a backend's test file:
 * `runSessionStoreConformance('memory', (now) => new MemorySessionStore(now))`.
 * `now` is a clock the suite moves to test expiry without waiting.
 */
export function runSessionStoreConformance(name: string, create: (now: () => number) => SessionStore): void {
  describe(`SessionStore conformance: ${name}`, () => {
    const setup = () => {
      let clock = 1_000_000;
      const store = create(() => clock);
      return { store, advance: (ms: number) => (clock += ms) };
    };

    it('returns what was set, and undefined for an unknown key', async () => {
      const { store } = setup();
      await store.set('a', { turns: ['hi'] });
      expect(await store.get('a')).toEqual({ turns: ['hi'] });
      expect(await store.get('missing')).toBeUndefined();
    });

    it('stores a copy: mutating the value after set does not change the stored one', async () => {
      const { store } = setup();
      const value = { turns: ['one'] };
      await store.set('a', value);
      value.turns.push('two');
      expect(await store.get('a')).toEqual({ turns: ['one'] });
    });

    it('forgets a key after delete', async () => {
      const { store } = setup();
      await store.set('a', 1);
      await store.delete('a');
      expect(await store.get('a')).toBeUndefined();
      await store.delete('never-set');
    });

    it('expires a key after its TTL, and keeps one without TTL', async () => {
      const { store, advance } = setup();
      await store.set('short', 'x', 10);
      await store.set('forever', 'y');
      advance(9_000);
      expect(await store.get('short')).toBe('x');
      advance(2_000);
      expect(await store.get('short')).toBeUndefined();
      advance(1e9);
      expect(await store.get('forever')).toBe('y');
    });

    it('a new set replaces the value and restarts the TTL', async () => {
      const { store, advance } = setup();
      await store.set('a', 1, 10);
      advance(8_000);
      await store.set('a', 2, 10);
      advance(8_000);
      expect(await store.get('a')).toBe(2);
    });
  });
}
