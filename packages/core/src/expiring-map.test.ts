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
});
