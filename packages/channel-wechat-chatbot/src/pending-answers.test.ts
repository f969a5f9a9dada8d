import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiskStores } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { PendingAnswers } from './pending-answers.js';

describe('PendingAnswers', () => {
  const setup = (options: ConstructorParameters<typeof PendingAnswers>[0] = {}) => {
    let now = 1_000_000;
    const drops: string[] = [];
    const pending = new PendingAnswers({ now: () => now, onDrop: (key, n, why) => drops.push(`${key}:${n}:${why}`), ...options });
    return { pending, drops, advance: (ms: number) => (now += ms) };
  };

  it('hands answers over once, oldest first', async () => {
    const { pending } = setup();
    await pending.add('u', 'one');
    await pending.add('u', 'two');
    expect(await pending.take('u')).toEqual(['one', 'two']);
    expect(await pending.take('u')).toEqual([]);
    expect(pending.size).toBe(0);
  });

  it('forgets uncollected answers after the TTL', async () => {
    const { pending, advance } = setup({ ttlMs: 1000 });
    await pending.add('u', 'late');
    advance(999);
    expect(await pending.hasWork('u')).toBe(true);
    advance(2);
    expect(await pending.hasWork('u')).toBe(false);
    expect(await pending.take('u')).toEqual([]);
  });

  it('caps answers per user, and says so', async () => {
    const { pending, drops } = setup({ maxAnswersPerUser: 2 });
    for (const answer of ['1', '2', '3']) await pending.add('a', answer);
    expect(await pending.take('a')).toEqual(['2', '3']);
    expect(drops).toEqual(['a:1:too many answers']);
  });

  it('waitFor resolves at the first answer, or when the work ends without one', async () => {
    const { pending } = setup();
    pending.begin('u');
    const waiting = pending.waitFor('u', 5000);
    await pending.add('u', 'done');
    expect(await waiting).toEqual(['done']);
    pending.end('u');

    pending.begin('v');
    const empty = pending.waitFor('v', 5000);
    pending.end('v');
    expect(await empty).toEqual([]);
    expect(await pending.hasWork('v')).toBe(false);
    expect(pending.size).toBe(0);
  });

  it('waitFor gives up after its time', async () => {
    const { pending } = setup();
    pending.begin('u');
    expect(await pending.waitFor('u', 20)).toEqual([]);
    expect(await pending.hasWork('u')).toBe(true);
  });

  it('keeps answers in the store it is given: a restart on the same directory hands them over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-pending-'));
    const before = await createDiskStores({ dir });
    await new PendingAnswers({ store: before.pending }).add('skill:u', 'kept across the restart');
    await before.close();
    const after = await createDiskStores({ dir });
    expect(await new PendingAnswers({ store: after.pending }).take('skill:u')).toEqual(['kept across the restart']);
    await after.close();
  });
});
