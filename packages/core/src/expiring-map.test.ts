import { describe, expect, it } from 'vitest';
import { ExpiringMap } from './expiring-map.js';

describe('ExpiringMap', () => {
  const setup = (maxEntries = 3) => {
    let clock = 0;
    const map = new ExpiringMap<string>({ ttlMs: 1000, maxEntries, now: () => clock });
    return { map, advance: (ms: number) => (clock += ms) };
  };

  it('forgets an entry once its time is up, counting from its last set', () => {
    const { map, advance } = setup();
    map.set('a', '1');
    advance(600);
    map.set('b', '2');
    advance(500);
    expect(map.has('a')).toBe(false);
    expect(map.get('b')).toBe('2');
    map.set('b', '3');
    advance(900);
    expect(map.get('b')).toBe('3');
  });

  it('drops the oldest entry beyond maxEntries', () => {
    const { map } = setup(2);
    map.set('a', '1');
    map.set('b', '2');
    map.set('c', '3');
    expect([map.has('a'), map.has('b'), map.has('c'), map.size]).toEqual([false, true, true, 2]);
  });

  it('deletes on request', () => {
    const { map } = setup();
    map.set('a', '1');
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
  });

  it('counts a key set again as new: the cap drops the entry set longest ago, not a deleted one', () => {
    const { map } = setup(2);
    map.set('a', '1');
    map.set('b', '2');
    map.set('a', '3');
    map.set('c', '4');
    expect([map.get('a'), map.has('b'), map.get('c'), map.size]).toEqual(['3', false, '4', 2]);
    map.delete('a');
    map.set('d', '5');
    expect([map.has('a'), map.get('c'), map.get('d'), map.size]).toEqual([false, '4', '5', 2]);
  });

  it('stays exact through a long run of sets, re-sets and expiry at its cap', () => {
    const { map, advance } = setup(1000);
    for (let i = 0; i < 20_000; i++) {
      map.set(`k${i}`, String(i));
      map.set('hot', String(i));
      advance(1);
    }
    // 1000 ms to live, 1 ms per step: the last 999 keys and 'hot' are alive (the cap dropped k19000 a step early).
    expect(map.size).toBe(1000);
    expect([map.has('k19000'), map.has('k19001'), map.get('k19999'), map.get('hot')]).toEqual([false, true, '19999', '19999']);
    advance(1000);
    expect([map.has('hot'), map.size]).toEqual([false, 0]);
  });
});
