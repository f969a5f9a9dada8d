import { describe, expect, it } from 'vitest';
import { ReceivedMessages, dedupeKey } from './dedupe.js';
import { parseMessage } from './xml/parse-message.js';
import { inboundXml } from './testing/callback-client.js';

/** True the first time a key is seen (and records it), as the channel does. */
const firstSeen = (received: ReceivedMessages, key: string) => {
  if (received.get(key)) return false;
  received.add(key);
  return true;
};

describe('ReceivedMessages', () => {
  it('knows a message once within the TTL, and not after it', () => {
    let now = 0;
    const d = new ReceivedMessages({ ttlMs: 1000, now: () => now });
    expect(firstSeen(d, 'a')).toBe(true);
    expect(firstSeen(d, 'a')).toBe(false);
    now = 999;
    expect(firstSeen(d, 'a')).toBe(false);
    now = 2000;
    expect(firstSeen(d, 'a')).toBe(true);
  });

  it('bounds memory: expired messages go, and past maxEntries the oldest go', () => {
    let now = 0;
    const d = new ReceivedMessages({ ttlMs: 100, maxEntries: 3, now: () => now });
    for (const k of ['a', 'b', 'c', 'd']) firstSeen(d, k);
    expect(d.size).toBe(3);
    expect(firstSeen(d, 'a')).toBe(true);
    now = 500;
    firstSeen(d, 'z');
    expect(d.size).toBe(1);
  });

  it('keeps the answer given to a message for its retries; none when it was acknowledged only', async () => {
    const d = new ReceivedMessages();
    d.add('answered', Promise.resolve('<xml>passive</xml>'));
    d.add('acked');
    expect(await d.get('answered')?.answer).toBe('<xml>passive</xml>');
    expect(d.get('acked')).toEqual({});
    expect(d.get('never seen')).toBeUndefined();
  });

  it('keys messages by MsgId and events by sender, CreateTime and event', () => {
    const text = parseMessage(inboundXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'text', Content: 'x', MsgId: '123' }));
    const event = parseMessage(inboundXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'event', Event: 'enter_agent' }));
    expect(dedupeKey(text)).toBe('id:123');
    expect(dedupeKey(event)).toBe('ev:u:5:enter_agent:');
  });

  it('tells apart two menu clicks of one member within the same second (EventKey)', () => {
    const click = (key: string) => parseMessage(inboundXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'event', Event: 'click', EventKey: key }));
    const d = new ReceivedMessages();
    expect(firstSeen(d, dedupeKey(click('MENU_HELP')))).toBe(true);
    expect(firstSeen(d, dedupeKey(click('MENU_ABOUT')))).toBe(true);
    expect(firstSeen(d, dedupeKey(click('MENU_HELP')))).toBe(false);
  });
});
