import { describe, expect, it } from 'vitest';
import { MessageDeduper, dedupeKey } from './dedupe.js';
import { parseMessage } from './xml/parse-message.js';
import { inboundXml } from './testing/callback-client.js';

describe('MessageDeduper', () => {
  it('sees a key once within the TTL, again after it', () => {
    let now = 0;
    const d = new MessageDeduper({ ttlMs: 1000, now: () => now });
    expect(d.firstSeen('a')).toBe(true);
    expect(d.firstSeen('a')).toBe(false);
    now = 999;
    expect(d.firstSeen('a')).toBe(false);
    now = 2000;
    expect(d.firstSeen('a')).toBe(true);
  });

  it('bounds memory: expired keys go, and past maxEntries the oldest go', () => {
    let now = 0;
    const d = new MessageDeduper({ ttlMs: 100, maxEntries: 3, now: () => now });
    for (const k of ['a', 'b', 'c', 'd']) d.firstSeen(k);
    expect(d.size).toBe(3);
    expect(d.firstSeen('a')).toBe(true);
    now = 500;
    d.firstSeen('z');
    expect(d.size).toBe(1);
  });

  it('keys messages by MsgId and events by sender, CreateTime and event', () => {
    const text = parseMessage(inboundXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'text', Content: 'x', MsgId: '123' }));
    const event = parseMessage(inboundXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'event', Event: 'enter_agent' }));
    expect(dedupeKey(text)).toBe('id:123');
    expect(dedupeKey(event)).toBe('ev:u:5:enter_agent:');
  });

  it('tells apart two menu clicks of one member within the same second (EventKey)', () => {
    const click = (key: string) => parseMessage(inboundXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'event', Event: 'click', EventKey: key }));
    const d = new MessageDeduper();
    expect(d.firstSeen(dedupeKey(click('MENU_HELP')))).toBe(true);
    expect(d.firstSeen(dedupeKey(click('MENU_ABOUT')))).toBe(true);
    expect(d.firstSeen(dedupeKey(click('MENU_HELP')))).toBe(false);
  });
});
