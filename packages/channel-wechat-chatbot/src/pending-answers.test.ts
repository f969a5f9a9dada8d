import { describe, expect, it } from 'vitest';
import { PendingAnswers } from './pending-answers.js';

describe('PendingAnswers', () => {
  const setup = (options: ConstructorParameters<typeof PendingAnswers>[0] = {}) => {
    let now = 1_000_000;
    const drops: string[] = [];
    const store = new PendingAnswers({ now: () => now, onDrop: (key, n, why) => drops.push(`${key}:${n}:${why}`), ...options });
    return { store, drops, advance: (ms: number) => (now += ms) };
  };

  it('hands answers over once, oldest first', () => {
    const { store } = setup();
    store.add('u', 'one');
    store.add('u', 'two');
    expect(store.take('u')).toEqual(['one', 'two']);
    expect(store.take('u')).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('forgets uncollected answers after the TTL, and says so', () => {
    const { store, drops, advance } = setup({ ttlMs: 1000 });
    store.add('u', 'late');
    advance(999);
    expect(store.hasWork('u')).toBe(true);
    advance(2);
    expect(store.take('u')).toEqual([]);
    expect(drops).toEqual(['u:1:expired']);
  });

  it('caps users and answers per user', () => {
    const { store, drops } = setup({ maxUsers: 2, maxAnswersPerUser: 2 });
    store.add('a', '1');
    store.add('a', '2');
    store.add('a', '3');
    expect(store.take('a')).toEqual(['2', '3']);
    store.add('x', 'x');
    store.add('y', 'y');
    store.add('z', 'z');
    expect(store.size).toBe(2);
    expect(store.take('x')).toEqual([]);
    expect(drops).toEqual(['a:1:too many answers', 'x:1:too many users']);
  });

  it('waitFor resolves at the first answer, or when the work ends without one', async () => {
    const { store } = setup();
    store.begin('u');
    const waiting = store.waitFor('u', 5000);
    store.add('u', 'done');
    expect(await waiting).toEqual(['done']);
    store.end('u');

    store.begin('v');
    const empty = store.waitFor('v', 5000);
    store.end('v');
    expect(await empty).toEqual([]);
    expect(store.hasWork('v')).toBe(false);
  });

  it('waitFor gives up after its time', async () => {
    const { store } = setup();
    store.begin('u');
    expect(await store.waitFor('u', 20)).toEqual([]);
    expect(store.hasWork('u')).toBe(true);
  });
});
