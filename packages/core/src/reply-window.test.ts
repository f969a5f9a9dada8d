import { describe, expect, it } from 'vitest';
import { errorReply, textReply, type Reply } from './reply.js';
import { ReplyWindow } from './reply-window.js';

/** A window for a platform that carries short text only, like WeCom's passive reply. */
const shortText = (capacity?: number) =>
  new ReplyWindow<string>({ fit: (reply: Reply) => (reply.type === 'TEXT' && reply.content.length <= 5 ? reply.content : undefined), capacity });

const never = new Promise<void>(() => undefined);

describe('ReplyWindow', () => {
  it('takes a reply that fits, in its in-request form', () => {
    const window = new ReplyWindow<string>({ fit: (reply) => `<${reply.type}>` });
    expect(window.offer(textReply('hi'))).toBe(true);
    expect(window.close()).toEqual(['<TEXT>']);
  });

  it('refuses a reply that does not fit, and stays open for one that does', () => {
    const window = shortText(1);
    expect(window.offer(textReply('far too long'))).toBe(false);
    expect(window.offer(errorReply('x'))).toBe(false);
    expect(window.isOpen).toBe(true);
    expect(window.offer(textReply('short'))).toBe(true);
    expect(window.close()).toEqual(['short']);
  });

  it('refuses everything once closed', () => {
    const window = shortText();
    expect(window.close()).toEqual([]);
    expect(window.isOpen).toBe(false);
    expect(window.offer(textReply('late'))).toBe(false);
    expect(window.close()).toEqual([]);
  });

  it('takes at most `capacity` replies; without one, any number', () => {
    const one = shortText(1);
    expect(one.offer(textReply('a'))).toBe(true);
    expect(one.offer(textReply('b'))).toBe(false);
    expect(one.close()).toEqual(['a']);

    const unlimited = shortText();
    for (const text of ['a', 'b', 'c']) expect(unlimited.offer(textReply(text))).toBe(true);
    expect(unlimited.close()).toEqual(['a', 'b', 'c']);
  });

  it('does not ask `fit` about a reply it cannot take anyway', () => {
    let asked = 0;
    const window = new ReplyWindow<string>({ fit: (reply) => (asked++, reply.type), capacity: 1 });
    window.offer(textReply('a'));
    window.offer(textReply('b'));
    window.close();
    window.offer(textReply('c'));
    expect(asked).toBe(1);
  });
});

describe('ReplyWindow.closeWhenAnswered', () => {
  it('resolves at the first reply taken, closes, and returns it', async () => {
    const window = shortText();
    const waited = window.closeWhenAnswered(never, 5000);
    setTimeout(() => window.offer(textReply('quick')), 10);
    const started = Date.now();
    expect(await waited).toEqual(['quick']);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(window.isOpen).toBe(false);
    expect(window.offer(textReply('later'))).toBe(false);
  });

  it('resolves when the handling settles without a reply, or fails', async () => {
    const done = shortText();
    expect(await done.closeWhenAnswered(Promise.resolve(), 5000)).toEqual([]);
    expect(done.isOpen).toBe(false);

    const failed = shortText();
    expect(await failed.closeWhenAnswered(Promise.reject(new Error('handler broke')), 5000)).toEqual([]);
    expect(failed.isOpen).toBe(false);
  });

  it('keeps a reply taken before the handling settled', async () => {
    const window = shortText();
    const handling = Promise.resolve().then(() => void window.offer(textReply('ok')));
    expect(await window.closeWhenAnswered(handling, 5000)).toEqual(['ok']);
  });

  it('gives up after `ms`, closed and empty: later replies go out actively', async () => {
    const window = shortText();
    const started = Date.now();
    expect(await window.closeWhenAnswered(never, 50)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(window.offer(textReply('late'))).toBe(false);
  });

  it('with no time left, closes at once', async () => {
    const window = shortText();
    expect(await window.closeWhenAnswered(never, -10)).toEqual([]);
    expect(window.isOpen).toBe(false);
  });
});
